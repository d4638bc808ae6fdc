// Consultation-request emails as data: who gets what, with which link. Self-contained Japanese
// in plain text and HTML; nothing from people is rendered as HTML, and no name or title can add a
// header (line breaks are folded out of the subject).
import { shortWareki, warekiDate } from './dates';
import type { Proposal } from './model';
import { openSealed, sealText } from './token';

/** 取消: the request was closed (所管外, back at 未提示, 検討終了) before it went out; nothing was sent. */
export const MAIL_STATES = ['待機', '送信中', '送信済', '失敗', '要確認', '取消'] as const;
export type MailState = (typeof MAIL_STATES)[number];
/**
 * 期限超過: one email to the secretariat listing requests overdue beyond 設定's days, by department.
 * 実施状況確認: one email to a department listing its carried-over proposals for a progress check.
 */
export const MAIL_KINDS = ['依頼', '督促', 'まとめ', '回答通知', '期限超過', '実施状況確認'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

export interface MailRow {
  /** The add-on's own number for this email, issued once from a counter kept in script properties. */
  seq: number;
  key: string;
  id: string;
  department: string;
  mailKind: MailKind;
  round: number;
  recipients: string;
  state: MailState;
  attempts: number;
  createdAt: string;
  sentAt: string;
  error: string;
}

/** The fields a seal carries, in order (the row's display is put back from them). */
const SEALED = [
  'seq',
  'key',
  'id',
  'department',
  'mailKind',
  'round',
  'recipients',
  'state',
  'attempts',
  'createdAt',
  'sentAt',
  'error',
] as const satisfies readonly (keyof MailRow)[];
const PURPOSE = 'mail-row';

/** The row's seal: every field, readable back, with an HMAC only the script can make. */
export const sealMail = (row: MailRow, secret: string): string =>
  sealText(PURPOSE, JSON.stringify(SEALED.map((k) => row[k])), secret);

/** The row a seal was made for, or null when the seal is missing, altered or not the script's. */
export function openMailSeal(seal: string, secret: string): MailRow | null {
  const text = openSealed(PURPOSE, seal, secret);
  if (text === null) return null;
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(values) || values.length !== SEALED.length) return null;
  const row = Object.fromEntries(SEALED.map((k, i) => [k, values[i]])) as unknown as MailRow;
  if (!Number.isInteger(row.seq) || row.seq < 1 || !MAIL_KINDS.includes(row.mailKind)) return null;
  if (!MAIL_STATES.includes(row.state)) return null;
  return row;
}

/** The request key's parts (`id|department|kind|round`). */
export function parseMailKey(key: string): { id: string; department: string; kind: string; round: number } {
  const [id = '', department = '', kind = '', round = '1'] = key.split('|');
  return { id, department, kind, round: Number(round) || 1 };
}

export const mailKey = (id: string, department: string, kind: MailKind, round: number) =>
  `${id}|${department}|${kind}|${round}`;

export interface Message {
  to: string;
  replyTo: string;
  name: string;
  subject: string;
  body: string;
  htmlBody: string;
}

/** One line, no control characters: safe in a header. */
export const oneLine = (s: string) =>
  [...s]
    .map((ch) => (ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f ? ' ' : ch))
    .join('')
    .replace(/ {2,}/g, ' ')
    .trim();

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface RequestContext {
  proposal: Proposal;
  department: string;
  recipients: string;
  round: number;
  projectName: string;
  ptContact: string;
  presentedOn: string;
  dueDate: string;
  link: string;
  /** The department's inbox (all its open requests), when the page's URL is known. */
  inboxLink?: string;
  reminder?: boolean;
}

/**
 * Days in an email as the seed writes them: 令和7年11月25日 in a sentence, R7.11.25 in a list line.
 * Anything not a day (blank, a hand-typed text) is shown as it is.
 */
export const proseDate = (s: string) => (/^\d{4}-\d{2}-\d{2}$/.test(s) ? warekiDate(s) : s);
export const listDate = (s: string) => (/^\d{4}-\d{2}-\d{2}$/.test(s) ? shortWareki(s) : s);

/** The line before a department's inbox link in every request and reminder. */
export const INBOX_LINE = '貴課あての協議依頼の一覧(回答期限・回答状況、各件への回答):';

const section = (label: string, text: string) => ({ label, text: text || '(記載なし)' });

/** The consultation request (or its reminder) for one department. */
export function requestMessage(c: RequestContext): Message {
  const p = c.proposal;
  const prefix = c.reminder ? '【再送・協議依頼】' : '【協議依頼】';
  const round = c.round > 1 ? `(第${c.round}回)` : '';
  const subject = oneLine(`${prefix}${p.id} ${p.title}${round}`).slice(0, 240);
  const sections = [
    section('課題(提案)名', p.title),
    section('種別', `${p.kind}${p.perspective ? `/${p.perspective}` : ''}/${p.category}`),
    section('困りごと', p.painPoint),
    section('解決策(提案)', p.solution),
    section('PT担当', [p.ptMembers, c.ptContact].filter(Boolean).join(' ')),
  ];
  const intro = [
    `${c.department} ご担当者様`,
    '',
    `${c.projectName}のプロジェクトチーム(PT)から、次の課題(提案)について協議をお願いします。`,
    c.reminder ? 'まだご回答をいただいていないため、改めてお送りします。' : '',
    `提示日: ${proseDate(c.presentedOn)}　回答期限: ${proseDate(c.dueDate)}`,
  ].filter((l, i) => l !== '' || i === 1);
  const body = [
    ...intro,
    '',
    ...sections.flatMap((s) => [`■${s.label}`, s.text, '']),
    '下のリンクから回答してください(協議に応じる/既に対応済み・対応予定/所管外/その他):',
    c.link,
    '',
    ...(c.inboxLink ? [INBOX_LINE, c.inboxLink, ''] : []),
    `ID: ${p.id}　このメールへの返信はPT担当(${c.ptContact})に届きます。`,
  ].join('\n');
  const html = [
    ...intro.map((l) => `<p>${escapeHtml(l)}</p>`),
    ...sections.map(
      (s) =>
        `<h3 style="margin:12px 0 4px;font-size:14px">${escapeHtml(s.label)}</h3><p style="white-space:pre-wrap;margin:0">${escapeHtml(s.text)}</p>`,
    ),
    `<p style="margin:16px 0"><a href="${escapeHtml(c.link)}" style="background:#1a73e8;color:#fff;padding:8px 16px;border-radius:4px;text-decoration:none">回答する</a></p>`,
    ...(c.inboxLink
      ? [`<p><a href="${escapeHtml(c.inboxLink)}">${escapeHtml(INBOX_LINE.replace(/:$/, ''))}</a></p>`]
      : []),
    `<p style="color:#5f6368;font-size:12px">ID: ${escapeHtml(p.id)}　このメールへの返信はPT担当(${escapeHtml(c.ptContact)})に届きます。</p>`,
  ].join('\n');
  return {
    to: c.recipients,
    replyTo: c.ptContact,
    name: oneLine(c.projectName),
    subject,
    body,
    htmlBody: html,
  };
}

/** What to queue: the recipients are read from the directory when it is sent, never stored here. */
export interface NewMail {
  id: string;
  department: string;
  mailKind: MailKind;
  round: number;
}

/** A new queue row (待機), numbered `seq`. */
export function newMailRow(mail: NewMail, seq: number, now: string): MailRow {
  const { id, department, mailKind, round } = mail;
  const key =
    mailKind === 'まとめ' || mailKind === '期限超過' || mailKind === '実施状況確認'
      ? mailKey(mailKind, department, mailKind, round)
      : mailKey(id, department, mailKind, round);
  return {
    seq,
    key,
    id,
    department,
    mailKind,
    round,
    recipients: '',
    state: '待機',
    attempts: 0,
    createdAt: now,
    sentAt: '',
    error: '',
  };
}
