// The answer page (web app, executing as the deployer). Its functions trust nothing but the token:
// it binds one request, stays valid through reminders until the request is closed (plus a grace
// period), and is refused when forged, altered or expired. Opening the page changes nothing.
import * as z from 'zod';
import { ANSWER_KINDS } from '../domain/labels';
import { newMailRow } from '../domain/mail';
import type { RegisterState } from '../domain/model';
import { Refused } from '../domain/operations';
import { dateInput, MAX_TEXT } from '../domain/schemas';
import { verifyToken } from '../domain/token';
import { appendMailRows, readMailLog } from '../sheets/mail-log';
import { loadRegister } from '../sheets/register';
import { clockFor } from './clock';
import { ownerEmail, PROP_SECRET, scriptProps } from './context';
import { sendQueued } from './mail-queue';
import { mutateAs, parseOrRefuse } from './mutate';

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
  projectName: string;
  ptContact: string;
  answer: { kind: string; comment: string; by: string; on: string; proposedDate: string } | null;
  kinds: readonly string[];
}
export type AnswerPage = AnswerView | { ok: false; message: string };

const plusDays = (iso: string, days: number) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/** The request a token names, if it is still open to answers. */
function findRequest(state: RegisterState, token: string, today: string) {
  const secret = scriptProps().getProperty(PROP_SECRET) ?? '';
  const check = verifyToken(token, secret, today);
  if (!check.ok) {
    const why = {
      malformed: 'リンクが正しくありません。',
      forged: 'リンクが正しくありません(改ざんされた可能性があります)。',
      expired: 'このリンクは有効期限が切れています。',
    }[check.reason];
    throw new Refused('forbidden', `${why}お手数ですが、メールの送信者(PT担当)にお問い合わせください。`);
  }
  const [id, department] = check.key.split('|') as [string, string];
  const proposal = state.proposals.find((p) => p.id === id);
  const progress = state.progress.find((r) => r.id === id && r.department === department);
  if (!proposal || !progress)
    throw new Refused('not_found', 'この協議依頼は台帳に見つかりません。PT担当にお問い合わせください。');
  // Closed once the department has moved on (②, ④, 所管外) or the PT has decided; a grace period follows.
  const closedOn = [
    progress.stage !== '①' ? progress.consultedOn || progress.doneOn || today : '',
    proposal.judgmentDate,
  ]
    .filter(Boolean)
    .sort()[0];
  if (closedOn && plusDays(closedOn, GRACE_DAYS) < today)
    throw new Refused('forbidden', 'この協議依頼はすでに終了しています。PT担当にお問い合わせください。');
  return { key: check.key, proposal, progress };
}

/** The page's data (GET): reads only. */
export function answerPage(token: string): AnswerPage {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  try {
    const today = clockFor(ss).today;
    const { state } = loadRegister(ss, today);
    const { proposal: p, progress: r } = findRequest(state, token, today);
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
      projectName: state.settings.projectName,
      ptContact: p.ptContact || state.settings.ptContact,
      answer: r.answerKind
        ? {
            kind: r.answerKind,
            comment: r.answerComment,
            by: r.answeredBy,
            on: r.answeredOn,
            proposedDate: r.proposedDate,
          }
        : null,
      kinds: ANSWER_KINDS,
    };
  } catch (e) {
    if (e instanceof Refused) return { ok: false, message: e.message };
    throw e;
  }
}

const answerSchema = z.object({
  token: z.string().min(1).max(2000),
  kind: z.enum(ANSWER_KINDS, { error: '回答区分を選んでください。' }),
  comment: z
    .string()
    .trim()
    .max(MAX_TEXT, { error: 'コメントは50,000文字以内で入力してください。' })
    .default(''),
  answeredBy: z
    .string()
    .trim()
    .min(1, { error: '回答者のお名前を入力してください。' })
    .max(200, { error: '回答者は200文字以内で入力してください。' }),
  proposedDate: z.union([z.literal('').transform(() => ''), dateInput('date')]).default(''),
});

/** Records an answer (or a revision of an earlier one) and notifies the secretariat and the PT contact. */
export function submitAnswer(payload: unknown) {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const input = parseOrRefuse(answerSchema, payload);
  const visitor = Session.getActiveUser().getEmail();
  const who = visitor ? `${input.answeredBy} <${visitor}>` : input.answeredBy;
  const keys = mutateAs(
    who,
    '回答ページ',
    ({ draft, reg }) => {
      const { proposal, progress } = findRequest(draft.state, input.token, draft.actor.today);
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
      const log = readMailLog(reg.ss);
      const round =
        log.rows.filter(
          (r) => r.mailKind === '回答通知' && r.id === proposal.id && r.department === progress.department,
        ).length + 1;
      const to = [
        ...new Set(
          [
            ownerEmail(),
            ...draft.state.settings.secretariat,
            proposal.ptContact || draft.state.settings.ptContact,
          ].filter(Boolean),
        ),
      ].join(',');
      const row = newMailRow(proposal.id, progress.department, '回答通知', round, to, draft.actor.recordedAt);
      appendMailRows(log, [row]);
      return [row.key];
    },
    { requireRole: false },
  );
  sendQueued(ss, keys);
  return { recorded: true };
}
