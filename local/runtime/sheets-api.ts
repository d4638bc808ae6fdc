// The Sheets advanced service (the Sheets API v4 as Apps Script exposes it), the one method the
// add-on uses: Spreadsheets.Values.batchGet, several ranges of any sheets in one request.
//
// What the emulation keeps of the API reference (developers.google.com/sheets/api/reference/rest/
// v4/spreadsheets.values/batchGet, ValueRange, ValueRenderOption, DateTimeRenderOption):
// - valueRanges come in the order the ranges were asked for;
// - each range is clipped to the sheet's grid and named back in A1 notation (the platform also
//   drops quotes a name does not need and writes a 1×1 range as one cell; the emulator always
//   quotes, and the add-on never compares the name it gets back);
// - empty trailing rows, and empty trailing cells of a row, are left out; a range with no value at
//   all has no `values` field; an empty cell inside a row is ''; an empty row above a row with
//   values is [] (not in the reference: brekkylab/backlot's tests, measured on real Sheets);
// - UNFORMATTED_VALUE gives numbers, booleans and strings as stored; dates and times are numbers
//   (SERIAL_NUMBER, days since 1899-12-30, the default) or their display text (FORMATTED_STRING);
//   FORMATTED_VALUE (the default) gives every cell's display text;
// - an unknown sheet or a range it cannot read fails the whole request: `Unable to parse range`.
// The API reads the spreadsheet as saved: it does not see SpreadsheetApp's writes still batched in
// the same execution (inferred, not documented: SpreadsheetApp keeps a write cache it commits
// before its own reads, googleappsscript.blogspot.com 2010/06; the add-on flushes before reading). The emulator applies writes at once and so cannot show the older values;
// it refuses such a read instead (runtime.ts), so a script that forgets SpreadsheetApp.flush()
// fails here rather than reading stale cells on the platform.
import { type Exec, fail } from './exec';
import { type CellData, displayValue, isDateFormat } from './values';
import type { SheetModel, WorkbookModel } from './workbook';

type Render = 'FORMATTED_VALUE' | 'UNFORMATTED_VALUE' | 'FORMULA';
type DateRender = 'SERIAL_NUMBER' | 'FORMATTED_STRING';

export interface BatchGetArgs {
  ranges?: string | string[];
  valueRenderOption?: Render;
  dateTimeRenderOption?: DateRender;
  majorDimension?: 'ROWS' | 'COLUMNS';
}

export interface ValueRange {
  range: string;
  majorDimension: 'ROWS';
  values?: (string | number | boolean)[][];
}

const colName = (col: number) => {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
};
const colNumber = (s: string) => [...s.toUpperCase()].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);

/** `'Sheet name'!A1:B2`, `Sheet!B2:B`, `Sheet!1:1`, `Sheet` → the sheet and the clipped box (1-based). */
function parseRange(book: WorkbookModel, text: string) {
  const bang = text.lastIndexOf('!');
  const rawName = bang < 0 ? text : text.slice(0, bang);
  const name = /^'.*'$/.test(rawName) ? rawName.slice(1, -1).replace(/''/g, "'") : rawName;
  const sheet = book.sheet(name);
  if (!sheet) return null;
  const box = { row: 1, col: 1, lastRow: sheet.maxRows, lastCol: sheet.maxCols };
  if (bang < 0) return { sheet, box };
  const a1 = text.slice(bang + 1);
  const m = /^\$?([A-Z]*)\$?(\d*)(?::\$?([A-Z]*)\$?(\d*))?$/i.exec(a1);
  if (!m || (!m[1] && !m[2])) return null;
  const [, c1, r1, c2, r2] = m;
  if (m[3] === undefined && m[4] === undefined) {
    // One cell (A1); a whole column (A) or row (1) is not written this way by the API's callers.
    if (!c1 || !r1) return null;
    box.row = box.lastRow = Number(r1);
    box.col = box.lastCol = colNumber(c1);
  } else {
    if (r1) box.row = Number(r1);
    if (c1) box.col = colNumber(c1);
    if (r2) box.lastRow = Math.min(Number(r2), sheet.maxRows);
    else if (!c2) return null;
    if (c2) box.lastCol = Math.min(colNumber(c2), sheet.maxCols);
    if (!r1 && r2) box.row = 1;
  }
  if (box.row < 1 || box.col < 1 || box.row > sheet.maxRows || box.col > sheet.maxCols) return null;
  return { sheet, box };
}

function cellValue(cell: CellData | undefined, render: Render, dates: DateRender): string | number | boolean {
  if (!cell || cell.v === '') return render === 'FORMULA' && cell?.f ? `=${cell.f}` : '';
  if (render === 'FORMULA' && cell.f) return `=${cell.f}`;
  if (render === 'FORMATTED_VALUE') return displayValue(cell);
  if (typeof cell.v === 'number' && isDateFormat(cell.fmt) && dates === 'FORMATTED_STRING')
    return displayValue(cell);
  return cell.v;
}

function read(
  sheet: SheetModel,
  box: { row: number; col: number; lastRow: number; lastCol: number },
  render: Render,
  dates: DateRender,
) {
  const rows: (string | number | boolean)[][] = [];
  for (let r = box.row; r <= box.lastRow; r++) {
    const row: (string | number | boolean)[] = [];
    for (let c = box.col; c <= box.lastCol; c++) row.push(cellValue(sheet.cell(r - 1, c - 1), render, dates));
    while (row.length && row[row.length - 1] === '') row.pop();
    rows.push(row);
  }
  while (rows.length && rows[rows.length - 1]!.length === 0) rows.pop();
  return rows;
}

const quoted = (name: string) => `'${name.replace(/'/g, "''")}'`;

const SCOPE = 'https://www.googleapis.com/auth/spreadsheets';

export class SheetsValues {
  constructor(
    private exec: Exec,
    private scopes: readonly string[],
  ) {}

  batchGet(spreadsheetId: string, args: BatchGetArgs = {}) {
    const exec = this.exec;
    // An advanced service needs the user's authorization, which a simple trigger never has (§2:
    // "cannot access services that require authorization"); the wording is the one Apps Script
    // gives other calls refused there (emulator's choice: no page quotes this call's).
    if (exec.mode === 'simple' || !this.scopes.includes(SCOPE))
      fail(
        exec,
        `You do not have permission to call Sheets.Spreadsheets.Values.batchGet. Required permissions: ${SCOPE}`,
      );
    const book =
      exec.addon?.registers.get(String(spreadsheetId)) ??
      (String(spreadsheetId) === exec.workbook.id ? exec.workbook : undefined);
    if (!book)
      fail(
        exec,
        `API call to sheets.spreadsheets.values.batchGet failed with error: Requested entity was not found.`,
      );
    const render = args.valueRenderOption ?? 'FORMATTED_VALUE';
    const dates = args.dateTimeRenderOption ?? 'SERIAL_NUMBER';
    if (args.majorDimension === 'COLUMNS')
      fail(exec, 'Sheets emulation: majorDimension COLUMNS is not emulated');
    const ranges = args.ranges === undefined ? [] : Array.isArray(args.ranges) ? args.ranges : [args.ranges];
    const valueRanges: ValueRange[] = ranges.map((text) => {
      const parsed = parseRange(book!, String(text));
      if (!parsed)
        fail(
          exec,
          `API call to sheets.spreadsheets.values.batchGet failed with error: Unable to parse range: ${text}`,
        );
      const { sheet, box } = parsed!;
      const values = read(sheet, box, render, dates);
      const range = `${quoted(sheet.name)}!${colName(box.col)}${box.row}:${colName(box.lastCol)}${box.lastRow}`;
      return values.length ? { range, majorDimension: 'ROWS', values } : { range, majorDimension: 'ROWS' };
    });
    return { spreadsheetId: book!.id, valueRanges };
  }
}

/** `Sheets`, as the manifest's enabledAdvancedServices names it (userSymbol), v4. */
export function makeSheetsService(
  exec: Exec,
  scopes: readonly string[],
  wrapValues: (values: SheetsValues) => object,
) {
  return { Spreadsheets: { Values: wrapValues(new SheetsValues(exec, scopes)) } };
}
