// onChange: row deletions, sorts and column removals are reconciled with the last accepted state.
// Sorting, filtering, inserting rows and adding one's own columns change nothing we keep; a
// deleted proposal or department row, or a changed ID, is reported to the secretariat (once).
import { acceptedState } from '../domain/accepted';
import { progressKey } from '../domain/draft';
import { sha256Hex } from '../domain/hash';
import { readHistory } from '../sheets/history';
import { SHEETS } from '../sheets/layout';
import { loadRegister, NotSetUp } from '../sheets/register';
import { clockFor } from './clock';
import { isTriggerRun, ownerEmail, scriptProps } from './context';
import { withScriptLock } from './lock';

const PROP_FLAGGED = 'FLAGGED_CHANGES';
const RECONCILED = new Set(['REMOVE_ROW', 'REMOVE_COLUMN', 'OTHER', 'EDIT', 'REMOVE_GRID']);

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** Differences between the sheets and the accepted state, as lines for the secretariat. */
export function findBreaks(ss: Spreadsheet): string[] {
  let reg: ReturnType<typeof loadRegister>;
  try {
    reg = loadRegister(ss, clockFor(ss).today);
  } catch (e) {
    if (e instanceof NotSetUp) return [e.message];
    throw e;
  }
  const accepted = acceptedState(readHistory(ss.getSheetByName(SHEETS.history)!));
  const lines: string[] = [];
  const ids = new Set(reg.state.proposals.map((p) => p.id));
  for (const id of accepted.proposals.keys())
    if (!ids.has(id)) lines.push(`課題一覧から ${id} の行がなくなっています(削除またはIDの変更)。`);
  const seen = new Map<string, number>();
  for (let i = 0; i < reg.proposals.rows.length; i++) {
    const id = reg.proposals.text(i, 'id');
    if (!id) continue;
    if (seen.has(id)) lines.push(`課題一覧で ID ${id} が重複しています(${seen.get(id)}行目と${i + 2}行目)。`);
    else seen.set(id, i + 2);
    if (!accepted.proposals.has(id))
      lines.push(`課題一覧 ${i + 2}行目の ID ${id} は台帳にありません(IDの変更または手入力)。`);
  }
  const pairs = new Set(reg.state.progress.map((r) => progressKey(r.id, r.department)));
  for (const [key, row] of accepted.progress) {
    if (!pairs.has(key)) lines.push(`所管課別進捗から ${row.id} ${row.department} の行がなくなっています。`);
  }
  return lines;
}

export function reportBreaks(ss: Spreadsheet, lines: string[]): boolean {
  const props = scriptProps();
  const key = lines.length ? sha256Hex(lines.slice().sort().join('\n')).slice(0, 16) : '';
  if (key === (props.getProperty(PROP_FLAGGED) ?? '')) return false;
  props.setProperty(PROP_FLAGGED, key);
  if (!lines.length) return false;
  ss.toast('行の削除・IDの変更が見つかりました。事務局に知らせました。', 'プラチナ提案台帳', 10);
  MailApp.sendEmail({
    to: ownerEmail(),
    subject: '【プラチナ提案台帳】行の削除・IDの変更を確認してください',
    body: `台帳に、変更履歴と合わない変更がありました。版の履歴から戻すか、サイドバーから登録し直してください。\n\n${lines.join('\n')}\n\n${ss.getUrl()}`,
  });
  return true;
}

export function onChangeInstalled(e: GoogleAppsScript.Events.SheetsOnChange): void {
  if (!isTriggerRun(e as { triggerUid?: string }) || !RECONCILED.has(String(e.changeType))) return;
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  withScriptLock(() => reportBreaks(ss, findBreaks(ss)));
}
