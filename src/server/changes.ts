// onChange: row deletions, sorts and column removals are reconciled with the last accepted state.
// Sorting, filtering, inserting rows and adding one's own columns change nothing we keep; a
// deleted proposal or department row, or a changed ID, is reported to the secretariat (once).
import { progressKey } from '../domain/draft';
import { sha256Hex } from '../domain/hash';
import { NotSetUp } from '../sheets/register';
import { clockFor } from './clock';
import { isTriggerRun, ownerEmail, scriptProps } from './context';
import { withScriptLock } from './lock';
import { openRegister } from './mutate';

const PROP_FLAGGED = 'FLAGGED_CHANGES';
const RECONCILED = new Set(['REMOVE_ROW', 'REMOVE_COLUMN', 'OTHER', 'EDIT', 'REMOVE_GRID']);

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** Differences between the sheets and the accepted state, as lines for the secretariat. */
export function findBreaks(ss: Spreadsheet): string[] {
  let opened: ReturnType<typeof openRegister>;
  try {
    opened = openRegister(ss, clockFor(ss).today);
  } catch (e) {
    if (e instanceof NotSetUp) return [e.message];
    throw e;
  }
  const { reg, ledger } = opened;
  const accepted = ledger.accepted(reg);
  const lines: string[] = [...ledger.problems];
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

/**
 * Tells the secretariat once: the same lines again (on the next edit, the next day) are not
 * mailed again; each kind of report remembers its own last lines.
 */
const REPORTS = {
  register: {
    flag: PROP_FLAGGED,
    toast: '行の削除・IDの変更が見つかりました。事務局に知らせました。',
    subject: '【プラチナ提案台帳】行の削除・IDの変更を確認してください',
    intro:
      '台帳に、受け付けた内容と合わない変更がありました。アドオンが戻したもの・戻せなかったものは次のとおりです。',
  },
  ledger: {
    flag: 'FLAGGED_LEDGER',
    toast: '',
    subject: '【プラチナ提案台帳】変更履歴の改ざん・削除の可能性',
    intro: '変更履歴または台帳状態に、アドオンが書いていない変更がありました。',
  },
} as const;

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
  MailApp.sendEmail({
    to: ownerEmail(),
    subject: report.subject,
    body: `${report.intro}\n\n${lines.join('\n')}\n\n${ss.getUrl()}`,
  });
  return true;
}

export function onChangeInstalled(e: GoogleAppsScript.Events.SheetsOnChange): void {
  if (!isTriggerRun(e as { triggerUid?: string }) || !RECONCILED.has(String(e.changeType))) return;
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  withScriptLock(() => reportBreaks(ss, findBreaks(ss)));
}
