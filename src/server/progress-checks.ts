// Progress checks (実施状況の確認) for carried-over proposals. The daily trigger asks, on the months
// 設定 names, each department consulted (②) on a carried-over proposal the PT continues: one email
// per department per period, through the same sealed queue as every other (queued once, sent at
// most once; a run that dies while sending leaves 要確認). Which departments a period has asked, and
// about which proposals, is recorded in script properties in the same write that queues the email
// (PCHK_REQ:<period>:<department hash> = {period, department, seq, ids}, and PCHK_PLANNED:<period>),
// never in cells, so a period is never asked twice however often the daily run dies or runs. An
// email whose proposals all closed before it went out is cancelled (取消), as a request is. An answer (on the answer
// page, `?p=` a progress link, or in the department's inbox) is one commit: 課題一覧's 実施状況 with
// its history row, a sealed 変更履歴 row 実施状況の回答 (新値 the 実施状況 chosen, 理由 the note),
// and the round's answer in the properties (written only when the commit is whole). The round
// stays open to corrections (with history) until the department's next round is sent.

import * as z from 'zod/mini';
import { fiscalYearLabel } from '../domain/dates';
import { sha256Hex } from '../domain/hash';
import { answererOf } from '../domain/history-entry';
import type { MailRow, Message } from '../domain/mail';
import { progressCheckMessage } from '../domain/mail-messages';
import type { RegisterState } from '../domain/model';
import { Refused } from '../domain/operations';
import {
  PROGRESS_ANSWER_FIELD,
  PROGRESS_MAIL_KIND,
  parseProgressCheckKey,
  parseProgressSchedule,
  periodFiscalYear,
  periodLabel,
  periodOf,
  planProgressChecks,
  progressCheckKey,
  progressClosedReason,
  roundKey,
} from '../domain/progress-checks';
import { signToken, verifyToken } from '../domain/token';
import { PROP_FISCAL_CURRENT } from '../sheets/guarded-settings';
import { loadRegister, NotSetUp } from '../sheets/register';
import { theRegister } from '../sheets/register-scope';
import { SETTING_KEYS } from '../sheets/settings';
import { inboxDepartmentOf } from './answers';
import { workingCalendar } from './calendar';
import { clockFor } from './clock';
import { PROP_SECRET, scriptProps } from './context';
import { readFiscalStart } from './fiscal-year';
import { inboxLink } from './inbox';
import { withScriptLock } from './lock';
import { nextRound } from './mail-queue';
import { queueMails, readQueue, repairQueue, reportFindings } from './mail-store';
import { mutateAs, parseOrRefuse } from './mutate';
import { linkToken, signedPart } from './registers';
import { reportBreaks } from './report';
import { readSettingRows } from './settings-guard';
import { carriedFromIndex } from './summary-refresh';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** Every record of progress checks: `PCHK_<what>:<period>…`. */
const PREFIX = 'PCHK_';
const REQ_PREFIX = 'PCHK_REQ:';
const ANS_PREFIX = 'PCHK_ANS:';
/** A period the daily run has planned (its emails, if any, queued in the same write). */
const PLANNED_PREFIX = 'PCHK_PLANNED:';
/** A progress link stays usable this long; the department's next round closes it sooner. */
const LINK_DAYS = 365;
/** The note is kept with the round's answer in the script properties: short, as a progress note is. */
export const MAX_NOTE = 1000;

interface RoundRecord {
  period: string;
  department: string;
  /** The email that asked (送信記録's number). */
  seq: number;
  ids: string[];
}
export interface RoundAnswer {
  status: string;
  note: string;
  by: string;
  on: string;
}

const hash = (s: string) => sha256Hex(s).slice(0, 16);
const reqProp = (period: string, department: string) => `${REQ_PREFIX}${period}:${hash(department)}`;
const ansProp = (period: string, id: string, department: string) =>
  `${ANS_PREFIX}${period}:${hash(`${id}|${department}`)}`;

const plusDays = (iso: string, days: number) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/** The rounds the add-on recorded, from the script properties as read (anything else is ignored). */
export function readRounds(props: Record<string, string>): RoundRecord[] {
  const out: RoundRecord[] = [];
  for (const [k, v] of Object.entries(props)) {
    if (!k.startsWith(REQ_PREFIX)) continue;
    try {
      const r = JSON.parse(v) as RoundRecord;
      if (typeof r.period === 'string' && typeof r.department === 'string' && Array.isArray(r.ids))
        out.push(r);
    } catch {
      // Not the add-on's: ignored.
    }
  }
  return out.sort((a, b) => a.period.localeCompare(b.period));
}

function readAnswer(props: Record<string, string>, period: string, id: string, department: string) {
  try {
    const a = JSON.parse(props[ansProp(period, id, department)] ?? '') as RoundAnswer;
    return a && typeof a.status === 'string' ? a : null;
  } catch {
    return null;
  }
}

/** The latest round that asked `department` about `id` (the one its answers go to), or null. */
const latestRound = (rounds: readonly RoundRecord[], id: string, department: string) =>
  rounds.filter((r) => r.department === department && r.ids.includes(id)).pop() ?? null;

/**
 * Queues today's progress-check emails, if a period is due; returns their keys. A period is planned
 * once, on the first working day the daily run sees it (a proposal that becomes due later waits for
 * the next period): after that the run reads 設定 and the properties only, never the register.
 */
export function queueProgressChecks(ss: Spreadsheet): string[] {
  const outcome = withScriptLock(() => {
    const clock = clockFor(ss);
    const today = clock.today;
    const props = scriptProps();
    // Only a 年度 the add-on started has carried-over proposals (設定's 年度 is then guarded to it).
    const fiscalYear = Number(props.getProperty(PROP_FISCAL_CURRENT) ?? 0);
    if (!fiscalYear || !workingCalendar().isWorkingDay(today))
      return { keys: [] as string[], problem: null as string | null };
    const text = readSettingRows(ss)?.rows.find((r) => r.key === SETTING_KEYS.progressChecks)?.value ?? '';
    const schedule = parseProgressSchedule(text);
    if (!schedule.ok) return { keys: [], problem: schedule.message };
    const period = periodOf(today, schedule.months);
    const all = props.getProperties();
    const planned = `${PLANNED_PREFIX}${period}`;
    if (!period || periodFiscalYear(period) !== fiscalYear || all[planned]) return { keys: [], problem: '' };
    const start = readFiscalStart(fiscalYear);
    const { state } = loadRegister(ss, today);
    const plan = start
      ? planProgressChecks({
          today,
          fiscalYear,
          months: schedule.months,
          carriedIds: carriedFromIndex(ss, fiscalYear, start, today),
          proposals: state.proposals,
          progress: state.progress,
          requested: new Set(readRounds(all).map((r) => roundKey(r.period, r.department))),
          implementationList: state.settings.lists.implementation,
        })
      : null;
    let keys: string[] = [];
    if (plan?.period === period) {
      const view = readQueue(ss);
      repairQueue(view);
      reportFindings(ss, view.findings);
      // The round's record goes in the same properties write as the emails' queue entries.
      const rows = queueMails(
        view,
        plan.requests.map(({ department }) => ({
          id: '',
          department,
          mailKind: PROGRESS_MAIL_KIND,
          round: nextRound(view.rows, '', department, PROGRESS_MAIL_KIND),
        })),
        clock.recordedAt,
        (queued) => ({
          [planned]: clock.recordedAt,
          ...Object.fromEntries(
            plan.requests.map(({ department, ids }, i) => [
              reqProp(period, department),
              JSON.stringify({ period, department, seq: queued[i]!.seq, ids } satisfies RoundRecord),
            ]),
          ),
        }),
      );
      keys = rows.map((r) => r.key);
    } else props.setProperty(planned, clock.recordedAt);
    // Rounds of earlier 年度 are closed (their answers are in 変更履歴): the properties keep one 年度.
    for (const k of Object.keys(all))
      if (
        k.startsWith(PREFIX) &&
        periodFiscalYear(k.slice(k.indexOf(':') + 1, k.indexOf(':') + 8)) < fiscalYear
      )
        props.deleteProperty(k);
    return { keys, problem: '' };
  });
  // Told once while it lasts; a readable value again clears it, so a later mistake is told too.
  if (outcome.problem !== null)
    reportBreaks(
      ss,
      outcome.problem ? [`${outcome.problem}(実施状況の確認依頼は送っていません。)`] : [],
      'settings',
    );
  return outcome.keys;
}

/** A progress-check link for one proposal, department and period. */
export function progressLink(
  id: string,
  department: string,
  period: string,
  settings: RegisterState['settings'],
): string {
  const secret = scriptProps().getProperty(PROP_SECRET) ?? '';
  const base = settings.webAppUrl || ScriptApp.getService().getUrl() || '';
  const token = linkToken(
    signToken(
      progressCheckKey(id, department, period),
      plusDays(`${period}-01`, LINK_DAYS),
      secret,
      'progress',
    ),
  );
  return base
    ? `${base}?p=${token}`
    : `(回答ページのURLが設定されていません。事務局にお問い合わせください。トークン: ${token})`;
}

const roundOfMail = (row: MailRow) =>
  readRounds(scriptProps().getProperties()).find((r) => r.seq === row.seq && r.department === row.department);

/** The proposals of a round still open to the department's answer. */
const stillOpen = (state: RegisterState, round: RoundRecord) =>
  round.ids.flatMap((id) => {
    const p = state.proposals.find((x) => x.id === id);
    const rows = state.progress.filter((r) => r.id === id);
    return p && !progressClosedReason(p, rows, round.department) ? [p] : [];
  });

/** Why a queued progress-check email can no longer go out (every proposal it asks about closed), or null. */
export function progressCheckClosed(state: RegisterState, row: MailRow): string | null {
  const round = roundOfMail(row);
  if (!round || stillOpen(state, round).length) return null;
  return `${row.department}に実施状況を確認する課題はなくなりました(検討終了・対応済など)。この確認依頼は送りません。`;
}

/** The department's progress-check email for a queued row, from the register and the round's record. */
export function composeProgressCheck(state: RegisterState, row: MailRow): Message | string {
  const round = roundOfMail(row);
  if (!round) return 'この実施状況の確認依頼が対象とする課題の記録がありません。';
  const to = state.departments.find((d) => d.name === row.department)?.emails ?? '';
  const recipients = to
    .split(/[、,;\s]+/)
    .filter(Boolean)
    .join(',');
  if (!recipients) return `所管課シートに「${row.department}」のメールアドレスがありません。`;
  const items = stillOpen(state, round).map((p) => ({
    id: p.id,
    title: p.title,
    implementation: p.implementation,
    link: progressLink(p.id, row.department, round.period, state.settings),
  }));
  if (!items.length)
    return `${row.department} に実施状況を確認する課題はなくなりました(検討終了・対応済など)。`;
  return progressCheckMessage({
    department: row.department,
    to: recipients,
    projectName: state.settings.projectName,
    ptContact: state.settings.ptContact,
    periodLabel: periodLabel(round.period),
    fromLabel: fiscalYearLabel(periodFiscalYear(round.period) - 1),
    statuses: state.settings.lists.implementation,
    items,
    inboxLink: inboxLink(row.department, clockFor(theRegister()).today, state.settings.webAppUrl),
  });
}

const TOKEN_REFUSALS = {
  malformed: 'リンクが正しくありません。',
  forged: 'リンクが正しくありません(改ざんされた可能性があります)。',
  expired: 'このリンクは有効期限が切れています。',
} as const;

/** The (proposal, department, period) a progress link names, or a refusal. */
function checkOfToken(token: string, today: string) {
  const secret = scriptProps().getProperty(PROP_SECRET) ?? '';
  const check = verifyToken(signedPart(token), secret, today, 'progress');
  const key = check.ok ? parseProgressCheckKey(check.key) : null;
  if (!key)
    throw new Refused(
      'forbidden',
      `${TOKEN_REFUSALS[check.ok ? 'malformed' : check.reason]}お手数ですが、メールの送信者(PT担当)にお問い合わせください。`,
    );
  return key;
}

const closedCheck = (message: string) => new Refused('forbidden', message, {}, { closed: true });

/** The round a key names, if it still takes answers; a refusal (marked closed) when not. */
export function openCheckOf(
  state: RegisterState,
  rounds: readonly RoundRecord[],
  key: { id: string; department: string; period: string },
) {
  const { id, department, period } = key;
  const round = rounds.find((r) => r.period === period && r.department === department);
  const proposal = state.proposals.find((p) => p.id === id);
  if (!round?.ids.includes(id) || !proposal) {
    // Rounds of an earlier 年度 are dropped from the record when the next one is asked.
    if (proposal && periodFiscalYear(period) < state.settings.fiscalYear)
      throw closedCheck(
        `${fiscalYearLabel(state.settings.fiscalYear)}が始まったため、この確認依頼(${periodLabel(period)})は終了しました。`,
      );
    throw new Refused(
      'not_found',
      'この実施状況の確認依頼は台帳に見つかりません。PT担当にお問い合わせください。',
    );
  }
  if (periodFiscalYear(period) !== state.settings.fiscalYear)
    throw closedCheck(
      `${fiscalYearLabel(state.settings.fiscalYear)}が始まったため、この確認依頼(${periodLabel(period)})は終了しました。`,
    );
  if (latestRound(rounds, id, department)?.period !== period)
    throw closedCheck(
      'この課題には新しい実施状況の確認依頼が送られています。新しいメールのリンクから回答してください。',
    );
  const closed = progressClosedReason(
    proposal,
    state.progress.filter((r) => r.id === id),
    department,
  );
  if (closed)
    throw closedCheck(
      `この実施状況の確認は終了しているため、回答できません(${closed})。ご不明な点はPT担当にお問い合わせください。`,
    );
  return { proposal, round };
}

export interface ProgressItem {
  id: string;
  title: string;
  kind: string;
  painPoint: string;
  solution: string;
  period: string;
  periodLabel: string;
  /** 課題一覧's 実施状況 now ('' when none). */
  status: string;
  answer: RoundAnswer | null;
}
export interface ProgressView extends ProgressItem {
  ok: true;
  progress: true;
  token: string;
  department: string;
  projectName: string;
  ptContact: string;
  statuses: string[];
}
export type ProgressPage = ProgressView | { ok: false; progress: true; message: string; closed?: boolean };

function itemOf(
  proposal: RegisterState['proposals'][number],
  period: string,
  answer: RoundAnswer | null,
): ProgressItem {
  return {
    id: proposal.id,
    title: proposal.title,
    kind: proposal.kind,
    painPoint: proposal.painPoint,
    solution: proposal.solution,
    period,
    periodLabel: periodLabel(period),
    status: proposal.implementation,
    answer,
  };
}

/** The progress page's data (GET): reads only. */
export function progressPage(token: string): ProgressPage {
  const ss = theRegister();
  try {
    const today = clockFor(ss).today;
    const key = checkOfToken(token, today);
    const { state } = loadRegister(ss, today);
    const props = scriptProps().getProperties();
    const { proposal } = openCheckOf(state, readRounds(props), key);
    return {
      ok: true,
      progress: true,
      token,
      department: key.department,
      projectName: state.settings.projectName,
      ptContact: proposal.ptContact || state.settings.ptContact,
      statuses: state.settings.lists.implementation,
      ...itemOf(proposal, key.period, readAnswer(props, key.period, key.id, key.department)),
    };
  } catch (e) {
    if (e instanceof Refused)
      return {
        ok: false,
        progress: true,
        message: e.message,
        closed: (e.current as { closed?: boolean } | undefined)?.closed === true,
      };
    if (e instanceof NotSetUp)
      return {
        ok: false,
        progress: true,
        message: '台帳の準備ができていません。PT担当にお問い合わせください。',
      };
    throw e;
  }
}

/** A department's open progress checks, for its inbox: each proposal's latest round. */
export function progressItemsOf(state: RegisterState, department: string): ProgressItem[] {
  const props = scriptProps().getProperties();
  const rounds = readRounds(props);
  const ids = [...new Set(rounds.filter((r) => r.department === department).flatMap((r) => r.ids))];
  const items: ProgressItem[] = [];
  for (const id of ids) {
    const period = latestRound(rounds, id, department)!.period;
    try {
      const { proposal } = openCheckOf(state, rounds, { id, department, period });
      items.push(itemOf(proposal, period, readAnswer(props, period, id, department)));
    } catch (e) {
      if (!(e instanceof Refused)) throw e;
    }
  }
  return items;
}

const progressAnswerSchema = z.object({
  /** A progress link's token, or an inbox link's (`inbox`) with the proposal answered (`id`). */
  token: z._default(z.string().check(z.maxLength(2000)), ''),
  inbox: z._default(z.string().check(z.maxLength(2000)), ''),
  id: z._default(z.string().check(z.trim(), z.maxLength(100)), ''),
  status: z
    .string({ error: '実施状況を選んでください。' })
    .check(z.trim(), z.minLength(1, { error: '実施状況を選んでください。' })),
  note: z._default(
    z.string().check(
      z.trim(),
      z.maxLength(MAX_NOTE, {
        error: `メモは${MAX_NOTE.toLocaleString('en-US')}文字以内で入力してください。`,
      }),
    ),
    '',
  ),
  answeredBy: z
    .string({ error: '回答者のお名前を入力してください。' })
    .check(
      z.trim(),
      z.minLength(1, { error: '回答者のお名前を入力してください。' }),
      z.maxLength(200, { error: '回答者は200文字以内で入力してください。' }),
    ),
});

/**
 * Records a department's 実施状況 for a round (or corrects its earlier answer in that round): the
 * same answer again changes nothing.
 */
export function submitProgressAnswer(payload: z.input<typeof progressAnswerSchema>): { recorded: boolean } {
  const input = parseOrRefuse(progressAnswerSchema, payload);
  const visitor = Session.getActiveUser().getEmail();
  const who = answererOf(input.answeredBy, visitor);
  return mutateAs(
    who,
    '回答ページ',
    ({ draft }) => {
      const today = draft.actor.today;
      const props = scriptProps().getProperties();
      const rounds = readRounds(props);
      let key: { id: string; department: string; period: string };
      if (input.inbox) {
        const { department } = inboxDepartmentOf(input.inbox, today);
        const round = latestRound(rounds, input.id, department);
        if (!round) throw new Refused('not_found', 'この課題への実施状況の確認依頼は見つかりません。');
        key = { id: input.id, department, period: round.period };
      } else key = checkOfToken(input.token, today);
      const { proposal } = openCheckOf(draft.state, rounds, key);
      const statuses = draft.state.settings.lists.implementation;
      if (!statuses.includes(input.status)) {
        const message = `実施状況は一覧(${statuses.join('、')})から選んでください。`;
        throw new Refused('invalid', message, { status: message });
      }
      const { id, department, period } = key;
      const earlier = readAnswer(props, period, id, department);
      if (earlier && earlier.status === input.status && earlier.note === input.note)
        return { recorded: false };
      const label = `${periodLabel(period)}の実施状況確認`;
      draft.log(id, department, PROGRESS_ANSWER_FIELD, proposal.implementation, input.status, {
        reason: `${label}への${earlier ? '回答の修正' : '回答'}${input.note ? `: ${input.note}` : ''}`,
      });
      draft.setProposal(id, 'implementation', input.status, { reason: `${department}の回答(${label})` });
      draft.props.set(
        ansProp(period, id, department),
        JSON.stringify({ status: input.status, note: input.note, by: who, on: today } satisfies RoundAnswer),
      );
      return { recorded: true };
    },
    { requireRole: false },
  );
}
