// The answer page (web app, executing as the deployer). Its functions trust nothing but the token:
// it binds one request, stays valid through reminders until the request is closed, and is refused
// when forged, altered or expired. A request is closed at once when its department is 所管外 or
// back at 未提示, when the PT ended the proposal (検討終了), or when a newer round was sent; after ②,
// ④ or 検討継続 a grace period allows revisions. Opening the page changes nothing; the same answer
// submitted again changes nothing and tells no one. A department's inbox (server/inbox.ts) answers
// through the same path: its own signed token names the department, the request is that
// department's latest on the proposal, and the same rules apply. The answer records the typed name
// and, when the platform gives it (Session.getActiveUser, often blank for other users), the account.

import * as z from 'zod/mini';
import { requestDeadlines } from '../domain/deadlines';
import { progressKey } from '../domain/draft';
import { answererOf } from '../domain/history-entry';
import { ANSWER_KINDS } from '../domain/labels';
import { type MailRow, mailKey, parseMailKey } from '../domain/mail';
import type { Progress, RegisterState } from '../domain/model';
import { Refused } from '../domain/operations';
import { dateInput, MAX_TEXT } from '../domain/schemas';
import { verifyToken } from '../domain/token';
import { loadRegister, NotSetUp } from '../sheets/register';
import { theRegister } from '../sheets/register-scope';
import { workingCalendar } from './calendar';
import { clockFor } from './clock';
import { PROP_SECRET, scriptProps } from './context';
import { closedReason, nextRound, sendQueued } from './mail-queue';
import { queueMails, readQueue } from './mail-store';
import { mutateAs, parseOrRefuse } from './mutate';
import { signedPart } from './registers';

const GRACE_DAYS = 14;

export interface AnswerView {
  ok: true;
  token: string;
  id: string;
  department: string;
  title: string;
  painPoint: string;
  solution: string;
  kind: string;
  presentedOn: string;
  /** 回答期限 of the request ('' when it was presented by hand or waits to be sent). */
  dueDate: string;
  overdue: boolean;
  projectName: string;
  ptContact: string;
  answer: { kind: string; comment: string; by: string; on: string; proposedDate: string } | null;
  /** The last day an answer may still be revised, once the department has moved on or the PT decided ('' while open). */
  revisableUntil: string;
  kinds: readonly string[];
}
/** `closed`: the link is genuine but the request no longer takes answers (所管外, 未提示, 検討終了, a newer round, past its grace period). */
export type AnswerPage = AnswerView | { ok: false; message: string; closed?: boolean };

const plusDays = (iso: string, days: number) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

const TOKEN_REFUSALS = {
  malformed: 'リンクが正しくありません。',
  forged: 'リンクが正しくありません(改ざんされた可能性があります)。',
  expired: 'このリンクは有効期限が切れています。',
} as const;

/** The key (`id|department|依頼|round`) a request link names, or a refusal. */
function requestKeyOf(token: string, today: string): string {
  const secret = scriptProps().getProperty(PROP_SECRET) ?? '';
  const check = verifyToken(signedPart(token), secret, today);
  if (!check.ok)
    throw new Refused(
      'forbidden',
      `${TOKEN_REFUSALS[check.reason]}お手数ですが、メールの送信者(PT担当)にお問い合わせください。`,
    );
  return check.key;
}

/** The department an inbox link is signed for, or a refusal. */

/** A department's recorded answer as the answer page and the inbox show it (null before one). */
export function answerOf(r: Progress) {
  return r.answerKind
    ? {
        kind: r.answerKind,
        comment: r.answerComment,
        by: r.answeredBy,
        on: r.answeredOn,
        proposedDate: r.proposedDate,
      }
    : null;
}
export function inboxDepartmentOf(token: string, today: string): { department: string; expires: string } {
  const secret = scriptProps().getProperty(PROP_SECRET) ?? '';
  const check = verifyToken(signedPart(token), secret, today, 'inbox');
  if (!check.ok)
    throw new Refused(
      'forbidden',
      `${TOKEN_REFUSALS[check.reason]}新しいメールのリンクから開くか、PT担当にお問い合わせください。`,
    );
  return { department: check.key, expires: check.expires };
}

/** The key of the request a department answers now about a proposal: its latest round (1 when presented by hand). */
export const currentRequestKey = (log: readonly MailRow[], id: string, department: string) => {
  let round = 1;
  for (const r of log)
    if (r.mailKind === '依頼' && r.id === id && r.department === department) round = Math.max(round, r.round);
  return mailKey(id, department, '依頼', round);
};

/** A refusal because the request is closed: `current.closed` lets a page put its form away. */
const closedRequest = (message: string) => new Refused('forbidden', message, {}, { closed: true });

/** The request a key names, if it is still open to answers (`log`: what the add-on recorded). */
export function openRequestOf(state: RegisterState, log: readonly MailRow[], key: string, today: string) {
  const { id, department, round } = parseMailKey(key);
  const proposal = state.proposals.find((p) => p.id === id);
  const progress = state.progress.find((r) => r.id === id && r.department === department);
  if (!proposal || !progress)
    throw new Refused('not_found', 'この協議依頼は台帳に見つかりません。PT担当にお問い合わせください。');
  const closed = closedReason(proposal, progress);
  if (closed)
    throw closedRequest(
      `この協議依頼は終了しているため、回答できません(${closed})。ご不明な点はPT担当にお問い合わせください。`,
    );
  if (log.some((r) => r.mailKind === '依頼' && r.id === id && r.department === department && r.round > round))
    throw closedRequest(
      'この協議依頼には新しい依頼が送られています。新しいメールのリンクから回答してください。',
    );
  // Closed once the department has moved on (②, ④, 所管外) or the PT has decided; a grace period follows.
  const closedOn = [
    progress.stage !== '①' ? progress.consultedOn || progress.doneOn || today : '',
    proposal.judgmentDate,
  ]
    .filter(Boolean)
    .sort()[0];
  const revisableUntil = closedOn ? plusDays(closedOn, GRACE_DAYS) : '';
  if (revisableUntil && revisableUntil < today)
    throw closedRequest('この協議依頼はすでに終了しています。PT担当にお問い合わせください。');
  return { key, proposal, progress, revisableUntil };
}

/** The request a token names, if it is still open to answers. */
const findRequest = (state: RegisterState, log: readonly MailRow[], token: string, today: string) =>
  openRequestOf(state, log, requestKeyOf(token, today), today);

/** The page's data (GET): reads only. */
export function answerPage(token: string): AnswerPage {
  const ss = theRegister();
  try {
    const today = clockFor(ss).today;
    const { state } = loadRegister(ss, today);
    const log = readQueue(ss).rows;
    const { proposal: p, progress: r, revisableUntil } = findRequest(state, log, token, today);
    const deadline = requestDeadlines(state, log, workingCalendar(), today).get(
      progressKey(p.id, r.department),
    );
    return {
      ok: true,
      token,
      id: p.id,
      department: r.department,
      title: p.title,
      painPoint: p.painPoint,
      solution: p.solution,
      kind: p.kind,
      presentedOn: r.presentedOn,
      dueDate: deadline?.dueDate ?? '',
      overdue: !!deadline?.overdue,
      projectName: state.settings.projectName,
      ptContact: p.ptContact || state.settings.ptContact,
      answer: answerOf(r),
      revisableUntil,
      kinds: ANSWER_KINDS,
    };
  } catch (e) {
    if (e instanceof Refused)
      return {
        ok: false,
        message: e.message,
        closed: (e.current as { closed?: boolean } | undefined)?.closed === true,
      };
    if (e instanceof NotSetUp)
      return { ok: false, message: '台帳の準備ができていません。PT担当にお問い合わせください。' };
    throw e;
  }
}

const answerSchema = z.object({
  /** A request link's token, or an inbox link's (`inbox`) with the proposal answered (`id`). */
  token: z._default(z.string().check(z.maxLength(2000)), ''),
  inbox: z._default(z.string().check(z.maxLength(2000)), ''),
  id: z._default(z.string().check(z.trim(), z.maxLength(100)), ''),
  kind: z.enum(ANSWER_KINDS, { error: '回答区分を選んでください。' }),
  comment: z._default(
    z
      .string()
      .check(z.trim(), z.maxLength(MAX_TEXT, { error: 'コメントは50,000文字以内で入力してください。' })),
    '',
  ),
  answeredBy: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, { error: '回答者のお名前を入力してください。' }),
      z.maxLength(200, { error: '回答者は200文字以内で入力してください。' }),
    ),
  proposedDate: z._default(
    z.union([
      z.pipe(
        z.literal(''),
        z.transform(() => ''),
      ),
      dateInput('date'),
    ]),
    '',
  ),
});

/** Records an answer (or a revision of an earlier one) and notifies the secretariat and the PT contact. */
export function submitAnswer(payload: z.input<typeof answerSchema>): { recorded: boolean } {
  const ss = theRegister();
  const input = parseOrRefuse(answerSchema, payload);
  const visitor = Session.getActiveUser().getEmail();
  const who = answererOf(input.answeredBy, visitor);
  const keys = mutateAs(
    who,
    '回答ページ',
    ({ draft, reg }) => {
      const view = readQueue(reg.ss);
      const today = draft.actor.today;
      const key = input.inbox
        ? currentRequestKey(view.rows, input.id, inboxDepartmentOf(input.inbox, today).department)
        : requestKeyOf(input.token, today);
      const { proposal, progress } = openRequestOf(draft.state, view.rows, key, today);
      // The same answer again (a second click, a resubmitted form) changes nothing and tells no one.
      if (
        progress.answerKind === input.kind &&
        progress.answerComment === input.comment &&
        progress.proposedDate === input.proposedDate
      )
        return [];
      const revision = !!progress.answerKind;
      const set = <K extends 'answerKind' | 'answerComment' | 'answeredBy' | 'answeredOn' | 'proposedDate'>(
        field: K,
        value: string,
      ) =>
        draft.setProgress(proposal.id, progress.department, field, value, {
          reason: revision ? '回答の修正' : '',
        });
      set('answerKind', input.kind);
      set('answerComment', input.comment);
      set('answeredBy', who);
      set('answeredOn', draft.actor.today);
      set('proposedDate', input.proposedDate);
      // The recipients (secretariat, PT contact) are read when the notice is sent.
      const rows = queueMails(
        view,
        [
          {
            id: proposal.id,
            department: progress.department,
            mailKind: '回答通知',
            round: nextRound(view.rows, proposal.id, progress.department, '回答通知'),
          },
        ],
        draft.actor.recordedAt,
      );
      return rows.map((r) => r.key);
    },
    { requireRole: false },
  );
  if (keys.length) sendQueued(ss, keys);
  return { recorded: keys.length > 0 };
}
