// 初期設定: creates what is missing and changes nothing that exists. On sheets people have
// reordered or extended, columns are found by header; missing ones are added at the right.
import { fiscalYearOf } from '../domain/dates';
import {
  CATEGORIES,
  DEPT_STAGES,
  END_REASONS,
  IMPLEMENTATION_STATES,
  JUDGMENTS,
  KINDS,
  OUT_OF_SCOPE,
  PERSPECTIVES,
} from '../domain/labels';
import {
  CONSULTATION_COLUMNS,
  type ColumnDef,
  DEPARTMENT_COLUMNS,
  HISTORY_COLUMNS,
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

const LISTS: Record<string, readonly string[]> = {
  種別: KINDS,
  目線: PERSPECTIVES,
  '場面・分類': [...CATEGORIES.ユーザーの困りごと, ...CATEGORIES.職員の困りごと],
  判断: JUDGMENTS,
  終了理由: END_REASONS,
  実施状況: IMPLEMENTATION_STATES,
  段階: [...DEPT_STAGES, OUT_OF_SCOPE],
};

const TABLES: { name: string; columns: readonly ColumnDef[]; protect?: boolean; hidden?: boolean }[] = [
  { name: SHEETS.proposals, columns: PROPOSAL_COLUMNS },
  { name: SHEETS.progress, columns: PROGRESS_COLUMNS },
  { name: SHEETS.consultations, columns: CONSULTATION_COLUMNS },
  { name: SHEETS.departments, columns: DEPARTMENT_COLUMNS },
  { name: SHEETS.history, columns: HISTORY_COLUMNS, protect: true },
  { name: SHEETS.mail, columns: MAIL_COLUMNS, protect: true },
  { name: SHEETS.settings, columns: SETTINGS_COLUMNS },
  { name: SHEETS.ledger, columns: LEDGER_COLUMNS, protect: true, hidden: true },
];

export interface SetupReport {
  createdSheets: string[];
  addedColumns: string[];
}

/** Makes one table sheet right: headers present (added at the right when missing), formats applied to new columns only. */
function ensureTable(
  ss: Spreadsheet,
  name: string,
  columns: readonly ColumnDef[],
  report: SetupReport,
): Sheet {
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
  if (missing.length === 0) return sheet;
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
    const list = c.list ? LISTS[c.list] : undefined;
    if (list) {
      body.setDataValidation(
        SpreadsheetApp.newDataValidation()
          .requireValueInList([...list], true)
          .setAllowInvalid(true)
          .setHelpText(`${c.header}は一覧から選んでください。`)
          .build(),
      );
    }
    if (c.kind === 'bool')
      body.setDataValidation(SpreadsheetApp.newDataValidation().requireCheckbox().build());
  });
  if (sheet.getFrozenRows() === 0) sheet.setFrozenRows(1);
  return sheet;
}

function protectWarningOnly(sheet: Sheet, description: string) {
  const p = sheet.protect();
  if (!p.isWarningOnly()) p.setWarningOnly(true).setDescription(description);
}

/** Creates every sheet and setting that is missing; returns what it did. Never touches values. */
export function setupSheets(ss: Spreadsheet, owner: string, today: string): SetupReport {
  const report: SetupReport = { createdSheets: [], addedColumns: [] };
  for (const t of TABLES) {
    const sheet = ensureTable(ss, t.name, t.columns, report);
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
