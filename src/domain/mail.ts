// Consultation-request emails as data: who gets what, with which link. Self-contained Japanese
// in plain text and HTML; nothing from people is rendered as HTML, and no name or title can add a
// header (line breaks are folded out of the subject).
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
