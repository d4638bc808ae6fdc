import { HOLIDAYS } from 'virtual:jp-holidays';
import { WorkingCalendar } from '../domain/dates';

let calendar: WorkingCalendar | null = null;

/** Working days of Japanese city halls; built on first use, never at load time. */
export function workingCalendar(): WorkingCalendar {
  calendar ??= new WorkingCalendar(HOLIDAYS.split(' '));
  return calendar;
}
