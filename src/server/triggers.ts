// Installable trigger handlers. Each runs as the account that created it and does nothing unless
// that is the owner recorded at setup, so a second person's triggers cannot double the work.
import { isOwnerRun } from './context';
import { withScriptLock } from './lock';
import { rebuildIfDirty } from './summary-refresh';

/** Every 10 minutes: rebuild a dirty summary. */
export function onTenMinutes(_e?: GoogleAppsScript.Events.TimeDriven): void {
  if (!isOwnerRun()) return;
  withScriptLock(() => rebuildIfDirty(SpreadsheetApp.getActiveSpreadsheet()));
}
