// Installable trigger handlers. Each runs as the account that created it and does nothing unless
// that is the owner recorded at setup, so a second person's triggers cannot double the work.
import { checkDeferredEdits } from './changes';
import { clockFor } from './clock';
import { isTriggerRun, ownerEmail } from './context';
import { withScriptLock } from './lock';
import { markStaleClaims, sendQueued, syncRequestStates } from './mail-queue';
import { repairIfUnfinished } from './mutate';
import { reportBreaks } from './report';
import { rebuildIfDirty } from './summary-refresh';

/**
 * Every 10 minutes: check hand edits whose check was deferred, resolve dead claims, send what is
 * pending (as the owner), rebuild a dirty summary.
 */
export function onTenMinutes(e?: GoogleAppsScript.Events.TimeDriven): void {
  if (!isTriggerRun(e)) return;
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  withScriptLock(() => {
    repairIfUnfinished(ss, clockFor(ss).today);
    const lines = checkDeferredEdits(ss);
    if (lines.length) reportBreaks(ss, lines);
  });
  markStaleClaims(ss);
  const report = sendQueued(ss);
  if (report.sent || report.failed) syncRequestStates(ss, ownerEmail(), 'トリガー');
  withScriptLock(() => rebuildIfDirty(ss));
}
