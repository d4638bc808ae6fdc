// Reminders after N working days without an answer (weekends, national holidays and 12/29–1/3
// skipped), with the same link, then at most one more every N working days. In digest mode, one
// email per department per run lists all its open requests. All go through the same queue, and
// all read what the add-on recorded (never 送信記録's cells); addresses come from 所管課 when sent.
import type { MailRow, NewMail } from '../domain/mail';
import { loadRegister } from '../sheets/register';
import { workingCalendar } from './calendar';
import { clockFor } from './clock';
import { withScriptLock } from './lock';
import { nextRound, openRequests } from './mail-queue';
import { queueMails, readQueue, repairQueue, reportFindings } from './mail-store';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** Queues the reminders (or digests) due today; returns their keys. */
export function queueReminders(ss: Spreadsheet): string[] {
  return withScriptLock(() => {
    const clock = clockFor(ss);
    const today = clock.today;
    const { state } = loadRegister(ss, today);
    const view = readQueue(ss);
    repairQueue(view);
    reportFindings(ss, view.findings);
    const log = view.rows;
    const calendar = workingCalendar();
    const every = state.settings.reminderDays;
    const sentOn = (x: MailRow) => x.sentAt.slice(0, 10);
    const lastContact = (r: MailRow) =>
      log
        .filter(
          (x) =>
            x.state === '送信済' &&
            ((x.id === r.id && x.department === r.department && (x.mailKind === '督促' || x === r)) ||
              (x.mailKind === 'まとめ' && x.department === r.department)),
        )
        .map(sentOn)
        .sort()
        .pop() ?? sentOn(r);
    const due = openRequests(state, log).filter(
      (r) => calendar.isWorkingDay(today) && calendar.workingDaysBetween(lastContact(r), today) >= every,
    );
    const mails: NewMail[] = state.settings.digest
      ? [...new Set(due.map((r) => r.department))].map((department) => ({
          id: '',
          department,
          mailKind: 'まとめ',
          round: nextRound(log, '', department, 'まとめ'),
        }))
      : due.map((r) => ({
          id: r.id,
          department: r.department,
          mailKind: '督促',
          round: nextRound(log, r.id, r.department, '督促'),
        }));
    return queueMails(view, mails, clock.recordedAt).map((x) => x.key);
  });
}
