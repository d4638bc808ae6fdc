// 変更履歴: append-only, one row per changed field, each row's hash chained to the previous one so
// that an edited or deleted row is found by verifyChain.
import type { HistoryEntry } from '../domain/draft';
import { sha256Hex } from '../domain/hash';
import type { ReplayEntry } from '../domain/replay';
import { asText } from './cells';
import { HISTORY_COLUMNS } from './layout';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
const FIELDS = [
  'recordedAt',
  'effective',
  'user',
  'path',
  'id',
  'department',
  'field',
  'old',
  'new',
  'reason',
] as const;

export const GENESIS = 'genesis';
const HISTORY_GROWTH = 1000;

export function rowHash(prev: string, e: Pick<HistoryEntry, (typeof FIELDS)[number]>): string {
  return sha256Hex([prev, ...FIELDS.map((f) => e[f])].join('\u0001')).slice(0, 32);
}

/** Header positions of 変更履歴, found by name. */
function columns(sheet: Sheet): Map<string, number> {
  const header = sheet.getRange(1, 1, 1, Math.max(sheet.getLastColumn(), 1)).getValues()[0]!;
  const cols = new Map<string, number>();
  header.forEach((h, i) => {
    const def = HISTORY_COLUMNS.find((c) => c.header === String(h).trim());
    if (def) cols.set(def.key, i);
  });
  return cols;
}

/** Appends entries after the last row, chaining from its hash: three service reads and one write. */
export function appendHistory(sheet: Sheet, entries: readonly HistoryEntry[]): void {
  if (entries.length === 0) return;
  const cols = columns(sheet);
  const width = Math.max(...cols.values()) + 1;
  const last = sheet.getLastRow();
  let prev = GENESIS;
  if (last >= 2) prev = String(sheet.getRange(last, cols.get('hash')! + 1).getValue()) || GENESIS;
  const rows = entries.map((e) => {
    const hash = rowHash(prev, e);
    prev = hash;
    const row = new Array<unknown>(width).fill('');
    for (const f of FIELDS) row[cols.get(f)!] = asText(e[f]);
    row[cols.get('hash')!] = hash;
    return row;
  });
  // Grown with room to spare: otherwise every later append would cost one more call to grow it.
  const maxRows = sheet.getMaxRows();
  if (maxRows < last + rows.length)
    sheet.insertRowsAfter(maxRows, last + rows.length - maxRows + HISTORY_GROWTH);
  sheet.getRange(last + 1, 1, rows.length, width).setValues(rows);
}

export interface StoredHistory extends HistoryEntry {
  hash: string;
  row: number;
}

/** Reads the whole history (one getValues): entries as written, with their stored hash. */
export function readHistory(sheet: Sheet): StoredHistory[] {
  const values = sheet.getDataRange().getValues();
  const header = (values[0] ?? []).map((h) => String(h).trim());
  const at = (key: string) => header.indexOf(HISTORY_COLUMNS.find((c) => c.key === key)!.header);
  const [recordedAt, effective, user, path, id, department, field, old, neu, reason, hash] = [
    ...FIELDS,
    'hash',
  ].map(at) as number[];
  const out: StoredHistory[] = [];
  for (let r = 1; r < values.length; r++) {
    const row = values[r]!;
    const get = (i: number | undefined) => (i !== undefined && i >= 0 ? String(row[i] ?? '') : '');
    const h = get(hash);
    if (!h && !get(id) && !get(field) && !get(effective)) continue;
    out.push({
      recordedAt: get(recordedAt),
      effective: get(effective),
      user: get(user),
      path: get(path),
      id: get(id),
      department: get(department),
      field: get(field),
      old: get(old),
      new: get(neu),
      reason: get(reason),
      hash: h,
      row: r + 1,
    });
  }
  return out;
}

/**
 * The entries a replay to the end of `asOf` uses: rows of the given 項目 with a 効力日 up to that
 * day, without the user, path and hash. Reads the header, then only the block of columns it needs
 * (a 50,000-row history is read and filtered here without building the rows it skips).
 */
export function readReplayEntries(sheet: Sheet, fields: ReadonlySet<string>, asOf: string): ReplayEntry[] {
  const cols = columns(sheet);
  const found = ['recordedAt', 'effective', 'id', 'department', 'field', 'old', 'new', 'reason'].map((k) =>
    cols.get(k),
  );
  const last = sheet.getLastRow();
  if (found.some((c) => c === undefined) || last < 2) return [];
  const wanted = found as number[];
  const first = Math.min(...wanted);
  const [recordedAt, effective, id, department, field, old, neu, reason] = wanted.map((c) => c - first);
  const width = Math.max(...wanted) - first + 1;
  const values = sheet.getRange(2, first + 1, last - 1, width).getValues();
  const text = (v: unknown) => (typeof v === 'string' ? v : String(v ?? ''));
  const out: ReplayEntry[] = [];
  for (const row of values) {
    const f = text(row[field!]);
    if (!fields.has(f)) continue;
    const day = text(row[effective!]);
    if (!day || day > asOf) continue;
    out.push({
      recordedAt: text(row[recordedAt!]),
      effective: day,
      id: text(row[id!]),
      department: text(row[department!]),
      field: f,
      old: text(row[old!]),
      new: text(row[neu!]),
      reason: text(row[reason!]),
    });
  }
  return out;
}

/** The first row whose hash does not follow from the rows before it, or null when intact. */
export function verifyChain(entries: readonly StoredHistory[]): { row: number; message: string } | null {
  let prev = GENESIS;
  for (const e of entries) {
    if (rowHash(prev, e) !== e.hash)
      return {
        row: e.row,
        message: `変更履歴の${e.row}行目が書き換えられたか、その前の行が削除されています。`,
      };
    prev = e.hash;
  }
  return null;
}
