// The dropdowns of the register's list columns. 種別, 判断 and 段階 are the register's own
// vocabulary (labels.ts); 目線, 場面・分類, 終了理由 and 実施状況 are 設定's (domain/choices), set
// again whenever 設定 is edited, so a dropdown never offers what the checks would refuse.
import type { ChoiceLists } from '../domain/choices';
import { DEPT_STAGES, JUDGMENTS, KINDS, OUT_OF_SCOPE } from '../domain/labels';
import { type ColumnDef, PROPOSAL_COLUMNS, SHEETS } from './layout';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

const FIXED_LISTS: Record<string, readonly string[]> = {
  種別: KINDS,
  判断: JUDGMENTS,
  段階: [...DEPT_STAGES, OUT_OF_SCOPE],
};

const SETTING_LISTS: Record<string, (lists: ChoiceLists) => readonly string[]> = {
  目線: (l) => l.perspectives,
  '場面・分類': (l) => [...l.userCategories, ...l.staffCategories],
  終了理由: (l) => l.endReasons,
  実施状況: (l) => l.implementation,
};

export const fixedListOf = (c: ColumnDef): readonly string[] | undefined =>
  c.list ? FIXED_LISTS[c.list] : undefined;

export function dropdownRule(header: string, values: readonly string[]) {
  return SpreadsheetApp.newDataValidation()
    .requireValueInList([...new Set(values)], true)
    .setAllowInvalid(true)
    .setHelpText(`${header}は一覧から選んでください。`)
    .build();
}

/**
 * 課題一覧's 設定-driven dropdowns, from `lists`: one header read and one call per column, the
 * whole body of the column whatever its rows. Invalid values stay allowed (the add-on's own check
 * puts them back with a note that says why, which a rejected paste would not).
 */
export function applyChoiceDropdowns(ss: Spreadsheet, lists: ChoiceLists): void {
  const sheet = ss.getSheetByName(SHEETS.proposals);
  if (!sheet || sheet.getMaxRows() < 2) return;
  const header = sheet
    .getRange(1, 1, 1, sheet.getLastColumn())
    .getValues()[0]!
    .map((h) => String(h).trim());
  for (const c of PROPOSAL_COLUMNS) {
    const values = c.list ? SETTING_LISTS[c.list]?.(lists) : undefined;
    const at = header.indexOf(c.header);
    if (!values || at < 0) continue;
    sheet.getRange(2, at + 1, sheet.getMaxRows() - 1, 1).setDataValidation(dropdownRule(c.header, values));
  }
}
