// A department's inbox (web app, executing as the deployer): one page listing that department's
// open requests with 回答期限 and overdue marks, each answerable there through the answer page's
// own path (submitAnswer with the inbox token and the proposal's ID, the same rules). The link is
// an HMAC-signed token for that department alone (purpose `inbox`, so a request link is never an
// inbox link nor the other way round), it expires, and it shows nothing but that department's
// requests. It also lists the department's progress checks (実施状況の確認) of carried-over
// proposals, answered through apiProgressAnswer with the same inbox token. Opening it changes nothing.
import { requestDeadlines } from '../domain/deadlines';
import { progressKey } from '../domain/draft';
import { ANSWER_KINDS } from '../domain/labels';
import { Refused } from '../domain/operations';
import { signToken } from '../domain/token';
import { loadRegister, NotSetUp } from '../sheets/register';
import { theRegister } from '../sheets/register-scope';
import { answerOf, currentRequestKey, inboxDepartmentOf, openRequestOf } from './answers';
import { workingCalendar } from './calendar';
import { clockFor } from './clock';
import { PROP_SECRET, scriptProps } from './context';
import { readQueue } from './mail-store';
import { type ProgressItem, progressItemsOf } from './progress-checks';
import { linkToken } from './registers';

/** An inbox link stays usable this long after the email carrying it was made; every email brings a fresh one. */
export const INBOX_LINK_DAYS = 60;

const plusDays = (iso: string, days: number) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/** The inbox link for a department, valid INBOX_LINK_DAYS from `today` ('' when no page URL is set). */
export function inboxLink(department: string, today: string, webAppUrl: string): string {
  const secret = scriptProps().getProperty(PROP_SECRET) ?? '';
  const base = webAppUrl || ScriptApp.getService().getUrl() || '';
  if (!base || !secret) return '';
  return `${base}?i=${linkToken(signToken(department, plusDays(today, INBOX_LINK_DAYS), secret, 'inbox'))}`;
}

export interface InboxItem {
  id: string;
  title: string;
  kind: string;
  painPoint: string;
  solution: string;
  ptContact: string;
  presentedOn: string;
  round: number;
  /** How the request reached the department: sent by the add-on, waiting to be sent, or by hand. */
  sent: 'mail' | 'queued' | 'hand';
  sentOn: string;
  dueDate: string;
  overdue: boolean;
  overdueDays: number;
  answer: { kind: string; comment: string; by: string; on: string; proposedDate: string } | null;
}

export interface InboxView {
  ok: true;
  inbox: true;
  token: string;
  department: string;
  projectName: string;
  ptContact: string;
  today: string;
  expires: string;
  answerDays: number;
  items: InboxItem[];
  kinds: readonly string[];
  /** Progress checks (実施状況の確認) of carried-over proposals, each proposal's latest round. */
  checks: ProgressItem[];
  statuses: string[];
}
export type InboxPage = InboxView | { ok: false; inbox: true; message: string };

/** The page's data (GET): reads only. */
export function inboxPage(token: string): InboxPage {
  const ss = theRegister();
  try {
    const today = clockFor(ss).today;
    const { department, expires } = inboxDepartmentOf(token, today);
    const { state } = loadRegister(ss, today);
    const log = readQueue(ss).rows;
    const calendar = workingCalendar();
    const deadlines = requestDeadlines(state, log, calendar, today);
    const items: InboxItem[] = [];
    for (const r of state.progress) {
      if (r.department !== department || r.stage !== '①') continue;
      let open: ReturnType<typeof openRequestOf>;
      try {
        open = openRequestOf(state, log, currentRequestKey(log, r.id, department), today);
      } catch (e) {
        if (e instanceof Refused) continue;
        throw e;
      }
      const p = open.proposal;
      const d = deadlines.get(progressKey(r.id, department));
      items.push({
        id: p.id,
        title: p.title,
        kind: p.kind,
        painPoint: p.painPoint,
        solution: p.solution,
        ptContact: p.ptContact || state.settings.ptContact,
        presentedOn: r.presentedOn,
        round: d?.round ?? 1,
        sent: !d ? 'hand' : d.sentOn ? 'mail' : 'queued',
        sentOn: d?.sentOn || (d ? '' : r.presentedOn),
        dueDate: d?.dueDate ?? '',
        overdue: !!d?.overdue,
        overdueDays: d?.overdueDays ?? 0,
        answer: answerOf(r),
      });
    }
    // Unanswered first, the most overdue first, then by 回答期限 and ID.
    items.sort(
      (a, b) =>
        Number(!!a.answer) - Number(!!b.answer) ||
        b.overdueDays - a.overdueDays ||
        Number(!a.overdue) - Number(!b.overdue) ||
        (a.dueDate || '9999').localeCompare(b.dueDate || '9999') ||
        a.id.localeCompare(b.id),
    );
    return {
      ok: true,
      inbox: true,
      token,
      department,
      projectName: state.settings.projectName,
      ptContact: state.settings.ptContact,
      today,
      expires,
      answerDays: state.settings.answerDays,
      items,
      kinds: ANSWER_KINDS,
      checks: progressItemsOf(state, department),
      statuses: state.settings.lists.implementation,
    };
  } catch (e) {
    if (e instanceof Refused) return { ok: false, inbox: true, message: e.message };
    if (e instanceof NotSetUp)
      return {
        ok: false,
        inbox: true,
        message: '台帳の準備ができていません。PT担当にお問い合わせください。',
      };
    throw e;
  }
}
