// Reminders after N working days without an answer (weekends, national holidays and 12/29–1/3
// skipped), with the same link, then at most one more every N working days. In digest mode, one
// email per department per run lists all its open requests. All go through the same queue.
import { type MailRow, newMailRow } from '../domain/mail';
import { appendMailRows, readMailLog } from '../sheets/mail-log';
import { loadRegister } from '../sheets/register';
import { workingCalendar } from './calendar';
import { clockFor } from './clock';
import { withScriptLock } from './lock';
import { openRequests, recipientsOf } from './mail-queue';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** Queues the reminders (or digests) due today; returns their keys. */
export function queueReminders(ss: Spreadsheet): string[] {
  return withScriptLock(() => {
    const clock = clockFor(ss);
    const today = clock.today;
    const { state } = loadRegister(ss, today);
    const log = readMailLog(ss);
    const calendar = workingCalendar();
    const every = state.settings.reminderDays;
    const lastContact = (r: MailRow) =>
      log.rows
        .filter(
          (x) =>
            x.id === r.id &&
            x.department === r.department &&
            (x.mailKind === '督促' || x === r) &&
            x.state === '送信済',
        )
        .map((x) => x.sentAt.slice(0, 10))
        .concat(
          log.rows
            .filter((x) => x.mailKind === 'まとめ' && x.department === r.department && x.state === '送信済')
            .map((x) => x.sentAt.slice(0, 10)),
        )
        .sort()
        .pop() ?? r.sentAt.slice(0, 10);
    const due = openRequests(state, log.rows).filter(
      (r) => calendar.isWorkingDay(today) && calendar.workingDaysBetween(lastContact(r), today) >= every,
    );
    // Addresses come from 所管課 as it is today: a changed address applies from the next reminder.
    const emailsOf = (department: string) =>
      recipientsOf(state.departments.find((d) => d.name === department)?.emails ?? '');
    const rows: MailRow[] = [];
    if (state.settings.digest) {
      for (const department of [...new Set(due.map((r) => r.department))]) {
        const n = log.rows.filter((x) => x.mailKind === 'まとめ' && x.department === department).length + 1;
        rows.push(newMailRow('', department, 'まとめ', n, emailsOf(department), clock.recordedAt));
      }
    } else {
      for (const r of due) {
        const n =
          log.rows.filter((x) => x.mailKind === '督促' && x.id === r.id && x.department === r.department)
            .length + 1;
        rows.push(newMailRow(r.id, r.department, '督促', n, emailsOf(r.department), clock.recordedAt));
      }
    }
    appendMailRows(log, rows);
    return rows.map((x) => x.key);
  });
}
