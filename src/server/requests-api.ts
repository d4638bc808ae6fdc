// Presenting: 提示して協議依頼を送る. The departments move to ① (効力日 = the chosen day) and each gets
// one request, queued under the lock and sent at once as the presenting user. The secretariat
// sees the queue and the quota, and resolves requests whose run died (要確認).
import * as z from 'zod';
import { type MailRow, mailKey } from '../domain/mail';
import { Refused, setDepartmentStage } from '../domain/operations';
import { dateInput } from '../domain/schemas';
import { readMailLog, updateMailRow } from '../sheets/mail-log';
import { clockFor } from './clock';
import { sidebarCaller } from './context';
import { withScriptLock } from './lock';
import { composeMessage, queueRequests, sendQueued, syncRequestStates } from './mail-queue';
import { mutate, parseOrRefuse, readAs } from './mutate';

const presentSchema = z.object({
  id: z.string().trim().min(1, { error: 'IDを指定してください。' }),
  version: z.string().default(''),
  departments: z.array(z.string()).min(1, { error: '協議依頼を送る所管課を選んでください。' }),
  effectiveDate: dateInput('effectiveDate').optional(),
  /** Also send a new, numbered request to departments already presented. */
  newRound: z.boolean().default(false),
});

function eligibility(
  state: import('../domain/model').RegisterState,
  log: MailRow[],
  id: string,
  department: string,
  newRound: boolean,
): string | null {
  const row = state.progress.find((r) => r.id === id && r.department === department);
  if (!row) return `「${department}」はこの課題の所管課ではありません。`;
  if (row.stage === '未提示') return null;
  const requests = log.filter((r) => r.id === id && r.department === department && r.mailKind === '依頼');
  const open = requests.some((r) => r.state === '待機' || r.state === '送信中' || r.state === '要確認');
  if (open) return `「${department}」への協議依頼は送信待ちか確認待ちです。`;
  if (row.stage === '①' && !requests.some((r) => r.state === '送信済')) return null;
  if (newRound && (row.stage === '①' || row.stage === '②')) return null;
  return `「${department}」には協議依頼を送信済みです。新しい協議ラウンドとして送る場合はその旨を選んでください。`;
}

/** What each department would receive, without changing anything. */
export function previewRequestsApi(payload: unknown) {
  const input = parseOrRefuse(presentSchema, payload);
  return readAs(({ reg }) => {
    const log = readMailLog(reg.ss);
    const today = clockFor(reg.ss).today;
    return input.departments.map((department) => {
      const problem = eligibility(reg.state, log.rows, input.id, department, input.newRound);
      if (problem) return { department, error: problem };
      const round =
        log.rows.filter((r) => r.id === input.id && r.department === department && r.mailKind === '依頼')
          .length + 1;
      const recipients = reg.state.departments.find((d) => d.name === department)?.emails ?? '';
      const state = {
        ...reg.state,
        progress: reg.state.progress.map((r) =>
          r.id === input.id && r.department === department && !r.presentedOn
            ? { ...r, presentedOn: input.effectiveDate ?? today }
            : r,
        ),
      };
      const row: MailRow = {
        key: mailKey(input.id, department, '依頼', round),
        id: input.id,
        department,
        mailKind: '依頼',
        round,
        recipients,
        state: '待機',
        attempts: 0,
        createdAt: '',
        sentAt: '',
        error: '',
      };
      const m = composeMessage(state, row);
      return typeof m === 'string'
        ? { department, error: m }
        : { department, recipients: m.to, replyTo: m.replyTo, subject: m.subject, body: m.body };
    });
  });
}

export function presentApi(payload: unknown) {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const email = sidebarCaller();
  const keys = mutate(presentSchema, payload, ({ draft, reg }, input) => {
    const log = readMailLog(reg.ss);
    const errors: Record<string, string> = {};
    for (const department of input.departments) {
      const problem = eligibility(draft.state, log.rows, input.id, department, input.newRound);
      if (problem) errors[department] = problem;
    }
    if (Object.keys(errors).length)
      throw new Refused('invalid', Object.values(errors).join('\n'), {
        departments: Object.values(errors).join('\n'),
      });
    // The version the user saw is checked once, before the first department moves.
    let version: string | undefined = input.version || undefined;
    for (const department of input.departments) {
      if (draft.progress(input.id, department)?.stage === '未提示') {
        setDepartmentStage(draft, {
          id: input.id,
          version,
          department,
          stage: '①',
          effectiveDate: input.effectiveDate,
          reason: '',
        });
        version = undefined;
      }
    }
    const rows = queueRequests(log, draft.state, input.id, input.departments, draft.actor.recordedAt);
    for (const r of rows) draft.setProgress(r.id, r.department, 'requestState', r.state);
    return rows.map((r) => r.key);
  });
  // Sent after the lock is released, one claim at a time, as the presenting user.
  const report = sendQueued(ss, keys);
  syncRequestStates(ss, email, 'サイドバー');
  return { keys, ...report };
}

/** The secretariat's view of the queue: everything not yet sent, and the quota left today. */
export function mailQueueApi() {
  return readAs(({ reg, role }) => {
    if (role !== '事務局') throw new Refused('forbidden', '送信キューは事務局だけが見られます。');
    const rows = readMailLog(reg.ss).rows;
    return {
      quota: MailApp.getRemainingDailyQuota(),
      pending: rows.filter((r) => r.state !== '送信済').map(({ row: _r, ...r }) => r),
      sentToday: rows.filter((r) => r.state === '送信済' && r.sentAt.startsWith(clockFor(reg.ss).today))
        .length,
    };
  });
}

const resolveSchema = z.object({
  key: z.string().min(1),
  action: z.enum(['resend', 'sent'], { error: '再送か送信済かを選んでください。' }),
});

/** 要確認 (or 失敗) resolved by the secretariat: resend now, or mark as sent. */
export function resolveMailApi(payload: unknown) {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const input = parseOrRefuse(resolveSchema, payload);
  const email = readAs(({ role, email }) => {
    if (role !== '事務局') throw new Refused('forbidden', '送信の確認は事務局だけが行えます。');
    return email;
  });
  withScriptLock(() => {
    const log = readMailLog(ss);
    const row = log.rows.find((r) => r.key === input.key);
    if (!row || (row.state !== '要確認' && row.state !== '失敗'))
      throw new Refused('invalid', 'この送信は確認の必要がありません。');
    updateMailRow(
      log,
      row.key,
      input.action === 'sent'
        ? { state: '送信済', error: `${email} が送信済にしました。` }
        : { state: '待機', attempts: 0, error: '' },
    );
  });
  const report =
    input.action === 'resend' ? sendQueued(ss, [input.key]) : { sent: 0, failed: 0, deferred: 0 };
  syncRequestStates(ss, email, 'サイドバー');
  return report;
}
