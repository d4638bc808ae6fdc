// Installable trigger handlers. Each runs as the account that created it and does nothing unless
// that is the owner recorded at setup, so a second person's triggers cannot double the work.

import { theRegister } from '../sheets/register-scope';
import { checkDeferredEdits } from './changes';
import { clockFor } from './clock';
import { isTriggerRun, ownerEmail, scriptProps } from './context';
import { hasDeferred } from './edit-queue';
import { PROP_JOURNAL } from './ledger';
import { withScriptLock } from './lock';
import { MAX_ATTEMPTS, markStaleClaims, sendQueued, syncRequestStates } from './mail-queue';
import { mailWaiting, PROP_LOG_CHECK } from './mail-store';
import { repairIfUnfinished } from './mutate';
import { reportBreaks } from './report';
import { rebuildIfDirty, summaryDirty } from './summary-refresh';

/**
 * Whether the 10-minute run has anything to do, from one read of the script properties: a commit
 * left unfinished, hand edits whose check was deferred, email waiting to be sent (or a claim that
 * may have died), a summary marked dirty. Everything the run acts on is recorded there first.
 */
export function pendingWork(props: Record<string, string>): boolean {
  return (
    !!props[PROP_JOURNAL] || hasDeferred(props) || summaryDirty(props) || mailWaiting(props, MAX_ATTEMPTS)
  );
}

/**
 * Every 10 minutes: check hand edits whose check was deferred, resolve dead claims, send what is
 * pending (as the owner), rebuild a dirty summary. It runs 144 times a day against the daily
 * trigger-runtime quota, so a run with nothing to do stops after one properties read (it changes
 * nothing, so it needs no proof that it is the owner's trigger); 送信記録 is checked against its
 * seals by onEdit at once and by the daily run.
 */
export function onTenMinutes(e?: GoogleAppsScript.Events.TimeDriven): void {
  if (!e || typeof e !== 'object' || e.authMode !== ScriptApp.AuthMode.FULL) return;
  const props = scriptProps().getProperties();
  if (!pendingWork(props)) return;
  if (!isTriggerRun(e)) return;
  const ss = theRegister();
  withScriptLock(() => {
    repairIfUnfinished(ss, clockFor(ss).today);
    const lines = checkDeferredEdits(ss);
    if (lines.length) reportBreaks(ss, lines);
  });
  markStaleClaims(ss);
  // 送信記録 has just been checked against the record (and put right).
  if (props[PROP_LOG_CHECK]) scriptProps().deleteProperty(PROP_LOG_CHECK);
  const report = sendQueued(ss);
  if (report.sent || report.failed) syncRequestStates(ss, ownerEmail(), 'トリガー');
  // Nobody waits for this run: a dirty 集計 is written whole again (a hand edit on it goes too).
  withScriptLock(() => rebuildIfDirty(ss));
}
