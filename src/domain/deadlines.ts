// 回答期限: N working days (設定) after a consultation request was sent, counted as reminders count
// them (weekends, national holidays and 12/29–1/3 skipped). Only requests the add-on sent have one:
// presentations made before the add-on (import, sample) count as sent by hand, with no date that a
// department was told. Pure: from the register and what the add-on recorded.
import type { IsoDate, WorkingCalendar } from './dates';
import { progressKey } from './draft';
import type { MailRow } from './mail';
import type { RegisterState } from './model';

/** What deadlines need of the register (the counted state used by 集計 is enough). */
export interface DeadlineState {
  proposals: readonly { id: string; judgment: string }[];
  progress: readonly { id: string; department: string; stage: string; answerKind: string }[];
  settings: Pick<RegisterState['settings'], 'answerDays'>;
}

export interface Deadline {
  id: string;
  department: string;
  /** The round of the latest request the add-on recorded. */
  round: number;
  /** The day it was sent ('' while it waits in the queue). */
  sentOn: IsoDate;
  /** 回答期限 ('' while not sent). */
  dueDate: IsoDate;
  /** Still waiting for an answer: the department is at ①, has not answered, and the PT has not decided. */
  open: boolean;
  /** Open and past its 回答期限. */
  overdue: boolean;
  /** Working days past 回答期限 (0 when not overdue). */
  overdueDays: number;
}

/** The day a request was sent, from the add-on's record ('' while not sent). */
export const sentOnOf = (row: MailRow): IsoDate => (row.state === '送信済' ? row.sentAt.slice(0, 10) : '');

export const dueDateOf = (calendar: WorkingCalendar, sentOn: IsoDate, answerDays: number): IsoDate =>
  sentOn ? calendar.addWorkingDays(sentOn, answerDays) : '';

/** The latest request of each (proposal, department) with its 回答期限, keyed by `progressKey`. */
export function requestDeadlines(
  state: DeadlineState,
  log: readonly MailRow[],
  calendar: WorkingCalendar,
  today: IsoDate,
): Map<string, Deadline> {
  const latest = new Map<string, MailRow>();
  for (const r of log) if (r.mailKind === '依頼') latest.set(progressKey(r.id, r.department), r);
  const progressByKey = new Map(state.progress.map((x) => [progressKey(x.id, x.department), x]));
  const proposalById = new Map(state.proposals.map((x) => [x.id, x]));
  const out = new Map<string, Deadline>();
  for (const [key, r] of latest) {
    const progress = progressByKey.get(key);
    const proposal = proposalById.get(r.id);
    const sentOn = sentOnOf(r);
    const dueDate = dueDateOf(calendar, sentOn, state.settings.answerDays);
    const open = !!sentOn && progress?.stage === '①' && !progress.answerKind && !proposal?.judgment;
    const overdue = open && today > dueDate;
    out.set(key, {
      id: r.id,
      department: r.department,
      round: r.round,
      sentOn,
      dueDate,
      open,
      overdue,
      overdueDays: overdue ? calendar.workingDaysBetween(dueDate, today) : 0,
    });
  }
  return out;
}
