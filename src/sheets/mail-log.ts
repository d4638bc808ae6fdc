// 送信記録: one row per email, found by its key. The state machine (待機 → 送信中 → 送信済 / 失敗 /
// 要確認) lives in server/mail-queue.ts; this file only reads and writes rows.
import type { MailKind, MailRow, MailState } from '../domain/mail';
import { asText, spreadsheetDateFormatter } from './cells';
import { MAIL_COLUMNS, SHEETS } from './layout';
import { NotSetUp } from './register';
import { Table, Writes } from './table';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Key = (typeof MAIL_COLUMNS)[number]['key'];

export interface MailLog {
  table: Table<Key>;
  rows: (MailRow & { row: number })[];
}

export function readMailLog(ss: Spreadsheet): MailLog {
  const sheet = ss.getSheetByName(SHEETS.mail);
  if (!sheet)
    throw new NotSetUp(`シート「${SHEETS.mail}」がありません。メニューの「初期設定」を実行してください。`);
  const table = Table.read(sheet, MAIL_COLUMNS, spreadsheetDateFormatter(ss));
  const rows: MailLog['rows'] = [];
  for (let i = 0; i < table.rows.length; i++) {
    const key = table.text(i, 'key');
    if (!key) continue;
    const t = (k: Key) => table.text(i, k);
    rows.push({
      key,
      id: t('id'),
      department: t('department'),
      mailKind: t('mailKind') as MailKind,
      round: Number(t('round')) || 1,
      recipients: t('recipients'),
      state: t('state') as MailState,
      attempts: Number(t('attempts')) || 0,
      createdAt: t('createdAt'),
      sentAt: t('sentAt'),
      error: t('error'),
      row: table.rowNumber(i),
    });
  }
  return { table, rows };
}

const cell = (k: Key, v: unknown) =>
  k === 'round' || k === 'attempts' ? Number(v) : asText(String(v ?? ''));

/** Appends new rows, each value in its column as found by header. */
export function appendMailRows(log: MailLog, rows: readonly MailRow[]): void {
  if (!rows.length) return;
  const w = new Writes(log.table.sheet);
  for (const r of rows) {
    const out = new Array<unknown>(log.table.width()).fill('');
    for (const d of MAIL_COLUMNS) {
      const c = log.table.col[d.key];
      if (c !== undefined) out[c] = cell(d.key, r[d.key]);
    }
    w.append(out);
  }
  w.flush();
}

/** Writes the changed fields of one row (found by key when the log was read). */
export function updateMailRow(log: MailLog, key: string, fields: Partial<MailRow>): void {
  const row = log.rows.find((r) => r.key === key);
  if (!row) return;
  const w = new Writes(log.table.sheet);
  for (const [k, v] of Object.entries(fields) as [Key, unknown][]) {
    const c = log.table.col[k];
    if (c !== undefined) w.set(row.row, c + 1, cell(k, v));
  }
  w.flush();
  Object.assign(row, fields);
}
