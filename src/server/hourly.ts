// Add-on mode's one clock trigger (hourly: the platform's finest for an add-on, and only one clock
// trigger per user per document — docs/addon-mode.md T1, T2, T4): the 10-minute work at every run,
// and the daily work at the first run at or after 9:00 (Japan time) each day, recorded per
// register so it runs once a day. An add-on's clock trigger has no dependable active spreadsheet
// (T14), so the run finds its register from its trigger's ID, indexed at setup.
import { ADDON_MODE, installationProps, scriptProps, useRegister } from '../sheets/register-scope';
import { isTriggerRun } from './context';
import { onDailyNine } from './daily';
import { onTenMinutes } from './triggers';

export const PROP_DAILY_DONE = 'DAILY_DONE';
export const DAILY_HOUR = 9;
const triggerIndex = (uid: string) => `T:${uid}`;

/** Setup: the register a trigger of the add-on works for (a global key of the installation). */
export function indexTrigger(uid: string, ssId: string): void {
  installationProps().setProperty(triggerIndex(uid), ssId);
}

/** Whether the daily work is due at `localTime` ('yyyy-MM-dd HH:mm' in the register's zone). */
export function dailyDue(localTime: string, doneOn: string | null): boolean {
  const day = localTime.slice(0, 10);
  return Number(localTime.slice(11, 13)) >= DAILY_HOUR && (doneOn ?? '') < day;
}

export function onHourly(e?: GoogleAppsScript.Events.TimeDriven): void {
  if (!ADDON_MODE || !e || typeof e !== 'object' || e.authMode !== ScriptApp.AuthMode.FULL) return;
  const uid = typeof e.triggerUid === 'string' ? e.triggerUid : '';
  const id = uid ? installationProps().getProperty(triggerIndex(uid)) : null;
  if (!id) return;
  const ss = useRegister(SpreadsheetApp.openById(id));
  onTenMinutes(e);
  const props = scriptProps();
  const now = Utilities.formatDate(new Date(), ss.getSpreadsheetTimeZone(), 'yyyy-MM-dd HH:mm');
  if (!dailyDue(now, props.getProperty(PROP_DAILY_DONE)) || !isTriggerRun(e)) return;
  onDailyNine(e);
  // Recorded after the work: a daily run that failed is tried again at the next hour.
  props.setProperty(PROP_DAILY_DONE, now.slice(0, 10));
}
