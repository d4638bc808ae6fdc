// A sheet read once into memory, its columns found by header and its rows by ID; writes are
// collected and sent as one setValues per contiguous run of changed cells.

import { type Box, serialDay } from './batch-read';
import { cellText, type DateFormatter } from './cells';
import { type ColumnDef, isPlainTextColumn } from './layout';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

const columnLetter = (col: number): string => {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
};

/** Items sorted by row and grouped into runs of adjacent rows: one service call per run. */
export function rowRuns<T extends { row: number }>(items: readonly T[]): T[][] {
  const sorted = items.slice().sort((a, b) => a.row - b.row);
  const runs: T[][] = [];
  for (const item of sorted) {
    const last = runs[runs.length - 1];
    if (last && last[last.length - 1]!.row + 1 === item.row) last.push(item);
    else runs.push([item]);
  }
  return runs;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Whether a cell read now holds what was read before, whichever way each was read: getValues gives
 * a date cell as a Date, the Sheets API as a serial number, and a date column read by the API is
 * kept as its ISO day (Table.fill). Dates compare by day; anything else must be identical.
 */
export function sameCell(now: unknown, seen: unknown, dayOf?: DateFormatter): boolean {
  const a = now ?? '';
  const b = seen ?? '';
  if (a === b) return true;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  const day = (v: unknown, other: unknown) =>
    v instanceof Date
      ? dayOf?.(v)
      : typeof v === 'number' && typeof other !== 'number'
        ? serialDay(v)
        : typeof v === 'string' && ISO_DAY.test(v)
          ? v
          : undefined;
  const dayA = day(a, b);
  return dayA !== undefined && typeof a !== typeof b && dayA === day(b, a);
}

/** A table read in part: `whole` lists the data rows read whole (the others hold key cells only). */
export type PartialTable<K extends string> = Table<K> & { whole: Set<number> };

const isSpace = (c: number) => c <= 32 || c === 0x3000 || c === 0xa0 || c === 0xfeff;

export class Table<K extends string> {
  /** 0-based column index by key, from the header row. */
  readonly col: Partial<Record<K, number>> = {};
  /** Columns already converted by `column` (rows are as read and never change). */
  private readonly converted = new Map<K, string[]>();
  private constructor(
    readonly sheet: Sheet,
    readonly defs: readonly ColumnDef<K>[],
    readonly header: string[],
    /** Data rows (without the header), as read. */
    readonly rows: unknown[][],
    private readonly formatDate: DateFormatter,
  ) {
    for (const d of defs) {
      const i = header.indexOf(d.header);
      if (i >= 0) this.col[d.key] = i;
    }
  }

  /** One read of the whole sheet. */
  static read<K extends string>(
    sheet: Sheet,
    defs: readonly ColumnDef<K>[],
    formatDate: DateFormatter,
  ): Table<K> {
    return Table.fromValues(sheet, defs, sheet.getDataRange().getValues(), formatDate);
  }

  /** A whole sheet's values as read (`fromApi`: by the Sheets API, dates as serial numbers). */
  static fromValues<K extends string>(
    sheet: Sheet,
    defs: readonly ColumnDef<K>[],
    values: unknown[][],
    formatDate: DateFormatter,
    fromApi = false,
  ): Table<K> {
    const header = (values[0] ?? []).map((h) => String(h).trim());
    const table = new Table(sheet, defs, header, values.slice(1), formatDate);
    if (fromApi) table.rows.forEach((r, i) => table.fromApiRow(r, i));
    return table;
  }

  /**
   * The rows of some records only: the header, the key columns whole (to find rows by key, the
   * first row of a key as `read` finds it) and each run of adjacent rows whose keys `wanted`
   * accepts, whole. Other rows hold their key cells only. A save touches one proposal: this reads
   * a few columns of the sheet instead of all of them. `read` rows are listed in `whole`.
   */
  static readRows<K extends string>(
    sheet: Sheet,
    defs: readonly ColumnDef<K>[],
    formatDate: DateFormatter,
    keys: readonly K[],
    wanted: (keyTexts: string[]) => boolean,
  ): PartialTable<K> {
    const table = Table.fromHeader(
      sheet,
      defs,
      sheet.getRange(1, 1, 1, sheet.getMaxColumns()).getValues()[0] ?? [],
      formatDate,
    );
    const box = table.keyBox(keys);
    if (!box) return table;
    table.placeKeys(keys, box, sheet.getRange(box.row, box.col, box.rows, box.cols).getValues());
    for (const run of table.runsOf(keys, wanted)) {
      const at = run[0]!.row;
      table.fill(at, sheet.getRange(at, 1, run.length, table.rowWidth()).getValues());
    }
    return table;
  }

  /** A table of the header row alone, to be given its key cells (`placeKeys`) and rows (`fill`). */
  static fromHeader<K extends string>(
    sheet: Sheet,
    defs: readonly ColumnDef<K>[],
    cells: readonly unknown[],
    formatDate: DateFormatter,
  ): PartialTable<K> {
    const header = cells.map((h) => String(h).trim());
    while (header.length && header[header.length - 1] === '') header.pop();
    const table = new Table(sheet, defs, header, [], formatDate) as PartialTable<K>;
    table.whole = new Set();
    return table;
  }

  /** Where the key columns are, whole (row 2 down): null when a key column is missing or the sheet has no data rows. */
  keyBox(keys: readonly K[]): { row: number; col: number; rows: number; cols: number } | null {
    const cols = keys.map((k) => this.col[k]);
    const n = this.sheet.getMaxRows() - 1;
    if (n <= 0 || cols.some((c) => c === undefined)) return null;
    const first = Math.min(...(cols as number[]));
    const span = Math.max(...(cols as number[])) - first + 1;
    return { row: 2, col: first + 1, rows: n, cols: span };
  }

  /**
   * Takes the key cells read from `box` (row 2 down; a Sheets API grid may stop at its last
   * non-empty row): every data row then holds its key cells, the rows past the last key none.
   */
  placeKeys(keys: readonly K[], box: { col: number }, keyCells: readonly unknown[][]) {
    const cols = keys.map((k) => this.col[k]!);
    const first = box.col - 1;
    let last = 0;
    keyCells.forEach((r, i) => {
      const row: unknown[] = [];
      for (const c of cols) row[c] = r[c - first] ?? '';
      this.rows.push(row);
      if (r.some((v) => v !== '' && v !== null && v !== undefined)) last = i + 1;
    });
    // Rows past the last key are not kept: rows.length is the sheet's data rows, as `read` has them.
    this.rows.length = last;
  }

  /** The runs of adjacent sheet rows whose keys (as placed by `placeKeys`) `wanted` accepts. */
  runsOf(keys: readonly K[], wanted: (keyTexts: string[]) => boolean): { row: number }[][] {
    const cols = keys.map((k) => this.col[k]!);
    const runs: { row: number }[] = [];
    this.rows.forEach((row, i) => {
      if (wanted(cols.map((c) => this.cellAsText(row[c])))) runs.push({ row: i + 2 });
    });
    return rowRuns(runs);
  }

  /** The sheet row of the last key read by `placeKeys` (1 when there is none: the header). */
  lastKeyRow(): number {
    return this.rows.length + 1;
  }

  /** Cells per row when reading whole rows: the header's width. */
  rowWidth(): number {
    return Math.max(this.header.length, 1);
  }

  /** Whole rows read from sheet row `at` down (`fromApi`: by the Sheets API). */
  fill(this: PartialTable<K>, at: number, grid: readonly unknown[][], fromApi = false) {
    grid.forEach((r, k) => {
      const row = fromApi ? this.fromApiRow(r.slice(), at - 2 + k) : r;
      this.rows[at - 2 + k] = row;
      this.whole.add(at - 2 + k);
    });
  }

  /**
   * A row read by the Sheets API as getValues has it: as wide as the header ('' for the cells the
   * API leaves out at its end), dates as the ISO days a Date cell reads as. A number in a
   * plain-text column came with a paste that brought its format (the column is '@'): the API does
   * not say whether it shows as a date, so `readPastedNumbers` asks the sheet.
   */
  private fromApiRow(row: unknown[], index: number): unknown[] {
    while (row.length < this.header.length) row.push('');
    for (const d of this.defs) {
      const c = this.col[d.key];
      if (c === undefined || typeof row[c] !== 'number') continue;
      if (d.kind === 'date') row[c] = serialDay(row[c] as number);
      else if (isPlainTextColumn(d)) {
        const span = this.pastedNumbers.get(c);
        this.pastedNumbers.set(c, span ? { first: span.first, last: index } : { first: index, last: index });
      }
    }
    return row;
  }

  /** Data rows (first, last) of numbers the API read in each plain-text column. */
  private readonly pastedNumbers = new Map<number, { first: number; last: number }>();

  /**
   * The numbers the Sheets API read in plain-text columns, read again as getValues has them (a
   * date stays a date): one read per such column, none in a register without pasted formats.
   */
  readPastedNumbers() {
    for (const [c, { first, last }] of this.pastedNumbers) {
      const values = this.sheet.getRange(first + 2, c + 1, last - first + 1, 1).getValues();
      values.forEach(([v], k) => {
        const row = this.rows[first + k];
        if (row && typeof row[c] === 'number') row[c] = v;
      });
    }
    this.pastedNumbers.clear();
  }

  /**
   * The sheet's last row with content, for appending: as found by the read that loaded this table
   * when it found it (used once: an append changes it), else asked of the sheet.
   */
  lastRow(): number {
    const known = this.knownLastRow;
    this.knownLastRow = undefined;
    return known ?? this.sheet.getLastRow();
  }

  knownLastRow: number | undefined;

  missing(): string[] {
    return this.defs.filter((d) => this.col[d.key] === undefined).map((d) => d.header);
  }

  /** The sheet row number (1-based) of data row i. */
  rowNumber(i: number): number {
    return i + 2;
  }

  /** The cell at a sheet row (1-based, the header being row 1) and sheet column (1-based), as read. */
  cellAt(row: number, col: number): unknown {
    return this.rows[row - 2]?.[col - 1];
  }

  /** A key's text at a sheet row (1-based): what `text` gives for that row's data index. */
  textAt(row: number, key: K): string {
    return this.text(row - 2, key);
  }

  text(i: number, key: K): string {
    const c = this.col[key];
    return c === undefined ? '' : this.cellAsText(this.rows[i]?.[c]);
  }

  cellAsText(v: unknown): string {
    const s = cellText(v, this.formatDate);
    // Trimming allocates; most cells have nothing to trim (reads convert every cell of the register).
    return s !== '' && (isSpace(s.charCodeAt(0)) || isSpace(s.charCodeAt(s.length - 1))) ? s.trim() : s;
  }

  /**
   * A whole column as the domain's strings, converted in one pass and looked up by data row:
   * loaders building records from 10,000 rows go column by column, not cell by cell.
   */
  column(key: K): (i: number) => string {
    let texts = this.converted.get(key);
    if (!texts) {
      const c = this.col[key];
      texts = new Array<string>(this.rows.length);
      for (let i = 0; i < this.rows.length; i++)
        texts[i] = c === undefined ? '' : this.cellAsText(this.rows[i]![c]);
      this.converted.set(key, texts);
    }
    const done = texts;
    return (i) => done[i] ?? '';
  }

  /** Several columns as by `column`, by key. */
  columns<F extends K>(keys: readonly F[]): Record<F, (i: number) => string> {
    const out = {} as Record<F, (i: number) => string>;
    for (const k of keys) out[k] = this.column(k);
    return out;
  }

  raw(i: number, key: K): unknown {
    const c = this.col[key];
    return c === undefined ? '' : this.rows[i]?.[c];
  }

  /** Rows whose every listed key is blank are skipped (people leave gaps). */
  isBlank(i: number): boolean {
    return (this.rows[i] ?? []).every((v) => v === '' || v === null);
  }

  width(): number {
    return this.header.length;
  }

  /** Cell writes to this table's sheet (commit.ts), checked against the cells as this table read them. */
  writes(): Writes {
    return new Writes(this.sheet, this.textColumns(), this.formatDate);
  }

  /** Sheet columns (1-based) written as plain text (isPlainTextColumn: free text, display, lists). */
  textColumns(): Set<number> {
    const out = new Set<number>();
    for (const d of this.defs) {
      const c = this.col[d.key];
      if (c !== undefined && isPlainTextColumn(d)) out.add(c + 1);
    }
    return out;
  }
}

/** Cell writes for one sheet, flushed as one setValues per contiguous run in a row. */
export class Writes {
  private cells = new Map<number, Map<number, unknown>>();
  /** What each changed cell held when it was read, to re-check just before writing. */
  private expected = new Map<string, unknown>();
  private appended: unknown[][] = [];
  /**
   * `textColumns` (1-based): columns written as plain text. Before writing, the cells written there
   * are given the '@' format in one call, so text is stored as typed even where a paste from
   * elsewhere changed a cell's format or rows were added past the formatted ones.
   */
  constructor(
    private readonly sheet: Sheet,
    private readonly textColumns: ReadonlySet<number> = new Set(),
    /** A Date cell's day: a date read by the Sheets API was kept as that day (Table.fill). */
    private readonly dayOf?: DateFormatter,
  ) {}

  /** A1 ranges of the text cells about to be written: one per row run and per appended column. */
  private textRanges(firstAppended: number): string[] {
    const out: string[] = [];
    const a1 = (row: number, col: number, rows = 1) =>
      `${columnLetter(col)}${row}${rows > 1 ? `:${columnLetter(col)}${row + rows - 1}` : ''}`;
    for (const [row, cols] of this.cells)
      for (const col of cols.keys()) if (this.textColumns.has(col)) out.push(a1(row, col));
    if (this.appended.length)
      for (const col of this.textColumns) out.push(a1(firstAppended, col, this.appended.length));
    return out;
  }

  /**
   * row and col are 1-based sheet coordinates; `seen`, when given, is the value read before
   * deciding (a rest parameter, because a blank cell may have been read as undefined).
   */
  set(row: number, col: number, value: unknown, ...seen: [unknown?]) {
    const r = this.cells.get(row) ?? new Map<number, unknown>();
    r.set(col, value);
    this.cells.set(row, r);
    if (seen.length) this.expected.set(`${row}:${col}`, seen[0]);
  }

  /** The changed cells to re-check before writing: one box per row, from its first to its last checked cell. */
  recheckBoxes(): Box[] {
    const out: Box[] = [];
    for (const [row, cols] of this.cells) {
      const checked = [...cols.keys()].filter((c) => this.expected.has(`${row}:${c}`));
      if (!checked.length) continue;
      const first = Math.min(...checked);
      out.push({ sheet: this.sheet, row, col: first, rows: 1, cols: Math.max(...checked) - first + 1 });
    }
    return out;
  }

  /**
   * The re-checked cells that no longer hold what was read (someone typed into them meanwhile),
   * from the boxes of `recheckBoxes` as read now (by getValues or the Sheets API), in that order.
   */
  changedIn(grids: readonly (readonly unknown[][])[]): { row: number; col: number }[] {
    const out: { row: number; col: number }[] = [];
    this.recheckBoxes().forEach((box, i) => {
      const now = grids[i]?.[0] ?? [];
      for (let c = box.col; c < box.col + box.cols; c++) {
        const key = `${box.row}:${c}`;
        if (!this.expected.has(key)) continue;
        if (!sameCell(now[c - box.col], this.expected.get(key), this.dayOf))
          out.push({ row: box.row, col: c });
      }
    });
    return out;
  }

  /** `changedIn` with one getValues per changed row: nothing is written by this. */
  changedSinceRead(): { row: number; col: number }[] {
    return this.changedIn(
      this.recheckBoxes().map((b) => this.sheet.getRange(b.row, b.col, b.rows, b.cols).getValues()),
    );
  }

  append(row: unknown[]) {
    this.appended.push(row);
  }

  get size(): number {
    let n = this.appended.length;
    for (const r of this.cells.values()) n += r.size;
    return n;
  }

  /** The values about to be written, by sheet column (1-based), for checks before writing. */
  pending(): { col: number; value: unknown }[] {
    const out: { col: number; value: unknown }[] = [];
    for (const cols of this.cells.values()) for (const [col, value] of cols) out.push({ col, value });
    for (const row of this.appended) row.forEach((value, i) => out.push({ col: i + 1, value }));
    return out;
  }

  get appendedCount(): number {
    return this.appended.length;
  }

  /**
   * Writes everything; appended rows go at `at` (default: after the last row). Returns the sheet
   * row of the first appended row (0 when none).
   */
  flush(at?: number): number {
    if (this.textColumns.size) {
      const first = this.appended.length ? (at ?? this.sheet.getLastRow() + 1) : 0;
      if (this.appended.length) {
        const room = this.sheet.getMaxRows() - first + 1;
        if (room < this.appended.length)
          this.sheet.insertRowsAfter(this.sheet.getMaxRows(), this.appended.length - room);
        at = first;
      }
      const ranges = this.textRanges(first);
      if (ranges.length) this.sheet.getRangeList(ranges).setNumberFormat('@');
    }
    for (const [row, cols] of [...this.cells].sort((a, b) => a[0] - b[0])) {
      const sorted = [...cols].sort((a, b) => a[0] - b[0]);
      let start = 0;
      for (let i = 1; i <= sorted.length; i++) {
        if (i === sorted.length || sorted[i]![0] !== sorted[i - 1]![0] + 1) {
          const run = sorted.slice(start, i);
          this.sheet.getRange(row, run[0]![0], 1, run.length).setValues([run.map(([, v]) => v)]);
          start = i;
        }
      }
    }
    this.cells.clear();
    let firstAppended = 0;
    if (this.appended.length) {
      const width = Math.max(...this.appended.map((r) => r.length));
      const block = this.appended.map((r) => [...r, ...new Array(width - r.length).fill('')]);
      const first = at ?? this.sheet.getLastRow() + 1;
      firstAppended = first;
      const room = this.sheet.getMaxRows() - first + 1;
      if (room < block.length) this.sheet.insertRowsAfter(this.sheet.getMaxRows(), block.length - room);
      this.sheet.getRange(first, 1, block.length, width).setValues(block);
      this.appended = [];
    }
    return firstAppended;
  }
}
