// The Extensions menu. onOpen runs as a simple trigger (AuthMode LIMITED or NONE): it may only
// build the menu, never read properties or the sheet.
import { Refused } from '../domain/operations';
import { sidebarCaller } from './context';
import { runSetup } from './setup';
import { rebuildSummaryFor } from './summary-refresh';

export const MENU_TITLE = 'プラチナ提案台帳';

export function onOpen(_e?: GoogleAppsScript.Events.SheetsOnOpen): void {
  SpreadsheetApp.getUi()
    .createAddonMenu()
    .addItem('サイドバーを開く', 'menuOpenSidebar')
    .addItem('集計を更新', 'menuRebuildSummary')
    .addItem('取込(CSV)', 'menuImport')
    .addSeparator()
    .addItem('初期設定', 'menuSetup')
    .addToUi();
}

export function onInstall(e?: GoogleAppsScript.Events.AddonOnInstall): void {
  onOpen(e as unknown as GoogleAppsScript.Events.SheetsOnOpen);
}

/** Menu items show refusals as an alert instead of failing with a stack trace. */
function withAlert(work: () => string): void {
  const ui = SpreadsheetApp.getUi();
  try {
    ui.alert(MENU_TITLE, work(), ui.ButtonSet.OK);
  } catch (e) {
    if (e instanceof Refused) ui.alert(MENU_TITLE, e.message, ui.ButtonSet.OK);
    else throw e;
  }
}

export function menuOpenSidebar(): void {
  sidebarCaller();
  const html = HtmlService.createHtmlOutputFromFile('Sidebar').setTitle(MENU_TITLE);
  SpreadsheetApp.getUi().showSidebar(html);
}

export function menuImport(): void {
  sidebarCaller();
  const html = HtmlService.createHtmlOutputFromFile('Import').setWidth(480).setHeight(320);
  SpreadsheetApp.getUi().showModalDialog(html, '取込(CSV)');
}

export function menuSetup(): void {
  withAlert(() => runSetup().message);
}

export function menuRebuildSummary(): void {
  withAlert(() => {
    const s = rebuildSummaryFor(sidebarCaller(), {});
    return `集計を更新しました(${s.asOf}時点、${s.byKind.total}件)。`;
  });
}
