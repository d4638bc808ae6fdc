// The register as a change to some proposals needs it (what `loadRegisterOf` reads), in two Sheets
// API requests instead of a dozen SpreadsheetApp reads (batch-read.ts):
//   1. 設定 and 所管課 whole; the header and the ID column of 課題一覧, 所管課別進捗 and 協議記録;
//      台帳状態's ID column; 変更履歴's header and its rows from the head's last one down;
//   2. the rows of these proposals in each, and each sheet's rows from its last key down (so the
//      commit knows where to append without asking).
// Key columns are read where 初期設定 puts them; the header read beside them says whether they are
// still there, and a third request reads them where a person moved them.
// Nothing is decided here that loadRegisterOf does not decide: same tables, same first row of an
// ID, same checks; only the reads are fewer.
import { fiscalYearOf } from '../domain/dates';
import type { Digester } from '../domain/seal';
import { type Box, lastRowIn, readBoxes, wholeBox } from './batch-read';
import { spreadsheetDateFormatter } from './cells';
import {
  CONSULTATION_COLUMNS,
  type ColumnDef,
  DEPARTMENT_COLUMNS,
  PROGRESS_COLUMNS,
  PROPOSAL_COLUMNS,
  SETTINGS_COLUMNS,
  SHEETS,
} from './layout';
import {
  STORE_WIDTH,
  type StoreRead,
  storeHeadOf,
  storeIdBox,
  storeReadOf,
  storeRunsOf,
} from './ledger-store';
import {
  acceptedSettings,
  type LoadedRegister,
  registerOf,
  requireColumns,
  sheetOrThrow,
  type Tables,
} from './register';
import { readSettings } from './settings';
import { type PartialTable, Table } from './table';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

/** The add-on's own sheets, as the ledger knows them (null: not read here). */
export interface OwnSheets {
  store: Sheet | null;
  history: Sheet | null;
  /** 変更履歴's data rows by the head (kept beside the secret), or null when there is no head. */
  historyRows: number | null;
  /**
   * Read 台帳状態's seal column whole too, to check the store against the head without reading it
   * all: the head's keyed digest, counted with this.
   */
  storeHead?: Digester;
}

/** The key cells of 課題一覧 and 所管課別進捗, placed (rows hold their key cells only). */
export interface KeyedTables {
  proposals: PartialTable<'id'>;
  progress: PartialTable<'id' | 'department'>;
}

export interface BatchedRegister {
  reg: LoadedRegister;
  /** The proposals whose rows were read whole. */
  ids: ReadonlySet<string>;
  /** 台帳状態's row count and keyed digest, from its ID and seal columns (`own.storeHead`). */
  storeHead?: { count: number; xor: string };
  store?: { ids: ReadonlySet<string>; read: StoreRead };
  historyHeader?: readonly unknown[];
  historyLastRow?: number;
}

const headerRow = (sheet: Sheet): Box => ({ ...wholeBox(sheet), rows: 1 });
/** From `row` to the sheet's end, every column: where its last row with content is, if at or below `row`. */
const from = (sheet: Sheet, row: number): Box | null =>
  row <= sheet.getMaxRows() ? { ...wholeBox(sheet), row, rows: sheet.getMaxRows() - row + 1 } : null;

interface Spec<K extends string> {
  name: string;
  defs: readonly ColumnDef<K>[];
  keys: readonly K[];
}

const SPECS = [
  { name: SHEETS.proposals, defs: PROPOSAL_COLUMNS, keys: ['id'] },
  // The ID column alone: a proposal's rows are read whole, 所管課 with them, and a department row
  // is told by (ID, 所管課) among its proposal's rows only (the other rows are not this change's).
  { name: SHEETS.progress, defs: PROGRESS_COLUMNS, keys: ['id'] },
  { name: SHEETS.consultations, defs: CONSULTATION_COLUMNS, keys: ['id'] },
] as const satisfies readonly Spec<string>[];

/** A batch of boxes: each added box gives back the index of its grid in the batch's answer. */
class Batch {
  readonly boxes: Box[] = [];
  add(box: Box | null): number {
    if (!box) return -1;
    this.boxes.push(box);
    return this.boxes.length - 1;
  }
  read(ss: Spreadsheet): (i: number) => unknown[][] {
    const grids = readBoxes(ss, this.boxes);
    return (i) => (i < 0 ? [] : grids[i]!);
  }
}

export function loadRegisterOfBatched(
  ss: Spreadsheet,
  today: string,
  /** The proposals to read whole, or how to tell them from the key cells (a hand edit's rows). */
  idsOf: ReadonlySet<string> | ((keyed: KeyedTables) => ReadonlySet<string>),
  own: OwnSheets,
): BatchedRegister {
  const formatDate = spreadsheetDateFormatter(ss);
  const settingsSheet = sheetOrThrow(ss, SHEETS.settings);
  const departmentsSheet = sheetOrThrow(ss, SHEETS.departments);
  const sheets = SPECS.map((spec) => sheetOrThrow(ss, spec.name));
  // Where 初期設定 puts the key columns: the header read in the same request confirms it.
  const laidOut = SPECS.map((spec, i) =>
    (
      Table.fromHeader(
        sheets[i]!,
        spec.defs as readonly ColumnDef<string>[],
        spec.defs.map((d) => d.header),
        formatDate,
      ) as PartialTable<string>
    ).keyBox(spec.keys),
  );

  const first = new Batch();
  const settingsAt = first.add(wholeBox(settingsSheet));
  const departmentsAt = first.add(wholeBox(departmentsSheet));
  const headerAt = sheets.map((sheet) => first.add(headerRow(sheet)));
  const keysAt = laidOut.map((box, i) => first.add(box && { sheet: sheets[i]!, ...box }));
  const storeIds = own.store ? storeIdBox(own.store) : null;
  const storeIdsAt = first.add(storeIds);
  const storeSealsAt = first.add(own.storeHead && storeIds ? { ...storeIds, col: STORE_WIDTH } : null);
  const historyHeaderAt = first.add(own.history && headerRow(own.history));
  const historyTail = own.history && own.historyRows !== null ? from(own.history, own.historyRows + 1) : null;
  const historyTailAt = first.add(historyTail);
  const got = first.read(ss);

  const tables = SPECS.map((spec, i) =>
    requireColumns(
      spec.name,
      Table.fromHeader(
        sheets[i]!,
        spec.defs as readonly ColumnDef<string>[],
        got(headerAt[i]!)[0] ?? [],
        formatDate,
      ),
    ),
  );
  const keyBoxes = tables.map((t, i) => t.keyBox(SPECS[i]!.keys));
  // Key columns a person moved: read where the header says they are now.
  const moved = new Batch();
  const movedAt = keyBoxes.map((box, i) => {
    const guess = laidOut[i];
    const same = box && guess && box.col === guess.col && box.cols === guess.cols && box.rows === guess.rows;
    return same ? -1 : moved.add(box && { sheet: sheets[i]!, ...box });
  });
  const gotMoved = moved.boxes.length ? moved.read(ss) : () => [];

  tables.forEach((t, i) => {
    const box = keyBoxes[i];
    if (box) t.placeKeys(SPECS[i]!.keys, box, movedAt[i]! >= 0 ? gotMoved(movedAt[i]!) : got(keysAt[i]!));
  });
  const ids =
    typeof idsOf === 'function'
      ? idsOf({
          proposals: tables[0] as KeyedTables['proposals'],
          progress: tables[1] as KeyedTables['progress'],
        })
      : idsOf;
  const readStore = storeIdsAt >= 0 && ids.size > 0;

  const second = new Batch();
  const ofIds = ([id]: string[]) => ids.has(id!);
  const rowsAt = tables.map((t, i) => {
    const box = keyBoxes[i];
    if (!box) return { runs: [], at: [] as number[], tailAt: second.add(from(sheets[i]!, 1)) };
    const runs = t.runsOf(SPECS[i]!.keys, ofIds);
    const at = runs.map((run) =>
      second.add({ sheet: sheets[i]!, row: run[0]!.row, col: 1, rows: run.length, cols: t.rowWidth() }),
    );
    return { runs, at, tailAt: second.add(from(sheets[i]!, t.lastKeyRow())) };
  });
  const storeIdCells = got(storeIdsAt);
  const storeRuns = readStore ? storeRunsOf(storeIdCells, ids) : [];
  const storeRowsAt = storeRuns.map((run) =>
    second.add({ sheet: own.store!, row: run[0]!.row, col: 1, rows: run.length, cols: STORE_WIDTH }),
  );
  // The ID column's grid ends at its last ID: the store's rows with content end there or below.
  const storeTail = readStore ? from(own.store!, storeIdCells.length + 1) : null;
  const storeTailAt = second.add(storeTail);
  const got2 = second.read(ss);

  tables.forEach((t, i) => {
    const { runs, at, tailAt } = rowsAt[i]!;
    runs.forEach((run, k) => t.fill(run[0]!.row, got2(at[k]!), true));
    const tail = second.boxes[tailAt];
    const last = tail ? lastRowIn(tail, got2(tailAt)) : 0;
    if (last) t.knownLastRow = last;
    t.readPastedNumbers();
  });

  const settings = acceptedSettings(
    readSettings(
      requireColumns(
        SHEETS.settings,
        Table.fromValues(settingsSheet, SETTINGS_COLUMNS, got(settingsAt), formatDate, true),
      ),
      fiscalYearOf(today),
    ),
  );
  const departments = requireColumns(
    SHEETS.departments,
    Table.fromValues(departmentsSheet, DEPARTMENT_COLUMNS, got(departmentsAt), formatDate, true),
  );
  const reg = registerOf(ss, formatDate, settings, departments, {
    proposals: tables[0],
    progress: tables[1],
    consultations: tables[2],
  } as unknown as Tables);

  const out: BatchedRegister = { reg, ids };
  if (storeSealsAt >= 0 && own.storeHead)
    out.storeHead = storeHeadOf(storeIdCells, got(storeSealsAt), own.storeHead);
  if (readStore) {
    const rows = new Map<number, unknown[]>();
    storeRuns.forEach((run, k) => got2(storeRowsAt[k]!).forEach((r, j) => rows.set(run[0]!.row + j, r)));
    const last = storeTail ? lastRowIn(storeTail, got2(storeTailAt)) : 0;
    out.store = { ids, read: storeReadOf(rows, last) };
  }
  if (own.history) {
    out.historyHeader = got(historyHeaderAt)[0] ?? [];
    const last = historyTail ? lastRowIn(historyTail, got(historyTailAt)) : 0;
    if (last) out.historyLastRow = last;
  }
  return out;
}
