// 送信記録: one row per email. The cells only display what the add-on recorded: every row carries a
// seal (封印) made with the script's secret from which the whole row can be read back, and the
// state that decides sending lives in script properties (server/mail-store.ts). This file only
// reads the cells and writes rows.
import type { MailRow } from '../domain/mail';
import { asText, spreadsheetDateFormatter } from './cells';
import { MAIL_COLUMNS, SHEETS } from './layout';
import { NotSetUp } from './register';
import { Table } from './table';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Key = (typeof MAIL_COLUMNS)[number]['key'];

/** One non-blank row as it stands in the sheet: its cells as text, by column key. */
export interface MailCells {
  row: number;
  cells: Record<Key, string>;
}

export interface MailLog {
  table: Table<Key>;
  rows: MailCells[];
}

export function readMailLog(ss: Spreadsheet): MailLog {
  const sheet = ss.getSheetByName(SHEETS.mail);
  if (!sheet)
    throw new NotSetUp(`シート「${SHEETS.mail}」がありません。メニューの「初期設定」を実行してください。`);
  const table = Table.read(sheet, MAIL_COLUMNS, spreadsheetDateFormatter(ss));
  const missing = table.missing();
  if (missing.length)
    throw new NotSetUp(
      `シート「${SHEETS.mail}」に列「${missing.join('」「')}」がありません。メニューの「初期設定」を実行してください。`,
    );
  const rows: MailLog['rows'] = [];
  const columns = table.columns(MAIL_COLUMNS.map((d) => d.key));
  for (let i = 0; i < table.rows.length; i++) {
    if (table.isBlank(i)) continue;
    const cells = {} as Record<Key, string>;
    for (const d of MAIL_COLUMNS) cells[d.key] = columns[d.key](i);
    rows.push({ row: table.rowNumber(i), cells });
  }
  return { table, rows };
}

/** How a field is displayed in its cell, as read back by `readMailLog`. */
export const mailCellText = (row: MailRow & { seal: string }, k: Key): string => String(row[k] ?? '');

const cellValue = (k: Key, v: unknown) =>
  k === 'round' || k === 'attempts' ? Number(v) : asText(String(v ?? ''));

/** The sheet row for `row`: our columns from it, any column of people's own as it was read. */
function rowValues(log: MailLog, row: MailRow & { seal: string }, read: readonly unknown[]): unknown[] {
  const out = Array.from({ length: log.table.width() }, (_, c) => read[c] ?? '');
  for (const d of MAIL_COLUMNS) {
    const c = log.table.col[d.key];
    if (c !== undefined) out[c] = cellValue(d.key, row[d.key]);
  }
  return out;
}

/** Appends rows at the bottom, in one write; returns the sheet row of the first. */
export function appendMailRows(log: MailLog, rows: readonly (MailRow & { seal: string })[]): number {
  if (!rows.length) return 0;
  const sheet = log.table.sheet;
  const block = rows.map((r) => rowValues(log, r, []));
  const first = sheet.getLastRow() + 1;
  const room = sheet.getMaxRows() - first + 1;
  if (room < block.length) sheet.insertRowsAfter(sheet.getMaxRows(), block.length - room);
  sheet.getRange(first, 1, block.length, log.table.width()).setValues(block);
  for (const [i, r] of rows.entries()) {
    const cells = {} as Record<Key, string>;
    for (const d of MAIL_COLUMNS) cells[d.key] = mailCellText(r, d.key);
    log.rows.push({ row: first + i, cells });
  }
  return first;
}

/**
 * Rewrites whole rows (sheet row numbers as read), one setValues per run of adjacent rows.
 * Columns people added keep what was read.
 */
export function rewriteMailRows(
  log: MailLog,
  rows: readonly { row: number; mail: MailRow & { seal: string } }[],
) {
  const sorted = [...rows].sort((a, b) => a.row - b.row);
  let start = 0;
  for (let i = 1; i <= sorted.length; i++) {
    if (i < sorted.length && sorted[i]!.row === sorted[i - 1]!.row + 1) continue;
    const run = sorted.slice(start, i);
    const block = run.map((r) => rowValues(log, r.mail, log.table.rows[r.row - 2] ?? []));
    log.table.sheet.getRange(run[0]!.row, 1, block.length, log.table.width()).setValues(block);
    start = i;
  }
  for (const r of rows) {
    const seen = log.rows.find((x) => x.row === r.row);
    const cells = {} as Record<Key, string>;
    for (const d of MAIL_COLUMNS) cells[d.key] = mailCellText(r.mail, d.key);
    if (seen) seen.cells = cells;
  }
}
