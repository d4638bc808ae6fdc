// The Extensions menu. onOpen runs as a simple trigger (AuthMode LIMITED or NONE): it may only
// build the menu, never read properties or the sheet.
export const MENU_TITLE = 'プラチナ提案台帳';

export function onOpen(_e?: GoogleAppsScript.Events.SheetsOnOpen): void {
  SpreadsheetApp.getUi()
    .createAddonMenu()
    .addItem('サイドバーを開く', 'menuOpenSidebar')
    .addItem('集計を更新', 'menuRebuildSummary')
    .addSeparator()
    .addItem('初期設定', 'menuSetup')
    .addToUi();
}

export function onInstall(e?: GoogleAppsScript.Events.AddonOnInstall): void {
  onOpen(e as unknown as GoogleAppsScript.Events.SheetsOnOpen);
}
