// 変更履歴: append-only, one row per changed field, each row sealed (HMAC with the script's secret)
// over its fields and the previous row's seal. The count of rows and the last seal are kept beside
// the secret (the ledger's head), so an edited, inserted, reordered, deleted or forged row, and a
// truncated tail, are all found by verifyHistory.

import { sha256Hex } from '../domain/hash';
import type { HistoryEntry } from '../domain/history-entry';
import type { ReplayEntry } from '../domain/replay';
import type { Sealer } from '../domain/seal';
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

/** The seal of one history row, chained to the previous row's seal. */
export function rowSeal(seal: Sealer, prev: string, e: Pick<HistoryEntry, (typeof FIELDS)[number]>): string {
  return seal(['変更履歴', prev, ...FIELDS.map((f) => e[f])]);
}

/** The public hash of registers set up before history was sealed (checked once, when upgrading). */
export function legacyRowHash(prev: string, e: Pick<HistoryEntry, (typeof FIELDS)[number]>): string {
  return sha256Hex([prev, ...FIELDS.map((f) => e[f])].join('\u0001')).slice(0, 32);
}

/** Header positions of 変更履歴, found by name. */
function columns(sheet: Sheet, read?: readonly unknown[]): Map<string, number> {
  // The whole first row in one read (its width is known without asking the sheet for cells).
  const header = read ?? sheet.getRange(1, 1, 1, Math.max(sheet.getMaxColumns(), 1)).getValues()[0]!;
  const cols = new Map<string, number>();
  header.forEach((h, i) => {
    const def = HISTORY_COLUMNS.find((c) => c.header === String(h).trim());
    if (def) cols.set(def.key, i);
  });
  return cols;
}

/** Rows ready to append: sealed from `prev` (the head's last seal, never a cell's). */
export interface SealedHistory {
  rows: unknown[][];
  width: number;
  last: string;
}

export function sealHistory(
  sheet: Sheet,
  entries: readonly HistoryEntry[],
  seal: Sealer,
  prev: string,
  /** The header row, when the run has read it already. */
  header?: readonly unknown[],
): SealedHistory {
  const cols = columns(sheet, header);
  for (const key of [...FIELDS, 'hash'])
    if (!cols.has(key))
      throw new Error(`変更履歴に列「${HISTORY_COLUMNS.find((c) => c.key === key)!.header}」がありません。`);
  const width = Math.max(...cols.values()) + 1;
  let last = prev;
  const rows = entries.map((e) => {
    last = rowSeal(seal, last, e);
    const row = new Array<unknown>(width).fill('');
    // Written as is into plain-text cells (below): '1E5' or '=x' stay what was recorded.
    for (const f of FIELDS) row[cols.get(f)!] = e[f];
    row[cols.get('hash')!] = last;
    return row;
  });
  return { rows, width, last };
}

/** Appends sealed rows after the last row in one write; returns the first row written. */
export function appendHistory(sheet: Sheet, sealed: SealedHistory, at = sheet.getLastRow() + 1): number {
  if (sealed.rows.length === 0) return at;
  // Grown with room to spare: otherwise every later append would cost one more call to grow it.
  const maxRows = sheet.getMaxRows();
  if (maxRows < at - 1 + sealed.rows.length)
    sheet.insertRowsAfter(maxRows, at - 1 + sealed.rows.length - maxRows + HISTORY_GROWTH);
  const range = sheet.getRange(at, 1, sealed.rows.length, sealed.width);
  // Plain text, so what a row seals is what the cell keeps (no number, date or formula made of it).
  range.setNumberFormat('@');
  range.setValues(sealed.rows);
  return at;
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
export function readReplayEntries(
  sheet: Sheet,
  fields: ReadonlySet<string>,
  asOf: string,
  /** Only these sheet rows (a commit's, from an index), when given. */
  range?: { from: number; count: number },
): ReplayEntry[] {
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
  const from = range ? Math.max(2, range.from) : 2;
  const rows = range ? Math.min(range.count, last - from + 1) : last - 1;
  if (rows < 1) return [];
  const values = sheet.getRange(from, first + 1, rows, width).getValues();
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

export interface HistoryHead {
  rows: number;
  last: string;
}

/**
 * Checks the whole history against its head: every row's seal follows from the row before it, and
 * the count and last seal are the head's. Returns what is wrong, in words for the secretariat, and
 * how many leading rows verify (only those may ever be replayed as accepted state).
 */
export function verifyHistory(
  entries: readonly StoredHistory[],
  seal: Sealer,
  head: HistoryHead,
): { problems: string[]; verified: number } {
  const problems: string[] = [];
  let prev = GENESIS;
  let verified = entries.length;
  const broken: number[] = [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (rowSeal(seal, prev, e) !== e.hash) {
      if (verified === entries.length) verified = i;
      broken.push(e.row);
    }
    prev = e.hash;
  }
  // Every broken row counts (the report is sent again when the set changes), the first few named.
  if (broken.length)
    problems.push(
      `変更履歴の${broken.slice(0, 5).join('・')}行目${broken.length > 5 ? `ほか、${broken[broken.length - 1]}行目まで合わせて${broken.length}行` : ''}が書き換えられたか、挿入・並べ替えられたか、その前の行が削除されています。`,
    );
  if (entries.length < head.rows)
    problems.push(`変更履歴の行が${head.rows - entries.length}行少なくなっています(削除または切り詰め)。`);
  else if (entries.length > head.rows)
    problems.push(`変更履歴に、アドオンが書いていない行が${entries.length - head.rows}行あります。`);
  else if (head.rows > 0 && entries[entries.length - 1]?.hash !== head.last)
    problems.push('変更履歴の最後の行が、アドオンの記録と一致しません(削除・書き換え・追加)。');
  return { problems, verified };
}

/** For upgrading a register set up before seals: the first row whose public hash does not follow. */
export function verifyLegacyChain(entries: readonly StoredHistory[]): number | null {
  let prev = GENESIS;
  for (const e of entries) {
    if (legacyRowHash(prev, e) !== e.hash) return e.row;
    prev = e.hash;
  }
  return null;
}
