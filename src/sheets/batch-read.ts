// Several ranges of several sheets in one round trip, through the Sheets advanced service
// (Values.batchGet). SpreadsheetApp reads one range per call, and on the platform each call is a
// round trip: a change to one proposal used to need 18 of them.
//
// The API's values are not getValues's: dates and times come as serial numbers (days since
// 1899-12-30), and empty trailing rows and cells are left out. `readBoxes` gives the grids as the
// API sends them; the readers that know a column is a date turn its numbers into ISO days
// (`serialDay`), which is what the domain reads from a Date cell.

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** A rectangle of one sheet, 1-based. */
export interface Box {
  sheet: Sheet;
  row: number;
  col: number;
  rows: number;
  cols: number;
}

/** The advanced service when the manifest enables it (appsscript.json: enabledAdvancedServices). */
export function batchReadAvailable(): boolean {
  return typeof Sheets !== 'undefined' && !!Sheets?.Spreadsheets?.Values;
}

/** A sheet's whole grid (the API leaves out its empty end). */
export const wholeBox = (sheet: Sheet): Box => ({
  sheet,
  row: 1,
  col: 1,
  rows: Math.max(sheet.getMaxRows(), 1),
  cols: Math.max(sheet.getMaxColumns(), 1),
});

const letter = (col: number): string => {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
};

const a1 = (b: Box) =>
  `'${b.sheet.getName().replace(/'/g, "''")}'!${letter(b.col)}${b.row}:${letter(b.col + b.cols - 1)}${b.row + b.rows - 1}`;

/**
 * The boxes' values, in order: row by row from each box's first row, without the empty rows and
 * cells at its end (an empty box is []). One request, however many boxes.
 */
export function readBoxes(
  ss: Spreadsheet,
  boxes: readonly Box[],
  /** Formulas as their text ('=…'), so a formula that shows nothing still counts as content. */
  formulas = false,
): unknown[][][] {
  if (!boxes.length) return [];
  // The API reads the sheet as saved: writes this execution still batches would not be in it.
  SpreadsheetApp.flush();
  const response = Sheets!.Spreadsheets!.Values!.batchGet(ss.getId(), {
    ranges: boxes.map(a1),
    valueRenderOption: formulas ? 'FORMULA' : 'UNFORMATTED_VALUE',
    dateTimeRenderOption: 'SERIAL_NUMBER',
  });
  const ranges = response.valueRanges ?? [];
  return boxes.map((_, i) => (ranges[i]?.values ?? []) as unknown[][]);
}

/** Days from 1899-12-30 (serial 0) to 1970-01-01. */
const UNIX_EPOCH_SERIAL = 25569;

/** A serial date's day as 'yyyy-mm-dd': the serial's whole part is that day in the sheet's zone. */
export function serialDay(serial: number): string {
  return new Date((Math.floor(serial) - UNIX_EPOCH_SERIAL) * 86_400_000).toISOString().slice(0, 10);
}

/** The last sheet row with content in a box read from `box.row` down: 0 when the box is empty. */
export function lastRowIn(box: Box, grid: readonly unknown[][]): number {
  for (let k = grid.length - 1; k >= 0; k--)
    if (grid[k]!.some((v) => v !== '' && v !== null && v !== undefined)) return box.row + k;
  return 0;
}
