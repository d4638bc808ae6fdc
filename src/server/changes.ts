// onChange (rows removed, a sort, columns removed…) and the later check of deferred hand edits:
// every row of 課題一覧 and 所管課別進捗 is settled against the accepted state (keys put back,
// duplicate and unknown rows cleared, deleted records restored) and what was done is reported to
// the secretariat once. Sorting, filtering, inserting rows and adding one's own columns change
// nothing the add-on keeps.
import { sha256Hex } from '../domain/hash';
import { SHEETS } from '../sheets/layout';
import { NotSetUp } from '../sheets/register';
import { clockFor } from './clock';
import { isTriggerRun, ownerEmail, scriptProps } from './context';
import { takeDeferred } from './edit-queue';
import { checkRange } from './hand-edits';
import { withScriptLock } from './lock';
import { openRegister } from './mutate';
import { settleRows } from './row-identity';

const PROP_FLAGGED = 'FLAGGED_CHANGES';
const RECONCILED = new Set(['REMOVE_ROW', 'REMOVE_COLUMN', 'OTHER', 'EDIT', 'REMOVE_GRID', 'INSERT_ROW']);

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** Settles every row of both tables; returns the lines for the secretariat. Under the script lock. */
export function settleAll(ss: Spreadsheet): string[] {
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
  return [...ledger.problems, ...settled.lines];
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

const REPORTS = {
  register: {
    flag: PROP_FLAGGED,
    toast: '台帳の行の変更(削除・IDの変更など)を元に戻しました。事務局に知らせました。',
    subject: '【プラチナ提案台帳】台帳の行を元に戻しました',
    intro:
      '台帳に、受け付けた内容と合わない行の変更がありました。アドオンが次のとおり戻しました(元の入力はセルのメモにあります)。',
  },
  ledger: {
    flag: 'FLAGGED_LEDGER',
    toast: '',
    subject: '【プラチナ提案台帳】変更履歴の改ざん・削除の可能性',
    intro: '変更履歴または台帳状態に、アドオンが書いていない変更がありました。',
  },
} as const;

/**
 * Tells the secretariat once: the same lines again (on the next edit, the next day) are not
 * mailed again; each kind of report remembers its own last lines.
 */
export function reportBreaks(
  ss: Spreadsheet,
  lines: string[],
  kind: keyof typeof REPORTS = 'register',
): boolean {
  const report = REPORTS[kind];
  const props = scriptProps();
  const key = lines.length ? sha256Hex(lines.slice().sort().join('\n')).slice(0, 16) : '';
  if (key === (props.getProperty(report.flag) ?? '')) return false;
  props.setProperty(report.flag, key);
  if (!lines.length) return false;
  if (report.toast) ss.toast(report.toast, 'プラチナ提案台帳', 10);
  const shown = lines.length > 200 ? [...lines.slice(0, 200), `ほか${lines.length - 200}件`] : lines;
  MailApp.sendEmail({
    to: ownerEmail(),
    subject: report.subject,
    body: `${report.intro}\n\n${shown.join('\n')}\n\n${ss.getUrl()}`,
  });
  return true;
}

export function onChangeInstalled(e: GoogleAppsScript.Events.SheetsOnChange): void {
  if (!isTriggerRun(e as { triggerUid?: string }) || !RECONCILED.has(String(e.changeType))) return;
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  withScriptLock(() => {
    const lines = settleAll(ss);
    if (lines.length) reportBreaks(ss, lines);
  });
}
