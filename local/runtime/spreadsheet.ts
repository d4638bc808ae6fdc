// SpreadsheetApp as the add-on sees it. Each behaviour follows ../shared/APPS-SCRIPT-SEMANTICS.md
// (section numbers in comments) and is pinned by test/runtime/*.contract.test.ts.
import { type Exec, fail, isDate } from './exec';
import {
  type CellData,
  DEFAULT_DATETIME_FORMAT,
  displayValue,
  instantToSerial,
  isDateFormat,
  type Scalar,
  serialToInstant,
  storeTyped,
  type ValidationData,
} from './values';
import type { ChartData, ProtectionData, SheetModel } from './workbook';

const MAX_CELL_CHARS = 50_000;

export function columnLetters(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function parseA1(
  a1: string,
): { row: number; col: number; numRows: number | null; numCols: number | null } | null {
  const m = /^\$?([A-Z]+)\$?(\d+)?(?::\$?([A-Z]+)\$?(\d+)?)?$/i.exec(a1.trim());
  if (!m) return null;
  const colOf = (s: string) => [...s.toUpperCase()].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  const col = colOf(m[1]!);
  const row = m[2] ? Number(m[2]) : 1;
  if (!m[3]) return { row, col, numRows: m[2] ? 1 : null, numCols: 1 };
  const col2 = colOf(m[3]);
  return { row, col, numRows: m[4] ? Number(m[4]) - row + 1 : null, numCols: col2 - col + 1 };
}

/** The value getValue returns for a stored cell (§1.1): Dates in the sandbox realm, '' for blanks. */
function readValue(exec: Exec, cell: CellData | undefined): Scalar | Date {
  if (!cell) return '';
  if (typeof cell.v === 'number' && isDateFormat(cell.fmt)) {
    return exec.realm.date(serialToInstant(cell.v, exec.workbook.timeZone));
  }
  return cell.v;
}

export class DataValidation {
  constructor(readonly data: ValidationData) {}
  getCriteriaType() {
    return this.data.type;
  }
  getCriteriaValues() {
    return [this.data.values.slice()];
  }
  getAllowInvalid() {
    return this.data.allowInvalid;
  }
  getHelpText() {
    return this.data.helpText;
  }
  copy() {
    return new DataValidationBuilder({ ...this.data, values: this.data.values.slice() });
  }
}

export class DataValidationBuilder {
  // allowInvalid defaults to true: a rule only warns unless told otherwise (§11).
  constructor(
    private data: ValidationData = { type: 'VALUE_IN_LIST', values: [], allowInvalid: true, helpText: '' },
  ) {}
  requireValueInList(values: Scalar[], _showDropdown?: boolean) {
    this.data = { ...this.data, type: 'VALUE_IN_LIST', values: [...values] };
    return this;
  }
  requireCheckbox() {
    this.data = { ...this.data, type: 'CHECKBOX', values: [] };
    return this;
  }
  setAllowInvalid(allow: boolean) {
    this.data = { ...this.data, allowInvalid: allow };
    return this;
  }
  setHelpText(text: string) {
    this.data = { ...this.data, helpText: text };
    return this;
  }
  build() {
    return new DataValidation({ ...this.data });
  }
}

export class Protection {
  constructor(
    private exec: Exec,
    private sheet: SheetModel,
    readonly data: ProtectionData,
  ) {}
  setWarningOnly(w: boolean) {
    this.data.warningOnly = w;
    return this;
  }
  isWarningOnly() {
    return this.data.warningOnly;
  }
  setDescription(d: string) {
    this.data.description = d;
    return this;
  }
  getDescription() {
    return this.data.description;
  }
  addEditor(email: string) {
    if (!this.data.editors.includes(email)) this.data.editors.push(email);
    return this;
  }
  addEditors(emails: string[]) {
    for (const e of emails) this.addEditor(e);
    return this;
  }
  removeEditors(emails: string[]) {
    // The owner and the current user cannot be removed (§11).
    const keep = [this.exec.workbook.owner, this.exec.effectiveUser];
    this.data.editors = this.data.editors.filter((e) => !emails.includes(e) || keep.includes(e));
    return this;
  }
  getEditors() {
    return this.exec.realm.array(
      this.data.editors
        .filter((e) => e !== this.exec.workbook.owner)
        .map((email) => ({ getEmail: () => email })),
    );
  }
  canEdit() {
    return (
      this.data.warningOnly ||
      this.exec.effectiveUser === this.exec.workbook.owner ||
      this.data.editors.includes(this.exec.effectiveUser)
    );
  }
  setDomainEdit(v: boolean) {
    this.data.domainEdit = v;
    return this;
  }
  canDomainEdit() {
    return this.data.domainEdit;
  }
  remove() {
    this.sheet.protections = this.sheet.protections.filter((p) => p !== this.data);
  }
  getProtectionType() {
    return this.data.range ? 'RANGE' : 'SHEET';
  }
}

export class EmbeddedChartBuilder {
  private data: ChartData;
  constructor(
    private sheet: Sheet,
    id: number,
  ) {
    this.data = {
      id,
      type: 'BAR',
      ranges: [],
      position: { row: 1, col: 1, offsetX: 0, offsetY: 0 },
      options: {},
    };
  }
  setChartType(type: string) {
    this.data.type = String(type);
    return this;
  }
  addRange(range: Range) {
    const a1 = `${range.getSheet().getName()}!${range.getA1Notation()}`;
    if (!this.data.ranges.includes(a1)) this.data.ranges.push(a1);
    return this;
  }
  setPosition(row: number, col: number, offsetX: number, offsetY: number) {
    this.data.position = { row, col, offsetX, offsetY };
    return this;
  }
  setOption(key: string, value: unknown) {
    this.data.options[key] = value;
    return this;
  }
  build() {
    // build() does not insert: insertChart does (§11).
    return { data: { ...this.data, ranges: this.data.ranges.slice() }, sheet: this.sheet };
  }
}

export class Range {
  constructor(
    protected exec: Exec,
    protected model: SheetModel,
    readonly row: number,
    readonly col: number,
    readonly numRows: number,
    readonly numCols: number,
  ) {}

  getSheet() {
    return new Sheet(this.exec, this.model);
  }
  getRow() {
    return this.row;
  }
  getColumn() {
    return this.col;
  }
  getNumRows() {
    return this.numRows;
  }
  getNumColumns() {
    return this.numCols;
  }
  getLastRow() {
    return this.row + this.numRows - 1;
  }
  getLastColumn() {
    return this.col + this.numCols - 1;
  }
  getA1Notation() {
    const tl = `${columnLetters(this.col)}${this.row}`;
    return this.numRows === 1 && this.numCols === 1
      ? tl
      : `${tl}:${columnLetters(this.getLastColumn())}${this.getLastRow()}`;
  }
  getCell(r: number, c: number) {
    if (r < 1 || c < 1 || r > this.numRows || c > this.numCols)
      fail(this.exec, 'Cell reference out of range');
    return new Range(this.exec, this.model, this.row + r - 1, this.col + c - 1, 1, 1);
  }
  offset(dr: number, dc: number, nr = this.numRows, nc = this.numCols) {
    return getRangeChecked(this.exec, this.model, this.row + dr, this.col + dc, nr, nc);
  }

  private map<T>(f: (cell: CellData | undefined) => T): T[][] {
    const { realm } = this.exec;
    const out = realm.sized<T[]>(this.numRows);
    for (let r = 0; r < this.numRows; r++) {
      const row = realm.sized<T>(this.numCols);
      const src = this.model.cells[this.row - 1 + r];
      for (let c = 0; c < this.numCols; c++) row[c] = f(src?.[this.col - 1 + c]);
      out[r] = row;
    }
    return out;
  }

  getValues() {
    return this.map((cell) => readValue(this.exec, cell));
  }
  getValue() {
    return readValue(this.exec, this.model.cell(this.row - 1, this.col - 1));
  }
  getDisplayValues() {
    return this.map((cell) => displayValue(cell));
  }
  getDisplayValue() {
    return displayValue(this.model.cell(this.row - 1, this.col - 1));
  }
  getFormulas() {
    return this.map((cell) => cell?.f ?? '');
  }
  getFormula() {
    return this.model.cell(this.row - 1, this.col - 1)?.f ?? '';
  }
  getNumberFormats() {
    return this.map((cell) => cell?.fmt ?? 'General');
  }
  getNotes() {
    return this.map((cell) => cell?.note ?? '');
  }
  getNote() {
    return this.model.cell(this.row - 1, this.col - 1)?.note ?? '';
  }
  getDataValidation() {
    const v = this.model.cell(this.row - 1, this.col - 1)?.validation;
    return v ? new DataValidation(v) : null;
  }
  getDataValidations() {
    return this.map((cell) => (cell?.validation ? new DataValidation(cell.validation) : null));
  }
  getBackground() {
    return this.model.cell(this.row - 1, this.col - 1)?.style?.background ?? '#ffffff';
  }

  protected assertWritable() {
    const { exec, model } = this;
    for (const p of model.protections) {
      if (p.warningOnly) continue;
      const allowed = exec.effectiveUser === exec.workbook.owner || p.editors.includes(exec.effectiveUser);
      if (allowed) continue;
      const r = p.range;
      const overlaps =
        !r ||
        (r.row <= this.getLastRow() &&
          this.row <= r.row + r.numRows - 1 &&
          r.col <= this.getLastColumn() &&
          this.col <= r.col + r.numCols - 1);
      if (overlaps) {
        fail(
          exec,
          'You are trying to edit a protected cell or object. Please contact the spreadsheet owner to remove protection if you need to edit.',
        );
      }
    }
  }

  private forEachCell(f: (cell: CellData, r: number, c: number) => void) {
    this.assertWritable();
    for (let r = 0; r < this.numRows; r++) {
      for (let c = 0; c < this.numCols; c++) f(this.model.ensure(this.row - 1 + r, this.col - 1 + c), r, c);
    }
  }

  /** Writes one value with Sheets' rules (§1.2): strings parsed as typed, Dates as serials. */
  /** `year` completes a typed date without one (as Sheets does with the current year). */
  private write(cell: CellData, value: unknown, year: number) {
    const { exec } = this;
    delete cell.f;
    if (value === null || value === '') {
      cell.v = '';
    } else if (typeof value === 'string') {
      if (value.length > MAX_CELL_CHARS)
        fail(exec, 'Your input contains more than the maximum of 50000 characters in a single cell.');
      storeTyped(cell, value, year);
    } else if (typeof value === 'number' || typeof value === 'boolean') {
      cell.v = value;
    } else if (isDate(value)) {
      cell.v = instantToSerial(value.getTime(), exec.workbook.timeZone);
      if (!isDateFormat(cell.fmt)) cell.fmt = DEFAULT_DATETIME_FORMAT;
    } else {
      // undefined, objects and arrays: unverified in Apps Script (§1.2), so refuse loudly.
      fail(
        exec,
        `The runtime refuses to write ${Object.prototype.toString.call(value)}: Apps Script's behaviour is unverified.`,
      );
    }
  }

  private currentYear() {
    return new Date(this.exec.now()).getFullYear();
  }

  setValues(values: unknown[][]) {
    const { exec } = this;
    if (!Array.isArray(values) || !values.every(Array.isArray)) {
      fail(
        exec,
        "The parameters (number[]) don't match the method signature for SpreadsheetApp.Range.setValues.",
      );
    }
    if (values.length !== this.numRows) {
      fail(
        exec,
        `The number of rows in the data does not match the number of rows in the range. The data has ${values.length} but the range has ${this.numRows}.`,
      );
    }
    for (const row of values) {
      if (row.length !== this.numCols) {
        fail(
          exec,
          `The number of columns in the data does not match the number of columns in the range. The data has ${row.length} but the range has ${this.numCols}.`,
        );
      }
    }
    const year = this.currentYear();
    this.forEachCell((cell, r, c) => this.write(cell, values[r]![c], year));
    return this;
  }
  setValue(value: unknown) {
    // Every cell of a multi-cell range gets the value (§1.2).
    const year = this.currentYear();
    this.forEachCell((cell) => this.write(cell, value, year));
    return this;
  }
  clearContent() {
    this.forEachCell((cell) => {
      cell.v = '';
      delete cell.f;
    });
    return this;
  }
  /**
   * clear(): "Clears the range of contents and formats" (D: Range reference), so notes and data
   * validations stay (they have clearNote/clearDataValidations). clear(options): only what the
   * options name; with none named, everything ("By default all data is cleared", D).
   */
  clear(options?: ClearOptions) {
    const what = clearWhat(options, true);
    this.forEachCell((cell, r, c) => {
      clearCell(cell, what);
      if (isBlank(cell)) this.model.cells[this.row - 1 + r]![this.col - 1 + c] = undefined;
    });
    return this;
  }
  clearNote() {
    this.forEachCell((cell) => {
      delete cell.note;
    });
    return this;
  }
  clearDataValidations() {
    this.forEachCell((cell) => {
      delete cell.validation;
    });
    return this;
  }
  clearFormat() {
    // "does not reset any number formatting rules" (D: Range.clearFormat).
    this.forEachCell((cell) => {
      delete cell.style;
    });
    return this;
  }
  setNumberFormat(fmt: string) {
    this.forEachCell((cell) => {
      cell.fmt = fmt;
    });
    return this;
  }
  setNumberFormats(fmts: string[][]) {
    checkGrid(this.exec, fmts, this.numRows, this.numCols, 'setNumberFormats');
    this.forEachCell((cell, r, c) => {
      cell.fmt = fmts[r]![c]!;
    });
    return this;
  }
  setNote(note: string | null) {
    this.forEachCell((cell) => {
      if (note === null || note === '') delete cell.note;
      else cell.note = String(note);
    });
    return this;
  }
  setNotes(notes: (string | null)[][]) {
    checkGrid(this.exec, notes, this.numRows, this.numCols, 'setNotes');
    this.forEachCell((cell, r, c) => {
      const n = notes[r]![c];
      if (n === null || n === '' || n === undefined) delete cell.note;
      else cell.note = String(n);
    });
    return this;
  }
  setDataValidation(rule: DataValidation | null) {
    this.forEachCell((cell) => {
      if (rule) cell.validation = { ...rule.data, values: rule.data.values.slice() };
      else delete cell.validation;
    });
    return this;
  }
  private styled(f: (s: NonNullable<CellData['style']>) => void) {
    // Cells share style objects, replaced and never changed in place: formatting a 60,000-cell
    // range makes one new style per distinct old one, not one per cell.
    const restyled = new Map<CellData['style'], NonNullable<CellData['style']>>();
    this.forEachCell((cell) => {
      let next = restyled.get(cell.style);
      if (!next) {
        next = { ...cell.style };
        f(next);
        restyled.set(cell.style, next);
      }
      cell.style = next;
    });
    return this;
  }
  setFontWeight(w: string | null) {
    return this.styled((s) => {
      s.bold = w === 'bold';
    });
  }
  setBackground(color: string | null) {
    // Not validated, as in Apps Script (§0.4).
    return this.styled((s) => {
      if (color) s.background = color;
      else delete s.background;
    });
  }
  setFontColor(color: string | null) {
    return this.styled((s) => {
      if (color) s.fontColor = color;
      else delete s.fontColor;
    });
  }
  setHorizontalAlignment(a: string | null) {
    return this.styled((s) => {
      if (a) s.hAlign = a;
      else delete s.hAlign;
    });
  }
  setVerticalAlignment(a: string | null) {
    return this.styled((s) => {
      if (a) s.vAlign = a;
      else delete s.vAlign;
    });
  }
  setWrap(w: boolean) {
    return this.styled((s) => {
      s.wrap = w;
    });
  }
  setBorder(top: boolean | null, ..._rest: unknown[]) {
    return this.styled((s) => {
      s.border = !!top;
    });
  }
  protect() {
    const data: ProtectionData = {
      id: this.exec.workbook.nextObjectId++,
      range: { row: this.row, col: this.col, numRows: this.numRows, numCols: this.numCols },
      description: '',
      warningOnly: false,
      editors: [this.exec.effectiveUser],
      domainEdit: true,
    };
    this.model.protections.push(data);
    return new Protection(this.exec, this.model, data);
  }
  activate() {
    this.exec.ui.push({ kind: 'select', sheet: this.model.name, range: this.getA1Notation() });
    return this;
  }
}

/** Applies each call to every range of the list, chaining (§11). */
export class RangeList {
  constructor(private ranges: Range[]) {}
  getRanges() {
    return this.ranges.slice();
  }
  private each(f: (r: Range) => unknown) {
    for (const r of this.ranges) f(r);
    return this;
  }
  setFontWeight(w: string | null) {
    return this.each((r) => r.setFontWeight(w));
  }
  setBackground(c: string | null) {
    return this.each((r) => r.setBackground(c));
  }
  setHorizontalAlignment(a: string | null) {
    return this.each((r) => r.setHorizontalAlignment(a));
  }
  setBorder(top: boolean | null, ...rest: unknown[]) {
    return this.each((r) => r.setBorder(top, ...rest));
  }
  setNumberFormat(f: string) {
    return this.each((r) => r.setNumberFormat(f));
  }
  setValue(v: unknown) {
    return this.each((r) => r.setValue(v));
  }
  setNote(n: string | null) {
    return this.each((r) => r.setNote(n));
  }
  setWrap(w: boolean) {
    return this.each((r) => r.setWrap(w));
  }
  clearContent() {
    return this.each((r) => r.clearContent());
  }
}

/** The size checks setValues makes (§1.2), for the other 2-D setters. */
function checkGrid(exec: Exec, grid: unknown, numRows: number, numCols: number, method: string) {
  if (!Array.isArray(grid) || !grid.every(Array.isArray))
    fail(
      exec,
      `The parameters (${typeof grid}) don't match the method signature for SpreadsheetApp.Range.${method}.`,
    );
  if (grid.length !== numRows)
    fail(
      exec,
      `The number of rows in the data does not match the number of rows in the range. The data has ${grid.length} but the range has ${numRows}.`,
    );
  for (const row of grid as unknown[][])
    if (row.length !== numCols)
      fail(
        exec,
        `The number of columns in the data does not match the number of columns in the range. The data has ${row.length} but the range has ${numCols}.`,
      );
}

interface ClearOptions {
  contentsOnly?: boolean;
  formatOnly?: boolean;
  validationsOnly?: boolean;
  commentsOnly?: boolean;
  skipFilteredRows?: boolean;
}

interface ClearWhat {
  contents: boolean;
  formats: boolean;
  validations: boolean;
  notes: boolean;
}

/** What a clear() clears: without options contents and formats; with options what they name. */
function clearWhat(options: ClearOptions | undefined, rangeOptions: boolean): ClearWhat {
  if (options === undefined) return { contents: true, formats: true, validations: false, notes: false };
  const o = options;
  const named = !!(o.contentsOnly || o.formatOnly || (rangeOptions && (o.validationsOnly || o.commentsOnly)));
  // Range.clear(options) with nothing named clears all data (D); Sheet.clear(options) contents and format.
  if (!named) return { contents: true, formats: true, validations: rangeOptions, notes: rangeOptions };
  return {
    contents: !!o.contentsOnly,
    formats: !!o.formatOnly,
    validations: rangeOptions && !!o.validationsOnly,
    notes: rangeOptions && !!o.commentsOnly,
  };
}

function clearCell(cell: CellData, what: ClearWhat) {
  if (what.contents) {
    cell.v = '';
    delete cell.f;
  }
  if (what.formats) {
    delete cell.fmt;
    delete cell.style;
  }
  if (what.validations) delete cell.validation;
  if (what.notes) delete cell.note;
}

const isBlank = (cell: CellData) =>
  cell.v === '' && !cell.f && !cell.fmt && !cell.style && !cell.note && !cell.validation;

function getRangeChecked(
  exec: Exec,
  model: SheetModel,
  row: number,
  col: number,
  numRows = 1,
  numCols = 1,
): Range {
  if (
    !Number.isInteger(row) ||
    !Number.isInteger(col) ||
    !Number.isInteger(numRows) ||
    !Number.isInteger(numCols)
  ) {
    fail(
      exec,
      "The parameters (number,number,number,number) don't match the method signature for SpreadsheetApp.Sheet.getRange.",
    );
  }
  if (row < 1) fail(exec, 'The starting row of the range is too small.');
  if (col < 1) fail(exec, 'The starting column of the range is too small.');
  if (numRows < 1) fail(exec, 'The number of rows in the range must be at least 1.');
  if (numCols < 1) fail(exec, 'The number of columns in the range must be at least 1.');
  if (row + numRows - 1 > model.maxRows || col + numCols - 1 > model.maxCols) {
    fail(exec, 'The coordinates of the range are outside the dimensions of the sheet.');
  }
  return new Range(exec, model, row, col, numRows, numCols);
}

export class Sheet {
  constructor(
    private exec: Exec,
    readonly model: SheetModel,
  ) {}
  getName() {
    return this.model.name;
  }
  setName(name: string) {
    if (this.exec.workbook.sheets.some((s) => s.name === name && s !== this.model)) {
      fail(this.exec, `A sheet with the name "${name}" already exists. Please enter another name.`);
    }
    this.model.name = name;
    return this;
  }
  getSheetId() {
    return this.model.id;
  }
  getIndex() {
    return this.exec.workbook.sheets.indexOf(this.model) + 1;
  }
  getParent() {
    return new Spreadsheet(this.exec);
  }
  getRange(a: number | string, b?: number, c?: number, d?: number): Range {
    if (typeof a === 'string') {
      const p = parseA1(a.includes('!') ? a.split('!')[1]! : a);
      if (!p) fail(this.exec, 'Range not found');
      const numRows = p.numRows ?? Math.max(this.model.maxRows - p.row + 1, 1);
      return getRangeChecked(this.exec, this.model, p.row, p.col, numRows, p.numCols ?? 1);
    }
    return getRangeChecked(this.exec, this.model, a, b!, c ?? 1, d ?? 1);
  }
  getDataRange() {
    return new Range(
      this.exec,
      this.model,
      1,
      1,
      Math.max(this.model.lastRow(), 1),
      Math.max(this.model.lastColumn(), 1),
    );
  }
  getLastRow() {
    return this.model.lastRow();
  }
  getLastColumn() {
    return this.model.lastColumn();
  }
  getMaxRows() {
    return this.model.maxRows;
  }
  getMaxColumns() {
    return this.model.maxCols;
  }
  insertRowsAfter(after: number, n: number) {
    // Not splice(after, 0, ...rows): 100,000 arguments overflow the stack (a 10,000-proposal import).
    const cells = this.model.cells;
    const below = cells.splice(after);
    for (let i = 0; i < n; i++) cells.push([]);
    for (const row of below) cells.push(row);
    this.model.maxRows += n;
    return this;
  }
  insertColumnsAfter(after: number, n: number) {
    for (const row of this.model.cells) if (row && row.length > after) row.splice(after, 0, ...new Array(n));
    this.model.maxCols += n;
    return this;
  }
  appendRow(values: unknown[]) {
    const r = this.model.lastRow() + 1;
    if (r > this.model.maxRows) this.model.maxRows = r;
    if (values.length > this.model.maxCols) this.model.maxCols = values.length;
    new Range(this.exec, this.model, r, 1, 1, values.length).setValues([values]);
    return this;
  }
  deleteRows(row: number, n: number) {
    if (n >= this.model.maxRows - this.model.frozenRows)
      fail(this.exec, 'Sorry, it is not possible to delete all non-frozen rows.');
    this.model.cells.splice(row - 1, n);
    this.model.maxRows -= n;
  }
  deleteRow(row: number) {
    this.deleteRows(row, 1);
  }
  setFrozenRows(n: number) {
    this.model.frozenRows = n;
  }
  getFrozenRows() {
    return this.model.frozenRows;
  }
  setColumnWidth(col: number, width: number) {
    this.model.colWidths[col] = width;
    return this;
  }
  setColumnWidths(start: number, n: number, width: number) {
    for (let c = start; c < start + n; c++) this.model.colWidths[c] = width;
    return this;
  }
  getColumnWidth(col: number) {
    return this.model.colWidths[col] ?? 100;
  }
  protect() {
    // An existing sheet protection is returned, not doubled (§11).
    const existing = this.model.protections.find((p) => p.range === null);
    if (existing) return new Protection(this.exec, this.model, existing);
    const data: ProtectionData = {
      id: this.exec.workbook.nextObjectId++,
      range: null,
      description: '',
      warningOnly: false,
      editors: [this.exec.effectiveUser],
      domainEdit: true,
    };
    this.model.protections.push(data);
    return new Protection(this.exec, this.model, data);
  }
  getProtections(type: string) {
    const want = String(type) === 'SHEET' ? null : 'RANGE';
    return this.exec.realm.array(
      this.model.protections
        .filter((p) => (want === null ? p.range === null : p.range !== null))
        .map((p) => new Protection(this.exec, this.model, p)),
    );
  }
  /**
   * clear(): "Clears the sheet of content and formatting information" (D: Sheet reference): notes
   * and data validations stay. clear({contentsOnly, formatOnly}) clears what it names.
   */
  clear(options?: ClearOptions) {
    const what = clearWhat(options, false);
    this.model.cells.forEach((row) =>
      row?.forEach((cell, c) => {
        if (!cell) return;
        clearCell(cell, what);
        if (isBlank(cell)) row[c] = undefined;
      }),
    );
    return this;
  }
  clearContents() {
    for (const row of this.model.cells)
      for (const cell of row ?? [])
        if (cell) {
          cell.v = '';
          delete cell.f;
        }
    return this;
  }
  getRangeList(a1s: string[]) {
    // The list must be non-empty and on this sheet (§11).
    if (!Array.isArray(a1s) || a1s.length === 0)
      fail(
        this.exec,
        "The parameters (String[]) don't match the method signature for SpreadsheetApp.Sheet.getRangeList.",
      );
    return new RangeList(a1s.map((a1) => this.getRange(a1)));
  }
  newChart() {
    return new EmbeddedChartBuilder(this, this.exec.workbook.nextObjectId++);
  }
  insertChart(chart: { data: ChartData }) {
    this.model.charts.push(chart.data);
  }
  getCharts() {
    return this.exec.realm.array(
      this.model.charts.map((data) => ({ data, getId: () => String(data.id), getRanges: () => data.ranges })),
    );
  }
  removeChart(chart: { data: ChartData }) {
    this.model.charts = this.model.charts.filter((c) => c.id !== chart.data.id);
  }
  activate() {
    this.exec.ui.push({ kind: 'select', sheet: this.model.name });
    return this;
  }
  setActiveSelection(a1: string | Range) {
    const range = typeof a1 === 'string' ? this.getRange(a1) : a1;
    return range.activate();
  }
  hideSheet() {
    this.model.hidden = true;
    return this;
  }
  isSheetHidden() {
    return this.model.hidden;
  }
}

export class Spreadsheet {
  constructor(private exec: Exec) {}
  getId() {
    return this.exec.workbook.id;
  }
  getName() {
    return this.exec.workbook.name;
  }
  getUrl() {
    return `https://docs.google.com/spreadsheets/d/${this.exec.workbook.id}/edit`;
  }
  getSpreadsheetTimeZone() {
    return this.exec.workbook.timeZone;
  }
  getSpreadsheetLocale() {
    return this.exec.workbook.locale;
  }
  getSheets() {
    return this.exec.realm.array(this.exec.workbook.sheets.map((m) => new Sheet(this.exec, m)));
  }
  getSheetByName(name: string) {
    const m = this.exec.workbook.sheet(name);
    return m ? new Sheet(this.exec, m) : null;
  }
  getActiveSheet() {
    return new Sheet(this.exec, this.exec.workbook.sheets[0]!);
  }
  insertSheet(name: string, index?: number) {
    if (this.exec.workbook.sheet(name))
      fail(this.exec, `A sheet with the name "${name}" already exists. Please enter another name.`);
    return new Sheet(this.exec, this.exec.workbook.addSheet(name, index));
  }
  deleteSheet(sheet: Sheet) {
    if (this.exec.workbook.sheets.length === 1)
      fail(this.exec, "You can't remove all the sheets in a document.");
    this.exec.workbook.sheets = this.exec.workbook.sheets.filter((s) => s !== sheet.model);
  }
  toast(message: string, title?: string, timeoutSeconds?: number) {
    // No UI is attached to time triggers or web requests: a toast does nothing there (§11).
    if (this.exec.mode === 'time' || this.exec.mode === 'web') return;
    this.exec.ui.push({
      kind: 'toast',
      message: String(message),
      title: title ?? '',
      timeoutSeconds: timeoutSeconds ?? 5,
    });
  }
}

const UI_MODES = new Set(['menu', 'script', 'installable', 'simple', 'load']);

export class Menu {
  private items: { caption: string; functionName: string | null }[] = [];
  constructor(
    private exec: Exec,
    private caption: string,
  ) {}
  addItem(caption: string, functionName: string) {
    this.items.push({ caption, functionName });
    return this;
  }
  addSeparator() {
    this.items.push({ caption: '-', functionName: null });
    return this;
  }
  addToUi() {
    this.exec.ui.push({ kind: 'menu', caption: this.caption, items: this.items });
  }
}

export class Ui {
  readonly ButtonSet = { OK: 'OK', OK_CANCEL: 'OK_CANCEL', YES_NO: 'YES_NO', YES_NO_CANCEL: 'YES_NO_CANCEL' };
  readonly Button = { OK: 'OK', CANCEL: 'CANCEL', YES: 'YES', NO: 'NO', CLOSE: 'CLOSE' };
  constructor(private exec: Exec) {}
  createMenu(caption: string) {
    return new Menu(this.exec, caption);
  }
  createAddonMenu() {
    // A bound script's add-on menu sits under Extensions with the project's name.
    return new Menu(this.exec, 'Extensions');
  }
  private needsFull(what: string) {
    if (this.exec.mode === 'simple') {
      fail(
        this.exec,
        `You do not have permission to call ${what}. Required permissions: https://www.googleapis.com/auth/script.container.ui`,
      );
    }
  }
  alert(title: string, message?: string, _buttons?: string) {
    this.needsFull('Ui.alert');
    this.exec.ui.push({ kind: 'alert', title, message: message ?? '' });
    return 'OK';
  }
  showSidebar(html: { getContent(): string; getTitle(): string }) {
    this.needsFull('Ui.showSidebar');
    this.exec.ui.push({ kind: 'sidebar', title: html.getTitle(), html: html.getContent() });
  }
  showModalDialog(html: { getContent(): string }, title: string) {
    this.needsFull('Ui.showModalDialog');
    this.exec.ui.push({ kind: 'dialog', title, html: html.getContent() });
  }
}

export const CHART_TYPES = [
  'AREA',
  'BAR',
  'BUBBLE',
  'CANDLESTICK',
  'COLUMN',
  'COMBO',
  'GAUGE',
  'GEO',
  'HISTOGRAM',
  'LINE',
  'ORG',
  'PIE',
  'RADAR',
  'SCATTER',
  'SPARKLINE',
  'STEPPED_AREA',
  'TABLE',
  'TIMELINE',
  'TREEMAP',
  'WATERFALL',
];

export const makeCharts = () => ({ ChartType: Object.fromEntries(CHART_TYPES.map((t) => [t, t])) });

export function makeSpreadsheetApp(exec: Exec) {
  // An add-on's web app has no active spreadsheet (W5), and neither does its clock trigger as far
  // as anything documented says (T14: the emulator takes the pessimistic reading).
  const active = () =>
    exec.addon && (exec.mode === 'web' || exec.mode === 'time') ? null : new Spreadsheet(exec);
  return {
    getActiveSpreadsheet: active,
    getActive: active,
    openById: (id: string) => {
      if (exec.mode === 'simple') {
        fail(
          exec,
          'You do not have permission to call SpreadsheetApp.openById. Required permissions: https://www.googleapis.com/auth/spreadsheets',
        );
      }
      const found = exec.addon?.registers.get(String(id));
      if (found) exec.workbook = found;
      else if (id !== exec.workbook.id) fail(exec, `Document ${id} is missing (perhaps it was deleted?)`);
      return new Spreadsheet(exec);
    },
    getUi: () => {
      if (!UI_MODES.has(exec.mode)) fail(exec, 'Cannot call SpreadsheetApp.getUi() from this context.');
      return new Ui(exec);
    },
    flush: () => {},
    newDataValidation: () => new DataValidationBuilder(),
    DataValidationCriteria: {
      VALUE_IN_LIST: 'VALUE_IN_LIST',
      CHECKBOX: 'CHECKBOX',
      VALUE_IN_RANGE: 'VALUE_IN_RANGE',
    },
    ProtectionType: { SHEET: 'SHEET', RANGE: 'RANGE' },
    BorderStyle: { SOLID: 'SOLID', SOLID_MEDIUM: 'SOLID_MEDIUM', DOTTED: 'DOTTED' },
    WrapStrategy: { WRAP: 'WRAP', CLIP: 'CLIP', OVERFLOW: 'OVERFLOW' },
  };
}
