import { HOLIDAYS } from 'virtual:jp-holidays';
import { WorkingCalendar } from '../domain/dates';
import { unpackHolidays } from '../domain/holidays';

let calendar: WorkingCalendar | null = null;

/** Working days of Japanese city halls; built on first use, never at load time. */
export function workingCalendar(): WorkingCalendar {
  calendar ??= new WorkingCalendar(unpackHolidays(HOLIDAYS));
  return calendar;
}
