// Sending at most once. Under the script lock a request is claimed (送信中, flushed), the lock is
// released, the mail is sent, and the outcome is recorded under the lock again. A 送信中 row whose
// run died becomes 要確認 and is never resent automatically. The quota counts recipients.

import { progressKey } from '../domain/draft';
import {
  escapeHtml,
  type MailRow,
  type Message,
  mailKey,
  newMailRow,
  oneLine,
  requestMessage,
} from '../domain/mail';
import type { RegisterState } from '../domain/model';
import { signToken } from '../domain/token';
import { appendMailRows, type MailLog, readMailLog, updateMailRow } from '../sheets/mail-log';
import { loadRegister } from '../sheets/register';
import { workingCalendar } from './calendar';
import { clockFor } from './clock';
import { PROP_SECRET, scriptProps } from './context';
import { withScriptLock } from './lock';
import { mutateAs } from './mutate';

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
  const token = signToken(key, plusDays(presentedOn, LINK_DAYS), secret);
  return base
    ? `${base}?t=${token}`
    : `(回答ページのURLが設定されていません。事務局にお問い合わせください。トークン: ${token})`;
}

/** The latest consultation request to a department: its link is the one reminders repeat. */
const latestRequest = (log: readonly MailRow[], id: string, department: string) =>
  log.filter((r) => r.mailKind === '依頼' && r.id === id && r.department === department).pop();

/** The message for a queued row, from the register as it stands (a string says why it cannot be made). */
export function composeMessage(
  state: RegisterState,
  row: MailRow,
  log: readonly MailRow[] = [],
): Message | string {
  if (row.mailKind === 'まとめ') return composeDigest(state, row, log);
  const proposal = state.proposals.find((p) => p.id === row.id);
  const progress = state.progress.find((r) => r.id === row.id && r.department === row.department);
  if (!proposal || !progress) return `課題 ${row.id} または所管課 ${row.department} が台帳にありません。`;
  const ptContact = proposal.ptContact || state.settings.ptContact;
  if (row.mailKind === '回答通知') return answerNotice(state, row, proposal, progress);
  const presentedOn = progress.presentedOn || clockFor(SpreadsheetApp.getActiveSpreadsheet()).today;
  const request = row.mailKind === '督促' ? latestRequest(log, row.id, row.department) : row;
  const round = request?.round ?? 1;
  return requestMessage({
    proposal,
    department: row.department,
    recipients: row.recipients,
    round,
    projectName: state.settings.projectName,
    ptContact,
    presentedOn,
    dueDate: workingCalendar().addWorkingDays(presentedOn, state.settings.answerDays),
    link: answerLink(mailKey(row.id, row.department, '依頼', round), presentedOn, state.settings),
    reminder: row.mailKind === '督促',
  });
}

function answerNotice(
  state: RegisterState,
  row: MailRow,
  proposal: RegisterState['proposals'][number],
  progress: RegisterState['progress'][number],
): Message {
  const hint =
    progress.answerKind === '既に対応済み・対応予定'
      ? '所管課は既に対応済み・対応予定と回答しています。サイドバーで④(対応済)にするか確認してください。'
      : progress.answerKind === '所管外'
        ? '所管課は所管外と回答しています。サイドバーで所管外として外すか確認してください。'
        : '';
  const lines = [
    `${proposal.id} ${proposal.title} について、${progress.department} から回答がありました。`,
    '',
    `回答区分: ${progress.answerKind}`,
    `回答者: ${progress.answeredBy}`,
    `回答日: ${progress.answeredOn}`,
    progress.proposedDate ? `協議希望日: ${progress.proposedDate}` : '',
    '',
    progress.answerComment || '(コメントなし)',
    '',
    hint,
  ].filter((l, i, a) => l !== '' || (a[i - 1] ?? '') !== '');
  return {
    to: row.recipients,
    replyTo: '',
    name: oneLine(state.settings.projectName),
    subject: oneLine(
      `【回答】${proposal.id} ${proposal.title}(${progress.department}:${progress.answerKind})`,
    ).slice(0, 240),
    body: lines.join('\n'),
    htmlBody: lines
      .map((l) => `<p style="white-space:pre-wrap;margin:4px 0">${escapeHtml(l)}</p>`)
      .join('\n'),
  };
}

/** One email per department listing all its open requests, each with its own link. */
function composeDigest(state: RegisterState, row: MailRow, log: readonly MailRow[]): Message | string {
  const open = openRequests(state, log).filter((r) => r.department === row.department);
  if (!open.length) return `${row.department} に未回答の協議依頼はありません。`;
  const items = open.map((r) => {
    const p = state.proposals.find((x) => x.id === r.id)!;
    const presentedOn =
      state.progress.find((x) => x.id === r.id && x.department === r.department)?.presentedOn ?? '';
    return {
      p,
      link: answerLink(mailKey(r.id, r.department, '依頼', r.round), presentedOn, state.settings),
      presentedOn,
    };
  });
  const body = [
    `${row.department} ご担当者様`,
    '',
    `${state.settings.projectName}から、回答をお待ちしている協議依頼が${items.length}件あります。`,
    '',
    ...items.flatMap(({ p, link, presentedOn }) => [`■${p.id} ${p.title}(提示日 ${presentedOn})`, link, '']),
  ].join('\n');
  const html = [
    `<p>${escapeHtml(row.department)} ご担当者様</p>`,
    `<p>${escapeHtml(state.settings.projectName)}から、回答をお待ちしている協議依頼が${items.length}件あります。</p>`,
    '<ul>',
    ...items.map(
      ({ p, link }) => `<li><a href="${escapeHtml(link)}">${escapeHtml(`${p.id} ${p.title}`)}</a></li>`,
    ),
    '</ul>',
  ].join('\n');
  return {
    to: row.recipients,
    replyTo: state.settings.ptContact,
    name: oneLine(state.settings.projectName),
    subject: oneLine(`【協議依頼のまとめ】未回答 ${items.length}件`),
    body,
    htmlBody: html,
  };
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

/** New request rows for departments just presented (queued as 待機, or 失敗 without an address). */
export function queueRequests(
  log: MailLog,
  state: RegisterState,
  id: string,
  departments: string[],
  now: string,
): MailRow[] {
  const rows = departments.map((department) => {
    const round =
      log.rows.filter((r) => r.id === id && r.department === department && r.mailKind === '依頼').length + 1;
    const recipients = recipientsOf(state.departments.find((d) => d.name === department)?.emails ?? '');
    return newMailRow(id, department, '依頼', round, recipients, now);
  });
  appendMailRows(log, rows);
  return rows;
}

/** 送信中 rows whose run died become 要確認 (never resent automatically). */
export function markStaleClaims(ss: Spreadsheet): number {
  return withScriptLock(() => {
    const log = readMailLog(ss);
    const now = Date.now();
    let n = 0;
    for (const r of log.rows) {
      if (r.state !== '送信中') continue;
      const claimedAt = Date.parse(r.sentAt.replace(' ', 'T'));
      if (Number.isNaN(claimedAt) || now - claimedAt > CLAIM_LIFETIME_MS) {
        updateMailRow(log, r.key, {
          state: '要確認',
          error: '送信中に処理が止まりました。届いたかどうかを確認し、再送するか送信済にしてください。',
        });
        n++;
      }
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
 * Sends queued requests (all, or only `keys`) as the current user, one at a time: claim under
 * the lock, send without it, record under it. Stops at the quota or the time budget.
 */
export function sendQueued(ss: Spreadsheet, keys?: readonly string[]): SendReport {
  const started = Date.now();
  const report: SendReport = { sent: 0, failed: 0, deferred: 0 };
  const tz = ss.getSpreadsheetTimeZone();
  const stamp = () => Utilities.formatDate(new Date(), tz, 'yyyy-MM-dd HH:mm:ss');
  const candidates = readMailLog(ss).rows.filter(
    (r) =>
      (r.state === '待機' || r.state === '失敗') &&
      r.recipients &&
      r.attempts < MAX_ATTEMPTS &&
      (!keys || keys.includes(r.key)),
  );
  if (candidates.length === 0) return report;
  const state = loadRegister(ss, clockFor(ss).today).state;
  const log = readMailLog(ss).rows;
  for (const candidate of candidates) {
    if (
      Date.now() - started > SEND_BUDGET_MS ||
      MailApp.getRemainingDailyQuota() < countRecipients(candidate.recipients)
    ) {
      report.deferred = candidates.length - report.sent - report.failed;
      break;
    }
    const claimed = withScriptLock(() => {
      const log = readMailLog(ss);
      const row = log.rows.find((r) => r.key === candidate.key);
      if (!row || (row.state !== '待機' && row.state !== '失敗')) return null;
      updateMailRow(log, row.key, {
        state: '送信中',
        attempts: row.attempts + 1,
        sentAt: stamp(),
        error: '',
      });
      return row;
    });
    if (!claimed) continue;
    const message = composeMessage(state, claimed, log);
    let error = typeof message === 'string' ? message : '';
    if (typeof message !== 'string') {
      try {
        MailApp.sendEmail(message);
      } catch (e) {
        error = String((e as Error).message ?? e);
      }
    }
    withScriptLock(() => {
      const log = readMailLog(ss);
      updateMailRow(
        log,
        claimed.key,
        error ? { state: '失敗', error } : { state: '送信済', sentAt: stamp(), error: '' },
      );
    });
    if (error) report.failed++;
    else report.sent++;
  }
  return report;
}

/** The 依頼状態 shown in 所管課別進捗, derived from the latest request of each department. */
export function syncRequestStates(ss: Spreadsheet, email: string, path: 'サイドバー' | 'トリガー'): void {
  const log = readMailLog(ss);
  const latest = new Map<string, MailRow>();
  for (const r of log.rows) if (r.mailKind === '依頼') latest.set(progressKey(r.id, r.department), r);
  mutateAs(
    email,
    path,
    ({ draft }) => {
      for (const r of latest.values()) {
        const row = draft.progress(r.id, r.department);
        if (row && row.requestState !== r.state)
          draft.setProgress(r.id, r.department, 'requestState', r.state);
      }
    },
    { requireRole: false },
  );
}
