// 初期設定 from the menu: sheets, settings, the owner, the triggers and the token secret.
// Triggers are created only by the recorded owner (the secretariat's account), so a second
// person running setup changes nothing.
import { Refused } from '../domain/operations';
import { applyChoiceDropdowns } from '../sheets/dropdowns';
import { PROP_GUARDED } from '../sheets/guarded-settings';
import { SHEETS } from '../sheets/layout';
import { loadRegister, loadSettings } from '../sheets/register';
import { ADDON_MODE, theRegister } from '../sheets/register-scope';
import { pendingSetup, type SetupReport, setupSheets } from '../sheets/setup';
import { clockFor } from './clock';
import { ownerEmail, ownTriggers, PROP_OWNER, PROP_SECRET, scriptProps, sidebarCaller } from './context';
import { indexTrigger } from './hourly';
import { Ledger } from './ledger';
import { withScriptLock } from './lock';
import { adoptUnsealedMailRows } from './mail-store';
import { ensureLinkKey } from './registers';
import { acceptGuardedSettings } from './settings-guard';
import { rebuildSummary } from './summary-refresh';

/** The installable triggers setup makes, by handler (each a top-level function in api.ts). */
type Builder = GoogleAppsScript.Script.TriggerBuilder;
type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
export const TRIGGERS = [
  {
    handler: 'onEditInstalled',
    make: (b: Builder, ss: Spreadsheet) => b.forSpreadsheet(ss).onEdit().create(),
  },
  {
    handler: 'onChangeInstalled',
    make: (b: Builder, ss: Spreadsheet) => b.forSpreadsheet(ss).onChange().create(),
  },
  { handler: 'onTenMinutes', make: (b: Builder) => b.timeBased().everyMinutes(10).create() },
  { handler: 'onDailyNine', make: (b: Builder) => b.timeBased().atHour(9).everyDays(1).create() },
] as const;

/**
 * An add-on may have one trigger of each type per user per document, and a time-driven one runs at
 * most hourly (https://developers.google.com/workspace/add-ons/concepts/editor-triggers,
 * "Restrictions"): edit, change, and one hourly clock doing the 10-minute and the daily work.
 */
export const ADDON_TRIGGERS = [
  TRIGGERS[0],
  TRIGGERS[1],
  { handler: 'onHourly', make: (b: Builder) => b.timeBased().everyHours(1).create() },
] as const;

export interface SetupResult extends SetupReport {
  owner: string;
  createdTriggers: string[];
  message: string;
}

export function runSetup(): SetupResult {
  const caller = sidebarCaller();
  const ss = theRegister();
  return withScriptLock(() => {
    const props = scriptProps();
    const recorded = ownerEmail();
    if (recorded && recorded !== caller) {
      // Only the owner may change the register's structure; others get an explanation, and what
      // setup would do is found by reading alone: a refused run writes nothing at all.
      const report = pendingSetup(ss);
      if (report.createdSheets.length || report.addedColumns.length) {
        const what = [...report.createdSheets.map((n) => `シート「${n}」`), ...report.addedColumns].join(
          '、',
        );
        throw new Refused(
          'forbidden',
          `初期設定は所有者(${recorded})が実行してください(足りないもの: ${what})。何も変更していません。`,
        );
      }
      return {
        ...report,
        owner: recorded,
        createdTriggers: [],
        message: `初期設定は済んでいます。トリガーの所有者は ${recorded} です。`,
      };
    }
    const report = setupSheets(ss, caller, clockFor(ss).today);
    if (!recorded) props.setProperty(PROP_OWNER, caller);
    if (!props.getProperty(PROP_SECRET))
      props.setProperty(PROP_SECRET, Utilities.getUuid() + Utilities.getUuid());
    // A 送信記録 kept before rows were sealed: its rows become the add-on's (unsent ones 要確認).
    if (report.addedColumns.includes(`${SHEETS.mail}!封印`)) adoptUnsealedMailRows(ss);
    ensureLinkKey(ss.getId());
    const existing = ownTriggers().map((t) => t.getHandlerFunction());
    const createdTriggers: string[] = [];
    for (const t of ADDON_MODE ? ADDON_TRIGGERS : TRIGGERS) {
      if (existing.includes(t.handler)) continue;
      const made = t.make(ScriptApp.newTrigger(t.handler), ss);
      if (ADDON_MODE) indexTrigger(made.getUniqueId(), ss.getId());
      createdTriggers.push(t.handler);
    }
    // The owner's setup accepts the roles and addresses in 設定 as they stand.
    if (!props.getProperty(PROP_GUARDED)) acceptGuardedSettings(ss);
    // The ledger's head: a new register starts empty; one set up before seals is upgraded here.
    const ledger = Ledger.open(ss);
    if (!ledger.head) ledger.accepted(loadRegister(ss, clockFor(ss).today));
    applyChoiceDropdowns(ss, loadSettings(ss, clockFor(ss).today).lists);
    rebuildSummary(ss);
    const changed = report.createdSheets.length + report.addedColumns.length + createdTriggers.length;
    return {
      ...report,
      owner: caller,
      createdTriggers,
      message: changed
        ? `初期設定を行いました(シート${report.createdSheets.length}件、トリガー${createdTriggers.length}件)。`
        : '初期設定は済んでいます。変更はありません。',
    };
  });
}
