// 台帳状態, the sheet behind the accepted state: one row per record, each sealed over its kind, key
// and values. The head (kept beside the secret) holds the row count and a keyed digest of every
// row's ID and seal (seal.ts digester), so an edited row fails its seal and a removed, copied or
// older row, or a seal moved to another ID, changes the digest.
import {
  type AcceptedState,
  PROGRESS_STORED,
  PROPOSAL_STORED,
  progressFrom,
  progressValues,
  proposalFrom,
  proposalValues,
} from '../domain/accepted';
import { progressKey } from '../domain/draft';
import type { Progress, Proposal } from '../domain/model';
import { type Digester, isSeal, SEAL_ZERO, type Sealer, xorSeal } from '../domain/seal';
import { LEDGER_COLUMNS, LEDGER_VALUE_COLUMNS } from './layout';
import { rowRuns } from './table';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

const PROPOSAL = '課題';
const PROGRESS = '所管課別';
const WIDTH = LEDGER_COLUMNS.length;
const SEAL_COL = WIDTH - 1;

if (PROPOSAL_STORED.length > LEDGER_VALUE_COLUMNS || PROGRESS_STORED.length > LEDGER_VALUE_COLUMNS)
  throw new Error('台帳状態: too few value columns');

const storeKey = (kind: string, id: string, department: string) => `${kind}\u0000${id}\u0000${department}`;

function sealedRow(seal: Sealer, kind: string, id: string, department: string, values: string[]): string[] {
  const padded = values.concat(new Array<string>(LEDGER_VALUE_COLUMNS - values.length).fill(''));
  return [kind, id, department, ...padded, seal(['台帳状態', kind, id, department, ...padded])];
}

/** Cells as written, as is: the store's cells are given the plain-text format before each write. */
const asCells = (row: string[]) => row;

export interface StoreRead {
  /** Sheet row, seal and values of each stored record, by store key (first row of a key only). */
  rowOf: Map<string, number>;
  sealOf: Map<string, string>;
  entries: { kind: string; id: string; department: string; values: string[]; seal: string; row: number }[];
  /**
   * Rows in the sheet that are not blank, the XOR of every seal read (the digest of heads written
   * before the keyed one) and the keyed digest (seal.ts `digester`; '' when not computed).
   */
  count: number;
  xor: string;
  keyed: string;
  /** The sheet's last row; 0 when not read (`readStoreOf`). */
  lastRow: number;
  /** Whole rows already read, by sheet row (`readStoreOf`), so that they are not read twice. */
  cells?: Map<number, string[]>;
}

/** One read of the store, without checking seals (a commit only needs keys, rows and seals). */
export function readStore(sheet: Sheet, digest: Digester): StoreRead {
  return storeFromValues(sheet.getDataRange().getValues(), digest);
}

/** The store from its values whole (getDataRange's, or a Sheets API read of the whole sheet). */
export function storeFromValues(values: readonly (readonly unknown[])[], digest: Digester): StoreRead {
  const rowOf = new Map<string, number>();
  const sealOf = new Map<string, string>();
  const entries: StoreRead['entries'] = [];
  let xor = SEAL_ZERO;
  let keyed = SEAL_ZERO;
  let count = 0;
  for (let r = 1; r < values.length; r++) {
    const cells = values[r]!.slice(0, WIDTH).map((v) => (typeof v === 'string' ? v : String(v ?? '')));
    while (cells.length < WIDTH) cells.push('');
    if (cells.every((c) => c === '')) continue;
    count++;
    const stored = cells[SEAL_COL]!;
    const [kind, id, department] = cells as [string, string, string];
    if (isSeal(stored)) {
      xor = xorSeal(xor, stored);
      keyed = xorSeal(keyed, digest(id, stored));
    }
    const key = storeKey(kind, id, department);
    entries.push({ kind, id, department, values: cells.slice(3, SEAL_COL), seal: stored, row: r + 1 });
    if (rowOf.has(key)) continue;
    rowOf.set(key, r + 1);
    sealOf.set(key, stored);
  }
  return { rowOf, sealOf, entries, count, xor, keyed, lastRow: values.length };
}

/**
 * The store's rows of the given proposal IDs only: all a commit needs to place its rows, bring the
 * head's XOR along (it never trusts the store's own count or XOR) and check the accepted values it
 * builds on. One read of the ID column (1 of its 18 columns), then each run of adjacent rows of
 * those IDs whole. A key is placed at its first row, as `readStore` does. `entries` is empty; the
 * last row is left unknown (`lastRow` 0): a commit that appends asks the sheet.
 */
export function readStoreOf(sheet: Sheet, ids: ReadonlySet<string>): StoreRead {
  const box = storeIdBox(sheet);
  const idCells = box && ids.size ? sheet.getRange(box.row, box.col, box.rows, box.cols).getValues() : [];
  const cells = new Map<number, string[]>();
  for (const run of storeRunsOf(idCells, ids)) {
    const first = run[0]!.row;
    sheet
      .getRange(first, 1, run.length, WIDTH)
      .getValues()
      .forEach((r, k) => cells.set(first + k, r.map(text)));
  }
  return storeReadOf(cells);
}

/** The store's ID column, row 2 down (null when the sheet has no data rows). */
export function storeIdBox(sheet: Sheet) {
  const n = sheet.getMaxRows() - 1;
  return n > 0 ? { sheet, row: 2, col: 2, rows: n, cols: 1 } : null;
}

/** Runs of adjacent store rows holding these IDs, from the ID column read from row 2 down. */
export function storeRunsOf(idCells: readonly unknown[][], ids: ReadonlySet<string>): { row: number }[][] {
  const wanted: { row: number }[] = [];
  idCells.forEach((r, k) => {
    if (ids.has(text(r[0]))) wanted.push({ row: k + 2 });
  });
  return rowRuns(wanted);
}

/**
 * The store's row count and keyed digest as `readStore` finds them, from its ID and seal columns
 * alone (each read from row 2 down): every row the add-on writes has both, so a row removed,
 * copied, put back to an older version or unsealed changes one or the other. A row whose content
 * was changed under an intact seal shows only when that row is read (its seal is checked then).
 */
export function storeHeadOf(
  idCells: readonly unknown[][],
  sealCells: readonly unknown[][],
  digest: Digester,
) {
  let count = 0;
  let xor = SEAL_ZERO;
  for (let k = 0; k < Math.max(idCells.length, sealCells.length); k++) {
    const id = text(idCells[k]?.[0]);
    const seal = text(sealCells[k]?.[0]);
    if (id === '' && seal === '') continue;
    count++;
    if (isSeal(seal)) xor = xorSeal(xor, digest(id, seal));
  }
  return { count, xor };
}

/** The store's width: the cells of a row read whole. */
export const STORE_WIDTH = WIDTH;

/** A StoreRead of whole rows by sheet row (`readStoreOf`'s): `lastRow` when the reader found it. */
export function storeReadOf(rows: ReadonlyMap<number, readonly unknown[]>, lastRow = 0): StoreRead {
  const rowOf = new Map<string, number>();
  const sealOf = new Map<string, string>();
  const cells = new Map<number, string[]>();
  for (const [row, r] of rows) {
    const c = Array.from({ length: WIDTH }, (_, k) => text(r[k]));
    cells.set(row, c);
  }
  for (const [row, c] of [...cells].sort((a, b) => a[0] - b[0])) {
    const key = storeKey(c[0]!, c[1]!, c[2]!);
    if (rowOf.has(key)) continue;
    rowOf.set(key, row);
    sealOf.set(key, c[SEAL_COL]!);
  }
  return { rowOf, sealOf, entries: [], cells, count: NaN, xor: '', keyed: '', lastRow };
}

const text = (v: unknown) => (typeof v === 'string' ? v : String(v ?? ''));

/**
 * The accepted state in a store read: every row's seal is checked, and a row that fails it (or a
 * second row of a key) is left out and listed.
 */
export function verifiedState(
  read: StoreRead,
  seal: Sealer,
): { accepted: AcceptedState; unsealed: number[] } {
  const accepted: AcceptedState = { proposals: new Map(), progress: new Map() };
  const unsealed: number[] = [];
  for (const e of read.entries) {
    const ok =
      isSeal(e.seal) &&
      read.rowOf.get(storeKey(e.kind, e.id, e.department)) === e.row &&
      seal(['台帳状態', e.kind, e.id, e.department, ...e.values]) === e.seal;
    if (!ok) unsealed.push(e.row);
    else if (e.kind === PROPOSAL) accepted.proposals.set(e.id, proposalFrom(e.id, e.values));
    else if (e.kind === PROGRESS)
      accepted.progress.set(progressKey(e.id, e.department), progressFrom(e.id, e.department, e.values));
    else unsealed.push(e.row);
  }
  return { accepted, unsealed };
}

/** The planned writes of a commit to the store, and the head's new count and digest. */
export interface StorePlan {
  updates: { row: number; cells: string[] }[];
  appended: string[][];
  count: number;
  xor: string;
}

export function planStore(
  read: StoreRead,
  /** The head's count and digest; `digest` says how its rows count (null: the seals' plain XOR). */
  head: { count: number; xor: string; digest: Digester | null },
  seal: Sealer,
  changed: { proposals: readonly Proposal[]; progress: readonly Progress[] },
): StorePlan {
  const plan: StorePlan = { updates: [], appended: [], count: head.count, xor: head.xor };
  const part = (id: string, s: string) => (head.digest ? head.digest(id, s) : s);
  const put = (kind: string, id: string, department: string, values: string[]) => {
    const row = sealedRow(seal, kind, id, department, values);
    const key = storeKey(kind, id, department);
    const at = read.rowOf.get(key);
    const newSeal = row[SEAL_COL]!;
    if (at !== undefined) {
      if (read.sealOf.get(key) === newSeal) return;
      plan.xor = xorSeal(xorSeal(plan.xor, part(id, read.sealOf.get(key)!)), part(id, newSeal));
      plan.updates.push({ row: at, cells: asCells(row) });
    } else {
      plan.xor = xorSeal(plan.xor, part(id, newSeal));
      plan.count++;
      plan.appended.push(asCells(row));
    }
  };
  for (const p of changed.proposals) put(PROPOSAL, p.id, '', proposalValues(p));
  for (const r of changed.progress) put(PROGRESS, r.id, r.department, progressValues(r));
  return plan;
}

/** Writes a plan: one setValues per updated row, one for the appended block. */
export function writeStore(sheet: Sheet, plan: StorePlan, lastRow: number): void {
  for (const u of plan.updates) sheet.getRange(u.row, 1, 1, WIDTH).setNumberFormat('@').setValues([u.cells]);
  if (plan.appended.length) {
    const at = Math.max(lastRow, 1) + 1;
    const room = sheet.getMaxRows() - at + 1;
    if (room < plan.appended.length)
      sheet.insertRowsAfter(sheet.getMaxRows(), plan.appended.length - room + 100);
    sheet.getRange(at, 1, plan.appended.length, WIDTH).setNumberFormat('@').setValues(plan.appended);
  }
}

/** Replaces the whole store (a register upgraded, or a store found tampered with). */
export function rewriteStore(
  sheet: Sheet,
  accepted: AcceptedState,
  seal: Sealer,
  digest: Digester,
): { count: number; xor: string } {
  const rows: string[][] = [];
  let xor = SEAL_ZERO;
  for (const p of accepted.proposals.values())
    rows.push(sealedRow(seal, PROPOSAL, p.id, '', proposalValues(p)));
  for (const r of accepted.progress.values())
    rows.push(sealedRow(seal, PROGRESS, r.id, r.department, progressValues(r)));
  for (const r of rows) xor = xorSeal(xor, digest(r[1]!, r[SEAL_COL]!));
  const last = sheet.getLastRow();
  if (last > 1) sheet.getRange(2, 1, last - 1, Math.max(sheet.getLastColumn(), WIDTH)).clearContent();
  if (rows.length) {
    const room = sheet.getMaxRows() - 1;
    if (room < rows.length) sheet.insertRowsAfter(sheet.getMaxRows(), rows.length - room + 100);
    sheet.getRange(2, 1, rows.length, WIDTH).setNumberFormat('@').setValues(rows.map(asCells));
  }
  return { count: rows.length, xor };
}

/**
 * The accepted records of the given keys, read row by row from the store (a commit touches few
 * existing records) and kept only when their seal verifies. Keys are store keys of proposals
 * (`proposalKey`) and of progress rows (`progressStoreKey`).
 */
export function acceptedRows(
  sheet: Sheet,
  read: StoreRead,
  seal: Sealer,
  keys: readonly string[],
): AcceptedState {
  const out: AcceptedState = { proposals: new Map(), progress: new Map() };
  // Rows the read already holds are not read again; the rest, one read per run of adjacent rows.
  const cellsOf = new Map<number, string[]>(read.cells ?? []);
  for (const e of read.entries) cellsOf.set(e.row, [e.kind, e.id, e.department, ...e.values, e.seal]);
  const rows = new Set(
    keys.map((k) => read.rowOf.get(k)).filter((r): r is number => r !== undefined && !cellsOf.has(r)),
  );
  for (const run of rowRuns([...rows].map((row) => ({ row })))) {
    const first = run[0]!.row;
    sheet
      .getRange(first, 1, run.length, WIDTH)
      .getValues()
      .forEach((r, k) => cellsOf.set(first + k, r.map(text)));
  }
  for (const key of keys) {
    const cells = cellsOf.get(read.rowOf.get(key) ?? -1);
    if (!cells) continue;
    const [kind, id, department] = cells as [string, string, string];
    const values = cells.slice(3, SEAL_COL);
    if (
      storeKey(kind, id, department) !== key ||
      seal(['台帳状態', kind, id, department, ...values]) !== cells[SEAL_COL]
    )
      continue;
    if (kind === PROPOSAL) out.proposals.set(id, proposalFrom(id, values));
    else out.progress.set(progressKey(id, department), progressFrom(id, department, values));
  }
  return out;
}

export const proposalStoreKey = (id: string) => storeKey(PROPOSAL, id, '');
export const progressStoreKey = (id: string, department: string) => storeKey(PROGRESS, id, department);
