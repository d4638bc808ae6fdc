// 初期設定: creates what is missing and changes nothing that exists. On sheets people have
// reordered or extended, columns are found by header; missing ones are added at the right.
// Every free-text column is plain text (number format '@'), applied on each run, so that what
// people type or paste there (1E5, 12月1日, 0012, TRUE, 10%, 2025/1/1) stays what was typed.
import { fiscalYearOf } from '../domain/dates';
import { dropdownRule, fixedListOf } from './dropdowns';
import {
  CONSULTATION_COLUMNS,
  type ColumnDef,
  DEPARTMENT_COLUMNS,
  HISTORY_COLUMNS,
  isPlainTextColumn,
  LEDGER_COLUMNS,
  MAIL_COLUMNS,
  PROGRESS_COLUMNS,
  PROPOSAL_COLUMNS,
  SETTINGS_COLUMNS,
  SHEETS,
} from './layout';
import { defaultSettingRows } from './settings';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

const HEADER_BACKGROUND = '#e8f0fe';

/**
 * The tables setup keeps. `plainText`: people type and paste into them, so their free-text
 * columns are '@' and the add-on writes them with asPlainText. 変更履歴 and 送信記録 are the
 * add-on's own stores (nothing typed there is obeyed): written with asText, no format needed.
 */
const TABLES: {
  name: string;
  columns: readonly ColumnDef[];
  protect?: boolean;
  plainText?: boolean;
  hidden?: boolean;
}[] = [
  { name: SHEETS.proposals, columns: PROPOSAL_COLUMNS, plainText: true },
  { name: SHEETS.progress, columns: PROGRESS_COLUMNS, plainText: true },
  { name: SHEETS.consultations, columns: CONSULTATION_COLUMNS, plainText: true },
  { name: SHEETS.departments, columns: DEPARTMENT_COLUMNS, plainText: true },
  { name: SHEETS.history, columns: HISTORY_COLUMNS, protect: true },
  { name: SHEETS.mail, columns: MAIL_COLUMNS, protect: true },
  { name: SHEETS.settings, columns: SETTINGS_COLUMNS, plainText: true },
  { name: SHEETS.ledger, columns: LEDGER_COLUMNS, protect: true, hidden: true },
];

export interface SetupReport {
  createdSheets: string[];
  addedColumns: string[];
}

/** 1 → A, 27 → AA. */
function columnLetter(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

/** What setup would do, found by reading only: for a person who may not run it, nothing is written. */
export function pendingSetup(ss: Spreadsheet): SetupReport {
  const report: SetupReport = { createdSheets: [], addedColumns: [] };
  for (const t of TABLES) {
    const sheet = ss.getSheetByName(t.name);
    if (!sheet) {
      report.createdSheets.push(t.name);
      continue;
    }
    const lastCol = sheet.getLastColumn();
    const header = lastCol
      ? sheet
          .getRange(1, 1, 1, lastCol)
          .getValues()[0]!
          .map((h) => String(h).trim())
      : [];
    for (const c of t.columns)
      if (!header.includes(c.header)) report.addedColumns.push(`${t.name}!${c.header}`);
  }
  if (!ss.getSheetByName(SHEETS.summary)) report.createdSheets.push(SHEETS.summary);
  return report;
}

/**
 * Makes one table sheet right: headers present (added at the right when missing), formats applied
 * to new columns; returns the sheet and each column's position (1-based) by header.
 */
function ensureTable(
  ss: Spreadsheet,
  name: string,
  columns: readonly ColumnDef[],
  report: SetupReport,
): { sheet: Sheet; positions: Map<string, number> } {
  let sheet = ss.getSheetByName(name);
  const isNew = !sheet;
  if (!sheet) {
    sheet = ss.insertSheet(name);
    report.createdSheets.push(name);
  }
  const lastCol = sheet.getLastColumn();
  const header = lastCol
    ? sheet
        .getRange(1, 1, 1, lastCol)
        .getValues()[0]!
        .map((h) => String(h).trim())
    : [];
  const missing = columns.filter((c) => !header.includes(c.header));
  const positions = new Map<string, number>();
  header.forEach((h, i) => {
    if (h && !positions.has(h)) positions.set(h, i + 1);
  });
  missing.forEach((c, k) => {
    positions.set(c.header, header.length + 1 + k);
  });
  if (missing.length === 0) return { sheet, positions };
  const start = header.length + 1;
  const needed = start + missing.length - 1;
  if (sheet.getMaxColumns() < needed)
    sheet.insertColumnsAfter(sheet.getMaxColumns(), needed - sheet.getMaxColumns());
  const headerRange = sheet.getRange(1, start, 1, missing.length);
  headerRange.setValues([missing.map((c) => c.header)]);
  headerRange.setFontWeight('bold').setBackground(HEADER_BACKGROUND).setVerticalAlignment('middle');
  if (!isNew) report.addedColumns.push(...missing.map((c) => `${name}!${c.header}`));
  const rows = sheet.getMaxRows() - 1;
  missing.forEach((c, k) => {
    const at = start + k;
    sheet!.setColumnWidth(at, c.width);
    if (rows < 1) return;
    const body = sheet!.getRange(2, at, rows, 1);
    if (c.kind === 'date') body.setNumberFormat('yyyy-mm-dd');
    if (c.wrap) body.setWrap(true);
    if (c.kind === 'display') body.setBackground('#f1f3f4');
    // 設定's lists are applied after 設定 is complete (applyChoiceDropdowns), these here.
    const list = fixedListOf(c);
    if (list) body.setDataValidation(dropdownRule(c.header, list));
    if (c.kind === 'bool')
      body.setDataValidation(SpreadsheetApp.newDataValidation().requireCheckbox().build());
  });
  if (sheet.getFrozenRows() === 0) sheet.setFrozenRows(1);
  return { sheet, positions };
}

/**
 * Plain text ('@') on the body of every free-text column, existing registers included: one
 * RangeList call per sheet, whatever the number of rows. Cells already holding a number keep it
 * (Sheets does not turn a stored number back into text); what is typed from now on stays text.
 */
function applyPlainText(sheet: Sheet, columns: readonly ColumnDef[], positions: Map<string, number>) {
  const rows = sheet.getMaxRows();
  if (rows < 2) return;
  const ranges = columns
    .filter(isPlainTextColumn)
    .map((c) => positions.get(c.header))
    .filter((at): at is number => at !== undefined)
    .map((at) => `${columnLetter(at)}2:${columnLetter(at)}${rows}`);
  if (ranges.length) sheet.getRangeList(ranges).setNumberFormat('@');
}

function protectWarningOnly(sheet: Sheet, description: string) {
  const p = sheet.protect();
  if (!p.isWarningOnly()) p.setWarningOnly(true).setDescription(description);
}

/** Creates every sheet and setting that is missing; returns what it did. Never touches values. */
export function setupSheets(ss: Spreadsheet, owner: string, today: string): SetupReport {
  const report: SetupReport = { createdSheets: [], addedColumns: [] };
  for (const t of TABLES) {
    const { sheet, positions } = ensureTable(ss, t.name, t.columns, report);
    if (t.plainText) applyPlainText(sheet, t.columns, positions);
    if (t.protect) protectWarningOnly(sheet, `${t.name}はアドオンが書き込みます。手で変更しないでください。`);
    if (t.hidden && !sheet.isSheetHidden()) sheet.hideSheet();
  }
  let summary = ss.getSheetByName(SHEETS.summary);
  if (!summary) {
    summary = ss.insertSheet(SHEETS.summary, 0);
    report.createdSheets.push(SHEETS.summary);
  }
  protectWarningOnly(summary, '集計はアドオンが作り直します。手で変更しないでください。');

  const settings = ss.getSheetByName(SHEETS.settings)!;
  const keyCol = settings
    .getRange(1, 1, 1, settings.getLastColumn())
    .getValues()[0]!
    .map((h) => String(h).trim());
  const k = keyCol.indexOf('項目');
  const v = keyCol.indexOf('値');
  const existing =
    settings.getLastRow() > 1
      ? settings
          .getRange(2, k + 1, settings.getLastRow() - 1, 1)
          .getValues()
          .map((r) => String(r[0]))
      : [];
  const missingRows = defaultSettingRows(fiscalYearOf(today), owner).filter(
    ([key]) => !existing.includes(key),
  );
  if (missingRows.length) {
    const width = Math.max(k, v) + 1;
    const rows = missingRows.map(([key, value]) => {
      const row = new Array<unknown>(width).fill('');
      row[k] = key;
      row[v] = value;
      return row;
    });
    settings.getRange(settings.getLastRow() + 1, 1, rows.length, width).setValues(rows);
  }
  return report;
}
