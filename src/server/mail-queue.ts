// Sending at most once. Under the script lock a request is claimed (送信中, in the properties the
// add-on keeps, then on its row), the lock is released, the mail is sent, and the outcome is
// recorded under the lock again. A 送信中 claim whose run died becomes 要確認 and is never resent
// automatically. What is sent, and to whom, never comes from 送信記録's cells: the queue's state
// is in script properties (server/mail-store.ts) and the recipients are read from the directory
// (所管課) when the mail goes out; the 宛先 column shows where it went. The quota counts recipients.

import { dueDateOf, sentOnOf } from '../domain/deadlines';
import { progressKey } from '../domain/draft';
import { type MailRow, type Message, mailKey, type NewMail } from '../domain/mail';
import { answerNoticeMessage, digestMessage, requestMessage } from '../domain/mail-messages';
import type { RegisterState } from '../domain/model';
import { PROGRESS_MAIL_KIND } from '../domain/progress-checks';
import { signToken } from '../domain/token';
import { loadRegister, NotSetUp } from '../sheets/register';
import { theRegister } from '../sheets/register-scope';
import { workingCalendar } from './calendar';
import { clockFor } from './clock';
import { ownerEmail, PROP_SECRET, scriptProps } from './context';
import { composeEscalation } from './escalation';
import { inboxLink } from './inbox';
import { withScriptLock } from './lock';
import {
  isSendable,
  locate,
  type OpenEntry,
  openEntry,
  type QueueView,
  queueMails,
  readQueue,
  recordMail,
  repairQueue,
  reportFindings,
} from './mail-store';
import { mutateAs } from './mutate';
import { composeProgressCheck, progressCheckClosed } from './progress-checks';
import { linkToken } from './registers';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

export const MAX_ATTEMPTS = 3;
/** A claim older than a run can live (6 minutes) belongs to a run that died. */
const CLAIM_LIFETIME_MS = 7 * 60_000;
/** Stop sending well inside the 6-minute limit; the rest waits for the next run. */
const SEND_BUDGET_MS = 4 * 60_000;
/** Links stay usable this long after presentation; closing the request ends them sooner. */
const LINK_DAYS = 365;

export const recipientsOf = (emails: string) =>
  emails
    .split(/[、,;\s]+/)
    .map((s) => s.trim())
    .filter(Boolean)
    .join(',');
const countRecipients = (to: string) => to.split(',').filter(Boolean).length;

const plusDays = (iso: string, days: number) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

export function answerLink(key: string, presentedOn: string, settings: RegisterState['settings']): string {
  const secret = scriptProps().getProperty(PROP_SECRET) ?? '';
  const base = settings.webAppUrl || ScriptApp.getService().getUrl() || '';
  const token = linkToken(signToken(key, plusDays(presentedOn, LINK_DAYS), secret));
  return base
    ? `${base}?t=${token}`
    : `(回答ページのURLが設定されていません。事務局にお問い合わせください。トークン: ${token})`;
}

/** The latest consultation request to a department: its link is the one reminders repeat. */
const latestRequest = (log: readonly MailRow[], id: string, department: string) =>
  log.filter((r) => r.mailKind === '依頼' && r.id === id && r.department === department).pop();

/** A department's addresses from the directory (所管課) as it is now, or why there are none. */
function directoryRecipients(state: RegisterState, department: string): string | { error: string } {
  const to = recipientsOf(state.departments.find((d) => d.name === department)?.emails ?? '');
  return to || { error: `所管課シートに「${department}」のメールアドレスがありません。` };
}

/** Why a department can no longer be asked (or answer) about a proposal, or null while it is open. */
export function closedReason(
  proposal: RegisterState['proposals'][number],
  progress: RegisterState['progress'][number],
): string | null {
  if (progress.stage === '所管外') return `${progress.department}は所管外として外されています`;
  if (progress.stage === '未提示') return `${progress.department}への提示は取り消されています(未提示)`;
  if (proposal.judgment === '検討終了') return 'PTがこの課題(提案)の検討終了を判断しました';
  return null;
}

/** Why a queued request or reminder can no longer go out (its request was closed), or null. */
function closedFor(state: RegisterState, row: MailRow): string | null {
  if (row.mailKind === PROGRESS_MAIL_KIND) return progressCheckClosed(state, row);
  if (row.mailKind !== '依頼' && row.mailKind !== '督促') return null;
  const proposal = state.proposals.find((p) => p.id === row.id);
  const progress = state.progress.find((r) => r.id === row.id && r.department === row.department);
  const closed = proposal && progress ? closedReason(proposal, progress) : null;
  return closed ? `${closed}。この協議依頼は送りません。` : null;
}

/** The message for a queued row, from the register as it stands (a string says why it cannot be made). */
export function composeMessage(
  state: RegisterState,
  row: MailRow,
  log: readonly MailRow[] = [],
): Message | string {
  if (row.mailKind === 'まとめ') return composeDigest(state, row, log);
  if (row.mailKind === '期限超過') return composeEscalation(state, row, log);
  if (row.mailKind === PROGRESS_MAIL_KIND) return composeProgressCheck(state, row);
  const proposal = state.proposals.find((p) => p.id === row.id);
  const progress = state.progress.find((r) => r.id === row.id && r.department === row.department);
  if (!proposal || !progress) return `課題 ${row.id} または所管課 ${row.department} が台帳にありません。`;
  const ptContact = proposal.ptContact || state.settings.ptContact;
  if (row.mailKind === '回答通知') return answerNotice(state, row, proposal, progress);
  const closed = closedFor(state, row);
  if (closed) return closed;
  const to = directoryRecipients(state, row.department);
  if (typeof to !== 'string') return to.error;
  const today = clockFor(theRegister()).today;
  const presentedOn = progress.presentedOn || today;
  const request = row.mailKind === '督促' ? latestRequest(log, row.id, row.department) : row;
  const round = request?.round ?? 1;
  // 回答期限 counts from the day the request went out: today for a request, the request's day for a reminder.
  const sentOn = (request && sentOnOf(request)) || today;
  return requestMessage({
    proposal,
    department: row.department,
    recipients: to,
    round,
    projectName: state.settings.projectName,
    ptContact,
    presentedOn,
    dueDate: dueDateOf(workingCalendar(), sentOn, state.settings.answerDays),
    link: answerLink(mailKey(row.id, row.department, '依頼', round), presentedOn, state.settings),
    inboxLink: inboxLink(row.department, today, state.settings.webAppUrl),
    reminder: row.mailKind === '督促',
  });
}

/** Who is told of an answer: the owner, the secretariat in 設定 and the PT contact, as they are now. */
export function noticeRecipients(state: RegisterState, proposal: RegisterState['proposals'][number]): string {
  return [
    ...new Set(
      [ownerEmail(), ...state.settings.secretariat, proposal.ptContact || state.settings.ptContact].filter(
        Boolean,
      ),
    ),
  ].join(',');
}

function answerNotice(
  state: RegisterState,
  _row: MailRow,
  proposal: RegisterState['proposals'][number],
  progress: RegisterState['progress'][number],
): Message | string {
  const to = noticeRecipients(state, proposal);
  if (!to) return '回答の通知先(事務局・PT連絡先)がありません。';
  return answerNoticeMessage({ to, projectName: state.settings.projectName, proposal, progress });
}

/** One email per department listing all its open requests, each with its own link. */
function composeDigest(state: RegisterState, row: MailRow, log: readonly MailRow[]): Message | string {
  const open = openRequests(state, log).filter((r) => r.department === row.department);
  if (!open.length) return `${row.department} に未回答の協議依頼はありません。`;
  const to = directoryRecipients(state, row.department);
  if (typeof to !== 'string') return to.error;
  const items = open.map((r) => {
    const p = state.proposals.find((x) => x.id === r.id)!;
    const presentedOn =
      state.progress.find((x) => x.id === r.id && x.department === r.department)?.presentedOn ?? '';
    const link = answerLink(mailKey(r.id, r.department, '依頼', r.round), presentedOn, state.settings);
    return { id: p.id, title: p.title, presentedOn, link };
  });
  return digestMessage({
    department: row.department,
    to,
    projectName: state.settings.projectName,
    ptContact: state.settings.ptContact,
    items,
    inboxLink: inboxLink(row.department, clockFor(theRegister()).today, state.settings.webAppUrl),
  });
}

/** Sent requests still waiting for an answer: the department is at ① and has not answered. */
export function openRequests(state: RegisterState, log: readonly MailRow[]): MailRow[] {
  const latest = new Map<string, MailRow>();
  for (const r of log) if (r.mailKind === '依頼') latest.set(progressKey(r.id, r.department), r);
  const progressByKey = new Map(state.progress.map((x) => [progressKey(x.id, x.department), x]));
  const proposalById = new Map(state.proposals.map((x) => [x.id, x]));
  return [...latest.values()].filter((r) => {
    const progress = progressByKey.get(progressKey(r.id, r.department));
    const proposal = proposalById.get(r.id);
    return r.state === '送信済' && progress?.stage === '①' && !progress.answerKind && !proposal?.judgment;
  });
}

/** New request rows for departments just presented, numbered after the add-on's own earlier rounds. */
export function queueRequests(view: QueueView, id: string, departments: string[], now: string): MailRow[] {
  const mails: NewMail[] = departments.map((department) => ({
    id,
    department,
    mailKind: '依頼',
    round: nextRound(view.rows, id, department, '依頼'),
  }));
  return queueMails(view, mails, now);
}

/** The next round of an email kind for a pair, after every round the add-on recorded. */
export function nextRound(
  rows: readonly MailRow[],
  id: string,
  department: string,
  kind: MailRow['mailKind'],
) {
  let round = 0;
  for (const r of rows)
    if (r.mailKind === kind && r.id === id && r.department === department) round = Math.max(round, r.round);
  return round + 1;
}

/**
 * Checks 送信記録 against what the add-on recorded (call under the script lock): edited rows are
 * put back, deleted open ones restored, rows without a valid seal ignored, and what was found is
 * told to the secretariat once. Returns the lines told now.
 */
export function checkMailLog(ss: Spreadsheet): string[] {
  return checkedQueue(ss).told;
}

/** For the onEdit handler: the same check, taking the script lock itself. */
export function onMailLogEdit(ss: Spreadsheet): string[] {
  return withScriptLock(() => checkMailLog(ss));
}

function checkedQueue(ss: Spreadsheet): { view: QueueView; told: string[] } {
  const view = readQueue(ss);
  repairQueue(view);
  return { view, told: reportFindings(ss, view.findings) };
}

function checkedOrNotSetUp(ss: Spreadsheet): ReturnType<typeof checkedQueue> | null {
  try {
    return checkedQueue(ss);
  } catch (e) {
    if (e instanceof NotSetUp) return null;
    throw e;
  }
}

/** 送信中 claims whose run died become 要確認 (never resent automatically). */
export function markStaleClaims(ss: Spreadsheet): number {
  return withScriptLock(() => {
    const checked = checkedOrNotSetUp(ss);
    if (!checked) return 0;
    const { view } = checked;
    const now = Date.now();
    let n = 0;
    for (const e of [...view.open.values()]) {
      if (e.state !== '送信中' || now - e.claimedMs <= CLAIM_LIFETIME_MS) continue;
      recordMail(view, e, {
        state: '要確認',
        error: '送信中に処理が止まりました。届いたかどうかを確認し、再送するか送信済にしてください。',
      });
      n++;
    }
    return n;
  });
}

export interface SendReport {
  sent: number;
  failed: number;
  deferred: number;
}

/**
 * Sends what the add-on queued (all, or only `keys`) as the current user, one at a time: claim
 * under the lock, send without it, record under it. Stops at the quota or the time budget.
 * Only emails the properties hold as 待機, or as 失敗 recorded by the add-on with attempts left.
 */
export function sendQueued(ss: Spreadsheet, keys?: readonly string[]): SendReport {
  const started = Date.now();
  const report: SendReport = { sent: 0, failed: 0, deferred: 0 };
  if (keys && keys.length === 0) return report;
  const tz = ss.getSpreadsheetTimeZone();
  const stamp = () => Utilities.formatDate(new Date(), tz, 'yyyy-MM-dd HH:mm:ss');
  const checked = withScriptLock(() => checkedOrNotSetUp(ss));
  // Not set up (no secret, or 送信記録 without 封印 until setup runs again): nothing is sent.
  if (!checked) return report;
  let view = checked.view;
  const candidates = [...view.open.values()]
    .filter((e) => isSendable(e, MAX_ATTEMPTS) && (!keys || keys.includes(e.key)))
    .sort((a, b) => a.seq - b.seq);
  if (candidates.length === 0) return report;
  const state = loadRegister(ss, clockFor(ss).today).state;
  const log = view.rows.slice();
  for (const [i, candidate] of candidates.entries()) {
    const closed = closedFor(state, candidate);
    if (closed) {
      // Closed before it went out: 取消, sent to no one and never again.
      withScriptLock(() => {
        const e = openEntry(candidate.seq);
        if (!e || !isSendable(e, MAX_ATTEMPTS)) return;
        view = locate(ss, view, e.seq);
        recordMail(view, e, { state: '取消', error: closed });
      });
      continue;
    }
    const message = composeMessage(state, candidate, log);
    const to = typeof message === 'string' ? '' : message.to;
    if (
      Date.now() - started > SEND_BUDGET_MS ||
      (to && MailApp.getRemainingDailyQuota() < countRecipients(to))
    ) {
      report.deferred = candidates.length - i;
      break;
    }
    const claimed = withScriptLock((): OpenEntry | null => {
      const e = openEntry(candidate.seq);
      if (!e || !isSendable(e, MAX_ATTEMPTS)) return null;
      view = locate(ss, view, e.seq);
      const claim = {
        state: '送信中' as const,
        attempts: e.attempts + 1,
        sentAt: stamp(),
        recipients: to,
        error: '',
        claimedMs: Date.now(),
      };
      recordMail(view, e, claim);
      return { ...e, ...claim };
    });
    if (!claimed) continue;
    let error = typeof message === 'string' ? message : '';
    if (typeof message !== 'string') {
      try {
        MailApp.sendEmail(message);
      } catch (e) {
        error = String((e as Error).message ?? e);
      }
    }
    withScriptLock(() => {
      const e = openEntry(claimed.seq);
      // Resolved by the secretariat meanwhile: their decision stands.
      if (e?.state !== '送信中' || e.claimedMs !== claimed.claimedMs) return;
      view = locate(ss, view, e.seq);
      recordMail(view, e, error ? { state: '失敗', error } : { state: '送信済', sentAt: stamp(), error: '' });
    });
    if (error) report.failed++;
    else report.sent++;
  }
  return report;
}

/** The 依頼状態 shown in 所管課別進捗, derived from the latest request the add-on recorded for each department. */
export function syncRequestStates(ss: Spreadsheet, email: string, path: 'サイドバー' | 'トリガー'): void {
  mutateAs(
    email,
    path,
    ({ draft }) => {
      const latest = new Map<string, MailRow>();
      for (const r of readQueue(ss).rows)
        if (r.mailKind === '依頼') latest.set(progressKey(r.id, r.department), r);
      for (const r of latest.values()) {
        const row = draft.progress(r.id, r.department);
        if (row && row.requestState !== r.state)
          draft.setProgress(r.id, r.department, 'requestState', r.state);
      }
    },
    { requireRole: false },
  );
}
