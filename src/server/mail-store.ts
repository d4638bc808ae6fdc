// The send queue's own state. Nothing is sent, resent or counted as sent because of what
// 送信記録's cells say: they display what the add-on recorded, and hand edits there are put back
// or ignored and reported to the secretariat once.
//
// - Script properties hold the truth, bounded by what is still open:
//   MAIL_SEQ            the last email number issued (a number is never issued twice);
//   MAIL_OPEN_<seq>     one entry per email not yet sent (待機, 送信中, 失敗, 要確認, and 取消 —
//                       closed before it went out, rare): the row itself;
//   a number up to MAIL_SEQ without an entry has been sent (or marked sent by the secretariat).
// - Every row of 送信記録 carries a seal (HMAC-SHA256 with the secret made at setup) from which the
//   whole row reads back: an edited cell is put back from it; a row without a valid seal (typed,
//   pasted from elsewhere, its seal edited) is never used; an older sealed version pasted back
//   (待機 after it was sent) disagrees with the properties and is put back to what they say.
import { sha256Hex } from '../domain/hash';
import {
  MAIL_KINDS,
  MAIL_STATES,
  type MailKind,
  type MailRow,
  type MailState,
  type NewMail,
  newMailRow,
  openMailSeal,
  sealMail,
} from '../domain/mail';
import { MAIL_COLUMNS } from '../sheets/layout';
import { appendMailRows, type MailLog, mailCellText, readMailLog, rewriteMailRows } from '../sheets/mail-log';
import { NotSetUp } from '../sheets/register';
import { ownerEmail, PROP_SECRET, scriptProps } from './context';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

const PROP_SEQ = 'MAIL_SEQ';
const OPEN_PREFIX = 'MAIL_OPEN_';
/**
 * Set in the same properties write as every change to the queue (and by onChange): 送信記録 may
 * not match the record until a 10-minute run has checked it, which then clears this.
 */
export const PROP_LOG_CHECK = 'MAIL_LOG_CHECK';
const PROP_REPORTED = 'MAIL_REPORTED';
export const MAIL_REPORT_SUBJECT = '【プラチナ提案台帳】送信記録の変更を確認してください';
/** Findings remembered as told (12 characters each, in one property of at most 9 KB). */
const MAX_FINDINGS = 400;
/** Kept short in the properties; an error message longer than this is cut. */
const MAX_ERROR = 300;

/** An open email as the properties hold it: the row, and when it was claimed (epoch ms, 0 if not). */
export interface OpenEntry extends MailRow {
  claimedMs: number;
}

const openKey = (seq: number) => `${OPEN_PREFIX}${seq}`;

/** Seals already checked in this execution (a send run reads the queue several times). */
const opened = new Map<string, MailRow | null>();
function openCached(seal: string, secret: string): MailRow | null {
  const k = `${secret.length}:${seal}`;
  let row = opened.get(k);
  if (row === undefined) {
    row = openMailSeal(seal, secret);
    opened.set(k, row);
  }
  return row;
}

export function secretOrThrow(): string {
  const secret = scriptProps().getProperty(PROP_SECRET) ?? '';
  if (!secret) throw new NotSetUp('初期設定が済んでいません。メニューの「初期設定」を実行してください。');
  return secret;
}

function parseEntry(json: string | null | undefined): OpenEntry | null {
  if (!json) return null;
  try {
    const e = JSON.parse(json) as OpenEntry;
    return e && typeof e.seq === 'number' && typeof e.key === 'string' ? e : null;
  } catch {
    return null;
  }
}

/** One finding for the secretariat: `id` stays the same while the problem does (reported once). */
export interface Finding {
  id: string;
  line: string;
}

export interface QueueView {
  log: MailLog;
  secret: string;
  /** What the add-on recorded, one row per email, in the order they were queued. */
  rows: MailRow[];
  /** The sheet row each email is displayed on (the first valid one). */
  rowOf: Map<number, number>;
  open: Map<number, OpenEntry>;
  findings: Finding[];
  /** Rows whose cells differ from the record, to be rewritten. */
  putBack: { row: number; mail: MailRow & { seal: string } }[];
  /** Open emails whose row is gone, to be appended again. */
  restore: (MailRow & { seal: string })[];
}

const sameRow = (a: MailRow, b: MailRow) =>
  a.seq === b.seq &&
  a.key === b.key &&
  a.id === b.id &&
  a.department === b.department &&
  a.mailKind === b.mailKind &&
  a.round === b.round &&
  a.recipients === b.recipients &&
  a.state === b.state &&
  a.attempts === b.attempts &&
  a.createdAt === b.createdAt &&
  a.sentAt === b.sentAt &&
  a.error === b.error;

const rowOfEntry = ({ claimedMs: _c, ...row }: OpenEntry): MailRow => row;

/**
 * The queue as the add-on recorded it, checked against the sheet: one read of 送信記録 and one of
 * the properties. Writes nothing (see `repairQueue`).
 */
export function readQueue(ss: Spreadsheet): QueueView {
  const secret = secretOrThrow();
  const log = readMailLog(ss);
  const props = scriptProps().getProperties();
  const lastSeq = Number(props[PROP_SEQ] ?? 0) || 0;
  const open = new Map<number, OpenEntry>();
  for (const [k, v] of Object.entries(props)) {
    if (!k.startsWith(OPEN_PREFIX)) continue;
    const e = parseEntry(v);
    if (e) open.set(e.seq, e);
  }
  const view: QueueView = {
    log,
    secret,
    rows: [],
    rowOf: new Map(),
    open,
    findings: [],
    putBack: [],
    restore: [],
  };
  const bySeq = new Map<number, MailRow>();
  const cellsId = (cells: (typeof log.rows)[number]['cells']) =>
    sha256Hex(MAIL_COLUMNS.map((d) => cells[d.key]).join('\u0000')).slice(0, 16);
  // Rows by the email their seal names; of several copies, the one that matches the record is shown.
  type Copy = { row: number; cells: (typeof log.rows)[number]['cells']; sealed: MailRow };
  const copies = new Map<number, Copy[]>();
  for (const { row, cells } of log.rows) {
    const sealed = openCached(cells.seal, secret);
    if (!sealed || sealed.seq > lastSeq) {
      view.findings.push({
        id: `foreign:${cellsId(cells)}`,
        line: `送信記録 ${row}行目は台帳が記録した行ではありません(封印がないか、合いません)。送信には使わず、無視しています。`,
      });
      continue;
    }
    const list = copies.get(sealed.seq);
    if (list) list.push({ row, cells, sealed });
    else copies.set(sealed.seq, [{ row, cells, sealed }]);
  }
  const current = (seq: number, sealed: MailRow) => {
    const entry = open.get(seq);
    return entry ? sameRow(rowOfEntry(entry), sealed) : sealed.state === '送信済';
  };
  for (const [seq, list] of copies) {
    const kept = list.find((c) => current(seq, c.sealed)) ?? list[0]!;
    for (const c of list)
      if (c !== kept)
        view.findings.push({
          id: `copy:${seq}:${cellsId(c.cells)}`,
          line: `送信記録 ${c.row}行目は ${kept.row}行目と同じ送信(${c.sealed.key})の写しです。送信には使わず、無視しています。`,
        });
    const { row, cells, sealed } = kept;
    view.rowOf.set(sealed.seq, row);
    const entry = open.get(sealed.seq);
    let truth: MailRow;
    if (entry) truth = rowOfEntry(entry);
    else if (sealed.state === '送信済') truth = sealed;
    else {
      // Sent (no open entry), yet the row is an older version: pasted back, or a run stopped
      // between recording the send and updating the sheet.
      truth = {
        ...sealed,
        state: '送信済',
        sentAt: sealed.sentAt || sealed.createdAt,
        error: '送信記録の状態が記録と合わなかったため、送信済に戻しました(この送信は済んでいます)。',
      };
      view.findings.push({
        id: `stale:${sealed.seq}`,
        line: `送信記録 ${row}行目(${sealed.key})は送信済みですが、「${sealed.state}」の古い版になっていました。送信済に戻しました(再送はしません)。`,
      });
    }
    bySeq.set(truth.seq, truth);
    const seal = sameRow(truth, sealed) ? cells.seal : sealMail(truth, secret);
    const shown = { ...truth, seal };
    const edited = MAIL_COLUMNS.filter((d) => mailCellText(shown, d.key) !== cells[d.key]);
    if (edited.length) {
      view.putBack.push({ row, mail: shown });
      if (sameRow(truth, sealed) || entry)
        view.findings.push({
          id: `edit:${sealed.seq}:${cellsId(cells)}`,
          line: `送信記録 ${row}行目(${sealed.key})の「${edited.map((d) => d.header).join('」「')}」が手で変更されていたため、記録どおりに戻しました。`,
        });
    }
  }
  for (const entry of open.values()) {
    if (bySeq.has(entry.seq)) continue;
    const row = rowOfEntry(entry);
    bySeq.set(row.seq, row);
    view.restore.push({ ...row, seal: sealMail(row, secret) });
    view.findings.push({
      id: `restore:${row.seq}`,
      line: `送信記録から ${row.key} の行が消えていたため、末尾に戻しました。`,
    });
  }
  for (let seq = 1; seq <= lastSeq; seq++)
    if (!bySeq.has(seq))
      view.findings.push({
        id: `gone:${seq}`,
        line: `送信記録から送信番号 ${seq} の行(送信済み)が削除されています。送信済みの記録は戻せません。版の履歴を確認してください。`,
      });
  view.rows = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  return view;
}

/** Puts back edited rows and restores open ones (call under the script lock). */
export function repairQueue(view: QueueView): void {
  if (view.putBack.length) rewriteMailRows(view.log, view.putBack);
  if (view.restore.length) {
    const first = appendMailRows(view.log, view.restore);
    view.restore.forEach((r, i) => view.rowOf.set(r.seq, first + i));
  }
  view.putBack = [];
  view.restore = [];
}

/**
 * Tells the secretariat (the owner) of findings not told before, in one email; a finding that
 * persists is not told again. Returns the lines told now.
 */
export function reportFindings(ss: Spreadsheet, all: readonly Finding[]): string[] {
  // What is remembered must fit in one property (9 KB): past a few hundred, the rest is summed up.
  const findings = all.length > MAX_FINDINGS ? all.slice(0, MAX_FINDINGS) : all.slice();
  if (all.length > MAX_FINDINGS)
    findings.push({
      id: 'more',
      line: `ほかにも ${all.length - MAX_FINDINGS}件あります。送信記録を確認してください。`,
    });
  const props = scriptProps();
  let told: string[] = [];
  try {
    told = JSON.parse(props.getProperty(PROP_REPORTED) ?? '[]') as string[];
  } catch {
    told = [];
  }
  const ids = (f: Finding) => sha256Hex(f.id).slice(0, 12);
  const fresh = findings.filter((f) => !told.includes(ids(f)));
  // Only what still stands is remembered, so the record stays as small as the problems.
  const now = [...new Set(findings.map(ids))];
  if (fresh.length || now.length !== told.length) props.setProperty(PROP_REPORTED, JSON.stringify(now));
  if (!fresh.length) return [];
  const to = ownerEmail();
  if (to)
    MailApp.sendEmail({
      to,
      subject: MAIL_REPORT_SUBJECT,
      body: `送信記録に、台帳の記録と合わない行がありました(手による変更か、処理の中断)。送信記録は台帳が管理するシートです。これらは送信には使われず、戻せるものは記録どおりに戻しました。\n\n${fresh.map((f) => f.line).join('\n')}\n\n${ss.getUrl()}`,
    });
  return fresh.map((f) => f.line);
}

/**
 * Numbers new emails, records them as open and appends their rows (call under the script lock).
 * `also`: properties to record in the same write as the entries (what the emails stand for).
 */
export function queueMails(
  view: QueueView,
  mails: readonly NewMail[],
  now: string,
  also?: (rows: readonly MailRow[]) => Record<string, string>,
): MailRow[] {
  if (!mails.length) return [];
  const props = scriptProps();
  let seq = Number(props.getProperty(PROP_SEQ) ?? 0) || 0;
  const rows = mails.map((m) => newMailRow(m, ++seq, now));
  const entries: Record<string, string> = { ...also?.(rows), [PROP_SEQ]: String(seq), [PROP_LOG_CHECK]: '1' };
  for (const r of rows) entries[openKey(r.seq)] = JSON.stringify({ ...r, claimedMs: 0 } satisfies OpenEntry);
  // The properties first: a run stopped before the sheet is written leaves an open entry whose
  // row the next check restores, never a row that could be sent without an entry.
  props.setProperties(entries);
  const first = appendMailRows(
    view.log,
    rows.map((r) => ({ ...r, seal: sealMail(r, view.secret) })),
  );
  rows.forEach((r, i) => {
    view.rowOf.set(r.seq, first + i);
    view.open.set(r.seq, { ...r, claimedMs: 0 });
    view.rows.push(r);
  });
  return rows;
}

/** The open entry for `seq` as the properties hold it now (one read). */
export function openEntry(seq: number): OpenEntry | null {
  return parseEntry(scriptProps().getProperty(openKey(seq)));
}

/**
 * Records a new state for an email (call under the script lock): the properties first, then its
 * row's display. 送信済 closes the entry for good.
 */
export function recordMail(
  view: QueueView,
  entry: OpenEntry,
  fields: Partial<Pick<MailRow, 'state' | 'attempts' | 'recipients' | 'sentAt' | 'error'>> & {
    claimedMs?: number;
  },
): MailRow {
  const { claimedMs = entry.claimedMs, ...rest } = fields;
  const next: OpenEntry = { ...entry, ...rest, claimedMs };
  next.error = next.error.slice(0, MAX_ERROR);
  const props = scriptProps();
  if (next.state === '送信済') props.deleteProperty(openKey(entry.seq));
  else props.setProperties({ [openKey(entry.seq)]: JSON.stringify(next), [PROP_LOG_CHECK]: '1' });
  const row = rowOfEntry(next);
  if (row.state === '送信済') view.open.delete(row.seq);
  else view.open.set(row.seq, next);
  const i = view.rows.findIndex((r) => r.seq === row.seq);
  if (i >= 0) view.rows[i] = row;
  const sheetRow = view.rowOf.get(row.seq);
  if (sheetRow !== undefined)
    rewriteMailRows(view.log, [{ row: sheetRow, mail: { ...row, seal: sealMail(row, view.secret) } }]);
  return row;
}

/**
 * The view again, with `seq`'s row where the view says (one row read), or read afresh and repaired
 * when someone moved rows meanwhile (call under the script lock).
 */
export function locate(ss: Spreadsheet, view: QueueView, seq: number): QueueView {
  const row = view.rowOf.get(seq);
  const c = view.log.table.col.seal;
  if (row !== undefined && c !== undefined) {
    const values = view.log.table.sheet.getRange(row, 1, 1, view.log.table.width()).getValues()[0] ?? [];
    if (openMailSeal(String(values[c] ?? ''), view.secret)?.seq === seq) {
      (view.log.table.rows as unknown[][])[row - 2] = values;
      return view;
    }
  }
  const fresh = readQueue(ss);
  repairQueue(fresh);
  reportFindings(ss, fresh.findings);
  return fresh;
}

/**
 * When setup adds the 封印 column to a 送信記録 kept before it (call under the script lock, as
 * the owner): every row becomes the add-on's, numbered and sealed. A row not yet 送信済 becomes
 * 要確認, so that only the secretariat decides whether it goes out. Returns how many were adopted.
 */
export function adoptUnsealedMailRows(ss: Spreadsheet): number {
  const view = readQueue(ss);
  const props = scriptProps();
  let seq = Number(props.getProperty(PROP_SEQ) ?? 0) || 0;
  const entries: Record<string, string> = {};
  const rows: { row: number; mail: MailRow & { seal: string } }[] = [];
  for (const { row, cells } of view.log.rows) {
    if (cells.seal || !cells.key) continue;
    const kind = cells.mailKind as MailKind;
    const was = cells.state as MailState;
    if (!MAIL_KINDS.includes(kind) || !MAIL_STATES.includes(was)) continue;
    const mail: MailRow = {
      seq: ++seq,
      key: cells.key,
      id: cells.id,
      department: cells.department,
      mailKind: kind,
      round: Number(cells.round) || 1,
      recipients: cells.recipients,
      state: was === '送信済' ? '送信済' : '要確認',
      attempts: Number(cells.attempts) || 0,
      createdAt: cells.createdAt,
      sentAt: cells.sentAt,
      error:
        was === '送信済'
          ? cells.error
          : `移行時に「${was}」だった送信です。届いたかどうかを確認し、再送するか送信済にしてください。`.slice(
              0,
              MAX_ERROR,
            ),
    };
    if (mail.state !== '送信済') entries[openKey(mail.seq)] = JSON.stringify({ ...mail, claimedMs: 0 });
    rows.push({ row, mail: { ...mail, seal: sealMail(mail, view.secret) } });
  }
  if (!rows.length) return 0;
  props.setProperties({ ...entries, [PROP_SEQ]: String(seq), [PROP_LOG_CHECK]: '1' });
  rewriteMailRows(view.log, rows);
  return rows.length;
}

/**
 * Whether an email waits for the queue (to send, to send again, or a claim that may have died),
 * from the script properties as read: the 10-minute run's idle test. 要確認 waits for a person.
 */
export function mailWaiting(props: Record<string, string>, maxAttempts: number): boolean {
  if (props[PROP_LOG_CHECK]) return true;
  for (const [k, v] of Object.entries(props)) {
    if (!k.startsWith(OPEN_PREFIX)) continue;
    const e = parseEntry(v);
    if (!e || isSendable(e, maxAttempts) || e.state === '送信中') return true;
  }
  return false;
}

/** States from which the queue itself sends again (a failure the add-on recorded, attempts left). */
export const isSendable = (e: OpenEntry, maxAttempts: number): boolean =>
  e.state === '待機' || (e.state === '失敗' && e.attempts < maxAttempts);

export type { MailState };
