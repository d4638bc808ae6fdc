// onChange (rows removed, a sort, columns removed…) and the later check of deferred hand edits:
// every row of 課題一覧 and 所管課別進捗 is settled against the accepted state (keys put back,
// duplicate and unknown rows cleared, deleted records restored) and what was done is reported to
// the secretariat once. Sorting, filtering, inserting rows and adding one's own columns change
// nothing the add-on keeps.
import { SHEETS } from '../sheets/layout';
import { NotSetUp } from '../sheets/register';
import { theRegister } from '../sheets/register-scope';
import { clockFor } from './clock';
import { isTriggerRun, scriptProps } from './context';
import { takeDeferred } from './edit-queue';
import { checkRange } from './hand-edits';
import { withScriptLock } from './lock';
import { PROP_LOG_CHECK } from './mail-store';
import { openRegister } from './mutate';
import { reportBreaks } from './report';
import { restoreMovedValues, settleRows } from './row-identity';
import { handleSettingsEdit } from './settings-guard';

// EDIT is left to onEdit (and its deferral when the lock is busy), which knows the range and editor.
const RECONCILED = new Set(['REMOVE_ROW', 'REMOVE_COLUMN', 'OTHER', 'REMOVE_GRID', 'INSERT_ROW']);
const REMOVED = new Set(['REMOVE_ROW', 'REMOVE_GRID']);

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** Settles every row of both tables; returns the lines for the secretariat. Under the script lock. */
export function settleAll(ss: Spreadsheet, restoreValues = false): string[] {
  let opened: ReturnType<typeof openRegister>;
  try {
    opened = openRegister(ss, clockFor(ss).today);
  } catch (e) {
    if (e instanceof NotSetUp) return [];
    throw e;
  }
  const { reg, ledger } = opened;
  const accepted = ledger.accepted(reg);
  const settled = settleRows(reg, accepted, 'both', null);
  // A sort (OTHER) may have moved one column's values between records: put them back too.
  const moved = restoreValues
    ? restoreMovedValues(settled.wrote ? openRegister(ss, clockFor(ss).today).reg : reg, accepted)
    : [];
  return [...ledger.problems, ...settled.lines, ...moved];
}

/**
 * Hand edits whose check was deferred (the lock was busy), checked as their editors made them;
 * when some may have been lost, every cell of both tables is checked (as an unknown editor).
 */
export function checkDeferredEdits(ss: Spreadsheet): string[] {
  const deferred = takeDeferred();
  const lines: string[] = [];
  if (deferred === 'all') {
    for (const name of [SHEETS.proposals, SHEETS.progress]) {
      const sheet = ss.getSheetByName(name);
      if (sheet) lines.push(...checkRange(ss, sheet.getDataRange(), '', undefined));
    }
    return lines;
  }
  for (const d of deferred) {
    const sheet = ss.getSheetByName(d.sheet);
    if (sheet) lines.push(...checkRange(ss, sheet.getRange(d.a1), d.user, undefined));
  }
  return lines;
}

export function onChangeInstalled(e: GoogleAppsScript.Events.SheetsOnChange): void {
  // The change type first: an EDIT (every typed cell) stops here without asking for the triggers.
  if (!RECONCILED.has(String(e.changeType)) || !isTriggerRun(e as { triggerUid?: string })) return;
  const ss = theRegister();
  // Rows may have gone from 送信記録 too: the next 10-minute run checks it.
  scriptProps().setProperty(PROP_LOG_CHECK, '1');
  withScriptLock(() => {
    const lines = settleAll(ss, String(e.changeType) === 'OTHER');
    if (lines.length) reportBreaks(ss, lines);
  });
  // onChange does not say which sheet: a row deleted from 設定 (its 年度, a guarded setting, a
  // list) is put back or followed (the dropdowns) as an edit of 設定 would be.
  if (REMOVED.has(String(e.changeType))) handleSettingsEdit(ss, (e.user?.getEmail?.() ?? '').toLowerCase());
}
