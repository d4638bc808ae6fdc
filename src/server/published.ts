// Publications (確定) read back from 変更履歴: only rows whose seal follows from the row before them.
import type { IsoDate } from '../domain/dates';
import { changeAgainst, PUBLISH_FIELD, type PublishedReport, parsePublication } from '../domain/published';
import { sealer } from '../domain/seal';
import { GENESIS, rowSeal, type StoredHistory } from '../sheets/history';
import { HISTORY_COLUMNS, SHEETS } from '../sheets/layout';
import { PROP_SECRET, scriptProps } from './context';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** Where each publication's history row is, so that a rebuild reads history from there only. */
export const PROP_PUBLISHED = 'PUBLISHED_REPORTS';

export interface IndexEntry {
  sheet: string;
  asOf: IsoDate;
  fiscalYear: number;
  row: number;
}

export function readIndex(): IndexEntry[] {
  try {
    const v = JSON.parse(scriptProps().getProperty(PROP_PUBLISHED) ?? '[]') as IndexEntry[];
    return Array.isArray(v) ? v.filter((e) => e && typeof e.row === 'number') : [];
  } catch {
    return [];
  }
}

/** A history row as stored: its fields, seal and sheet row. */
type Row = StoredHistory;

/** History rows from `from` (≥ 2) to the end, with the seal of the row before the first. */
function readHistoryFrom(ss: Spreadsheet, from: number): { rows: Row[]; prev: string } | null {
  const sheet = ss.getSheetByName(SHEETS.history);
  if (!sheet) return null;
  const last = sheet.getLastRow();
  const width = Math.max(sheet.getLastColumn(), 1);
  const start = Math.max(2, from - 1);
  if (last < start) return { rows: [], prev: GENESIS };
  const header = sheet
    .getRange(1, 1, 1, width)
    .getValues()[0]!
    .map((h) => String(h).trim());
  const at = Object.fromEntries(HISTORY_COLUMNS.map((c) => [c.key, header.indexOf(c.header)])) as Record<
    (typeof HISTORY_COLUMNS)[number]['key'],
    number
  >;
  if (Object.values(at).some((i) => i < 0)) return null;
  const values = sheet.getRange(start, 1, last - start + 1, width).getValues();
  const text = (v: unknown) => (typeof v === 'string' ? v : String(v ?? ''));
  const rows = values.map((r, i): Row => {
    const get = (k: keyof typeof at) => text(r[at[k]]);
    return {
      row: start + i,
      recordedAt: get('recordedAt'),
      effective: get('effective'),
      user: get('user'),
      path: get('path'),
      id: get('id'),
      department: get('department'),
      field: get('field'),
      old: get('old'),
      new: get('new'),
      reason: get('reason'),
      hash: get('hash'),
    };
  });
  // The seal of the row before `start` (GENESIS before the first row): only needed when the first
  // row read is itself a publication, which never happens (start is one row before it) but row 2.
  return { rows, prev: start === 2 ? GENESIS : '' };
}

/**
 * The publications of a 年度 (all, or only those for `asOf`), each with the later changes listed
 * against it. A 報告確定 row counts only when its seal follows from the row before it: a row typed,
 * pasted or edited by a person is not a publication. The index in script properties says where
 * to start reading; without it, or when it no longer points at a sealed row, history is read whole.
 */
export function readPublished(ss: Spreadsheet, fiscalYear: number, asOf?: IsoDate): PublishedReport[] {
  const index = readIndex().filter((e) => e.fiscalYear === fiscalYear && (!asOf || e.asOf === asOf));
  if (!index.length) return [];
  const secret = scriptProps().getProperty(PROP_SECRET);
  if (!secret) return [];
  const seal = sealer(secret);
  const scan = (from: number) => {
    const read = readHistoryFrom(ss, from);
    if (!read) return null;
    const found: PublishedReport[] = [];
    let prev = read.prev;
    for (const r of read.rows) {
      for (const p of found) {
        const c = changeAgainst(r, p.asOf);
        if (c) p.changes.push(c);
      }
      if (r.field === PUBLISH_FIELD && !r.id && prev && rowSeal(seal, prev, r) === r.hash) {
        const p = parsePublication(r);
        if (p && p.fiscalYear === fiscalYear && (!asOf || p.asOf === asOf)) found.push({ ...p, changes: [] });
      }
      prev = r.hash;
    }
    return found;
  };
  const from = Math.min(...index.map((e) => e.row));
  const found = scan(from) ?? [];
  // Every indexed publication found where the index says: done. Otherwise rows moved: read all.
  if (index.every((e) => found.some((p) => p.sheet === e.sheet))) return found;
  return scan(2) ?? found;
}

/** The latest publication per day: a day published twice is compared with its newest version. */
export function latestPerDay(reports: readonly PublishedReport[]): PublishedReport[] {
  const byDay = new Map<string, PublishedReport>();
  for (const r of reports) byDay.set(r.asOf, r);
  return [...byDay.values()].sort((a, b) => (a.asOf < b.asOf ? -1 : a.asOf > b.asOf ? 1 : 0));
}
