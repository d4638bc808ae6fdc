// Escalation: a request still unanswered M working days (設定: 期限超過の報告) after its 回答期限 is
// told to the secretariat, in one email per daily run listing such requests by department. Each
// request is told at most once per level (level k: k×M working days past 回答期限). The email goes
// through the same sealed queue as every other (queued once, sent at most once; a run that dies while
// sending leaves 要確認). Which requests an escalation stands for, and at which level, is recorded in
// script properties in the same write that queues it (MAIL_ESC_<hash> = {key, level, seq}), never
// in 送信記録's cells; records of requests no longer open are dropped once their email has gone.
import { type Deadline, requestDeadlines } from '../domain/deadlines';
import { sha256Hex } from '../domain/hash';
import { type MailRow, type Message, mailKey, parseMailKey } from '../domain/mail';
import { escalationMessage } from '../domain/mail-messages';
import type { RegisterState } from '../domain/model';
import { loadRegister } from '../sheets/register';
import { theRegister } from '../sheets/register-scope';
import { workingCalendar } from './calendar';
import { clockFor } from './clock';
import { ownerEmail, scriptProps } from './context';
import { withScriptLock } from './lock';
import { nextRound } from './mail-queue';
import { queueMails, readQueue, repairQueue, reportFindings } from './mail-store';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

const ESC_PREFIX = 'MAIL_ESC_';
/** The department field of an escalation's queue row. */
export const ESCALATION_TO = '事務局';

interface EscalationRecord {
  /** The request: `id|department|依頼|round`. */
  key: string;
  level: number;
  /** The escalation email that told it. */
  seq: number;
}

const escKey = (requestKey: string) => `${ESC_PREFIX}${sha256Hex(requestKey).slice(0, 16)}`;

function readRecords(props: Record<string, string>): Map<string, EscalationRecord & { prop: string }> {
  const out = new Map<string, EscalationRecord & { prop: string }>();
  for (const [prop, v] of Object.entries(props)) {
    if (!prop.startsWith(ESC_PREFIX)) continue;
    try {
      const r = JSON.parse(v) as EscalationRecord;
      if (typeof r.key === 'string' && Number.isInteger(r.level) && Number.isInteger(r.seq))
        out.set(r.key, { ...r, prop });
    } catch {
      // Not the add-on's: ignored.
    }
  }
  return out;
}

const requestKeyOf = (d: Deadline) => mailKey(d.id, d.department, '依頼', d.round);

/** Queues today's escalation, if any request reached a new level; returns its key (or nothing). */
export function queueEscalations(ss: Spreadsheet): string[] {
  return withScriptLock(() => {
    const clock = clockFor(ss);
    const today = clock.today;
    const calendar = workingCalendar();
    if (!calendar.isWorkingDay(today)) return [];
    const { state } = loadRegister(ss, today);
    const view = readQueue(ss);
    repairQueue(view);
    reportFindings(ss, view.findings);
    const every = state.settings.escalationDays;
    const props = scriptProps();
    const records = readRecords(props.getProperties());
    const deadlines = [...requestDeadlines(state, view.rows, calendar, today).values()];
    const due = deadlines
      .map((d) => ({ d, key: requestKeyOf(d), level: Math.floor(d.overdueDays / every) }))
      .filter(({ d, key, level }) => d.overdue && level >= 1 && level > (records.get(key)?.level ?? 0));
    // Records of requests no longer open, whose email has gone, are dropped: the properties stay as
    // small as what is still overdue.
    const open = new Set(deadlines.filter((d) => d.open).map(requestKeyOf));
    for (const r of records.values())
      if (!open.has(r.key) && !view.open.has(r.seq)) props.deleteProperty(r.prop);
    if (!due.length) return [];
    const rows = queueMails(
      view,
      [
        {
          id: '',
          department: ESCALATION_TO,
          mailKind: '期限超過',
          round: nextRound(view.rows, '', ESCALATION_TO, '期限超過'),
        },
      ],
      clock.recordedAt,
      ([row]) =>
        Object.fromEntries(
          due.map(({ key, level }) => [
            escKey(key),
            JSON.stringify({ key, level, seq: row!.seq } satisfies EscalationRecord),
          ]),
        ),
    );
    return rows.map((r) => r.key);
  });
}

/** The secretariat's escalation email for a queued row, from the register as it stands. */
export function composeEscalation(
  state: RegisterState,
  row: MailRow,
  log: readonly MailRow[],
): Message | string {
  const to = [...new Set([ownerEmail(), ...state.settings.secretariat].filter(Boolean))].join(',');
  if (!to) return '期限超過の通知先(事務局)がありません。';
  const mine = [...readRecords(scriptProps().getProperties()).values()].filter((r) => r.seq === row.seq);
  if (!mine.length) return 'この期限超過の通知が対象とする協議依頼の記録がありません。';
  const today = clockFor(theRegister()).today;
  const deadlines = [...requestDeadlines(state, log, workingCalendar(), today).values()];
  const items = mine
    .sort((a, b) => a.key.localeCompare(b.key))
    .map((r) => {
      const { id, department, round } = parseMailKey(r.key);
      const d = deadlines.find((x) => x.id === id && x.department === department);
      return {
        id,
        title: state.proposals.find((x) => x.id === id)?.title ?? '',
        department,
        round,
        sentOn: d?.sentOn ?? '',
        dueDate: d?.dueDate ?? '',
        overdueDays: d?.open ? d.overdueDays : undefined,
        level: r.level,
      };
    });
  return escalationMessage({
    to,
    projectName: state.settings.projectName,
    today,
    escalationDays: state.settings.escalationDays,
    registerUrl: theRegister().getUrl(),
    items,
  });
}
