// Presenting: 提示して協議依頼を送る. The departments move to ① (効力日 = the chosen day) and each gets
// one request, queued under the lock and sent at once as the presenting user. The secretariat
// sees the queue and the quota, and resolves requests whose run died (要確認).
import * as z from 'zod/mini';
import { type MailRow, newMailRow } from '../domain/mail';
import { Refused, setDepartmentStage } from '../domain/operations';
import { dateInput } from '../domain/schemas';
import { theRegister } from '../sheets/register-scope';
import { clockFor } from './clock';
import { sidebarCaller } from './context';
import { withScriptLock } from './lock';
import { composeMessage, nextRound, queueRequests, sendQueued, syncRequestStates } from './mail-queue';
import { locate, readQueue, recordMail, repairQueue, reportFindings } from './mail-store';
import { mutate, parseOrRefuse, readAs } from './mutate';

const presentSchema = z.object({
  id: z.string().check(z.trim(), z.minLength(1, { error: 'IDを指定してください。' })),
  version: z._default(z.string(), ''),
  departments: z.array(z.string()).check(z.minLength(1, { error: '協議依頼を送る所管課を選んでください。' })),
  effectiveDate: z.optional(dateInput('effectiveDate')),
  /** Also send a new, numbered request to departments already presented. */
  newRound: z._default(z.boolean(), false),
});

function eligibility(
  state: import('../domain/model').RegisterState,
  log: readonly MailRow[],
  id: string,
  department: string,
  newRound: boolean,
): string | null {
  const row = state.progress.find((r) => r.id === id && r.department === department);
  if (!row) return `「${department}」はこの課題の所管課ではありません。`;
  if (row.stage === '未提示') return null;
  const requests = log.filter((r) => r.id === id && r.department === department && r.mailKind === '依頼');
  const open = requests.some((r) => r.state !== '送信済' && r.state !== '取消');
  if (open) return `「${department}」への協議依頼は送信待ちか確認待ちです。`;
  // 依頼状態 is written by the add-on: a sent request whose 送信記録 row was deleted still counts.
  const sent = requests.some((r) => r.state === '送信済') || row.requestState === '送信済';
  if (row.stage === '①' && !sent) return null;
  if (newRound && (row.stage === '①' || row.stage === '②')) return null;
  return `「${department}」には協議依頼を送信済みです。新しい協議ラウンドとして送る場合はその旨を選んでください。`;
}

/** What each department would receive, without changing anything. */
export function previewRequestsApi(payload: z.input<typeof presentSchema>) {
  const input = parseOrRefuse(presentSchema, payload);
  return readAs(({ reg }) => {
    const log = readQueue(reg.ss).rows;
    const today = clockFor(reg.ss).today;
    return input.departments.map((department) => {
      const problem = eligibility(reg.state, log, input.id, department, input.newRound);
      if (problem) return { department, error: problem };
      // As it will stand once presented: at ①, presented on the chosen day.
      const state = {
        ...reg.state,
        progress: reg.state.progress.map((r) =>
          r.id === input.id && r.department === department && r.stage === '未提示'
            ? { ...r, stage: '①' as const, presentedOn: input.effectiveDate ?? today }
            : r,
        ),
      };
      const row = newMailRow(
        { id: input.id, department, mailKind: '依頼', round: nextRound(log, input.id, department, '依頼') },
        0,
        '',
      );
      const m = composeMessage(state, row);
      return typeof m === 'string'
        ? { department, error: m }
        : { department, recipients: m.to, replyTo: m.replyTo, subject: m.subject, body: m.body };
    });
  });
}

export function presentApi(payload: z.input<typeof presentSchema>) {
  const ss = theRegister();
  const email = sidebarCaller();
  const keys = mutate(presentSchema, payload, ({ draft, reg }, input) => {
    const view = readQueue(reg.ss);
    const errors: Record<string, string> = {};
    for (const department of input.departments) {
      const problem = eligibility(draft.state, view.rows, input.id, department, input.newRound);
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
    const rows = queueRequests(view, input.id, input.departments, draft.actor.recordedAt);
    for (const r of rows) draft.setProgress(r.id, r.department, 'requestState', r.state);
    return rows.map((r) => r.key);
  });
  // Sent after the lock is released, one claim at a time, as the presenting user.
  const report = sendQueued(ss, keys);
  syncRequestStates(ss, email, 'サイドバー');
  // Which departments did not get theirs, and why, for the person to act on.
  const failures = report.failed
    ? readQueue(ss)
        .rows.filter((r) => keys.includes(r.key) && r.state === '失敗')
        .map((r) => ({ department: r.department, error: r.error }))
    : [];
  return { keys, ...report, failures };
}

/** The secretariat's view of the queue: everything not yet sent, the quota left today, and what was found changed by hand. */
export function mailQueueApi() {
  return readAs(({ reg, role }) => {
    if (role !== '事務局') throw new Refused('forbidden', '送信キューは事務局だけが見られます。');
    const view = readQueue(reg.ss);
    const today = clockFor(reg.ss).today;
    return {
      quota: MailApp.getRemainingDailyQuota(),
      pending: view.rows.filter((r) => r.state !== '送信済' && r.state !== '取消'),
      sentToday: view.rows.filter((r) => r.state === '送信済' && r.sentAt.startsWith(today)).length,
      problems: view.findings.map((f) => f.line),
    };
  });
}

const resolveSchema = z.object({
  key: z.string().check(z.minLength(1, { error: '送信を指定してください。' }), z.maxLength(500)),
  action: z.enum(['resend', 'sent'], { error: '再送か送信済かを選んでください。' }),
});

/**
 * 要確認 (or 失敗) resolved by the secretariat: resend now, or mark as sent. Only emails the add-on
 * itself queued and still holds as open can be resolved; nothing typed into 送信記録 is.
 */
export function resolveMailApi(payload: z.input<typeof resolveSchema>) {
  const ss = theRegister();
  const input = parseOrRefuse(resolveSchema, payload);
  const email = readAs(({ role, email }) => {
    if (role !== '事務局') throw new Refused('forbidden', '送信の確認は事務局だけが行えます。');
    return email;
  });
  withScriptLock(() => {
    let view = readQueue(ss);
    repairQueue(view);
    reportFindings(ss, view.findings);
    const entry = [...view.open.values()].find(
      (e) => e.key === input.key && (e.state === '要確認' || e.state === '失敗'),
    );
    if (!entry) throw new Refused('invalid', 'この送信は確認の必要がありません。');
    view = locate(ss, view, entry.seq);
    recordMail(
      view,
      entry,
      input.action === 'sent'
        ? { state: '送信済', error: `${email} が送信済にしました。` }
        : { state: '待機', attempts: 0, error: `${email} が再送を指示しました。`, claimedMs: 0 },
    );
  });
  const report =
    input.action === 'resend' ? sendQueued(ss, [input.key]) : { sent: 0, failed: 0, deferred: 0 };
  syncRequestStates(ss, email, 'サイドバー');
  return report;
}
