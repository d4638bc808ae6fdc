// The other Apps Script services the add-on calls, emulated with maintained libraries where one
// exists (papaparse for parseCsv, node:crypto for digests); formatDate follows Java's
// SimpleDateFormat (simpledateformat.ts).
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { type Exec, fail, isDate } from './exec';
import { formatSimpleDate, IllegalPattern, UnknownZoneName } from './simpledateformat';
import type { MailMessage, RuntimeState, TriggerData } from './state';

/** Shared by the executions of one runtime: what Apps Script keeps between executions. */
export interface Host {
  state: RuntimeState;
  distDir: string;
  scopes: string[];
  scriptTimeZone: string;
  mailFailAfter: number | null;
  mailSentThisProcess: number;
  /** Time the execution spends (Utilities.sleep); past its limit it dies at that call. */
  spend(exec: Exec, ms: number): void;
  execId(exec: Exec): number;
  /** Takes the lock `key` for `exec`, waiting up to `ms` of its clock while others go on. */
  acquireLock(exec: Exec, key: string, ms: number): boolean;
  releaseLock(exec: Exec, key: string): void;
  /** The id of the execution holding `key`, or null. */
  lockHolder(key: string): number | null;
  /** Called after each successful send (tests use it to interleave). */
  onMailSent?: (message: MailMessage) => void;
}

function requireScope(exec: Exec, host: Host, scope: string, method: string) {
  if (!host.scopes.includes(`https://www.googleapis.com/auth/${scope}`)) {
    fail(
      exec,
      `Specified permissions are not sufficient to call ${method}. Required permissions: https://www.googleapis.com/auth/${scope}`,
    );
  }
}

const enumValue = (name: string) => ({
  toString: () => name,
  name: () => name,
  compareTo: () => 0,
  toJSON: () => ({}),
});
const enumOf = (...names: string[]) => Object.fromEntries(names.map((n) => [n, enumValue(n)]));

class Properties {
  constructor(
    private exec: Exec,
    private store: Record<string, string>,
  ) {}
  getProperty(key: string) {
    return Object.hasOwn(this.store, key) ? this.store[key]! : null;
  }
  setProperty(key: string, value: unknown) {
    const v = String(value);
    const size = Object.entries({ ...this.store, [key]: v }).reduce(
      (n, [k, x]) => n + k.length + x.length,
      0,
    );
    if (v.length > 9 * 1024 || size > 500 * 1024) {
      fail(
        this.exec,
        'You have exceeded the property storage quota. Please remove some properties and try again.',
      );
    }
    this.store[key] = v;
    return this;
  }
  setProperties(props: Record<string, unknown>, deleteAllOthers = false) {
    if (deleteAllOthers) for (const k of Object.keys(this.store)) delete this.store[k];
    for (const [k, v] of Object.entries(props)) this.setProperty(k, v);
    return this;
  }
  getProperties() {
    return { ...this.store };
  }
  getKeys() {
    return this.exec.realm.array(Object.keys(this.store));
  }
  deleteProperty(key: string) {
    delete this.store[key];
    return this;
  }
  deleteAllProperties() {
    for (const k of Object.keys(this.store)) delete this.store[k];
    return this;
  }
}

export function makePropertiesService(exec: Exec, host: Host) {
  const p = host.state.properties;
  // An add-on's script store is one for every document using it; its document stores are one per
  // document, and null in its web app, which is not "executing as an add-on" in a document
  // (PROPG comparison table; PROPR getDocumentProperties(); docs/addon-mode.md P1–P4).
  const documentStore = () => {
    if (!exec.addon) return new Properties(exec, p.document);
    if (exec.mode === 'web') return null;
    const byDocument = (host.state.documentProperties ??= {});
    return new Properties(exec, (byDocument[exec.workbook.id] ??= {}));
  };
  return {
    getScriptProperties: () => new Properties(exec, p.script),
    getDocumentProperties: documentStore,
    getUserProperties: () => new Properties(exec, (p.user[exec.effectiveUser] ??= {})),
  };
}

/**
 * A lock (§3): the script lock, the user's lock and the document lock are three different locks.
 * While another execution holds it, tryLock(ms) waits up to ms while that execution goes on, and
 * gets it if the holder lets go in time; a lock is let go when its execution ends.
 */
class Lock {
  constructor(
    private exec: Exec,
    private host: Host,
    private key: string,
  ) {}
  tryLock(ms: number) {
    if (typeof ms !== 'number')
      fail(
        this.exec,
        `The parameters (${typeName(ms)}) don't match the method signature for LockService.Lock.tryLock.`,
      );
    return this.host.acquireLock(this.exec, this.key, ms);
  }
  waitLock(ms: number) {
    if (typeof ms !== 'number')
      fail(
        this.exec,
        `The parameters (${typeName(ms)}) don't match the method signature for LockService.Lock.waitLock.`,
      );
    if (!this.host.acquireLock(this.exec, this.key, ms))
      fail(this.exec, 'Lock timeout: another process was holding the lock for too long.');
  }
  hasLock() {
    return this.host.lockHolder(this.key) === this.host.execId(this.exec);
  }
  releaseLock() {
    this.host.releaseLock(this.exec, this.key);
  }
}

export function makeLockService(exec: Exec, host: Host) {
  return {
    getScriptLock: () => new Lock(exec, host, 'script'),
    // Per user of the script: the user the code runs as (its quotas are that user's too).
    getUserLock: () => new Lock(exec, host, `user:${exec.effectiveUser}`),
    // A document lock is null outside a container context: the web app (§3).
    getDocumentLock: () => (exec.mode === 'web' ? null : new Lock(exec, host, 'document')),
  };
}

export function makeSession(exec: Exec, host: Host) {
  const user = (email: string) => ({ getEmail: () => email, toString: () => email });
  // Simple triggers (LIMITED) and NONE see no user data, only the locale (D: §2.3 AuthMode
  // matrix; §7: getActiveUser is "" whenever the script runs without the user's authorisation).
  const hidden = exec.mode === 'simple' || exec.mode === 'load';
  return {
    getActiveUser: () => {
      requireScope(exec, host, 'userinfo.email', 'Session.getActiveUser');
      return user(hidden ? '' : exec.activeUser);
    },
    getEffectiveUser: () => {
      requireScope(exec, host, 'userinfo.email', 'Session.getEffectiveUser');
      return user(hidden ? '' : exec.effectiveUser);
    },
    getScriptTimeZone: () => host.scriptTimeZone,
    getActiveUserLocale: () => 'ja',
    getTemporaryActiveUserKey: () =>
      createHash('sha256').update(`key:${exec.activeUser}`).digest('base64url').slice(0, 43),
  };
}

/** Java's signed bytes, as Utilities returns them (§10). */
const signed = (exec: Exec, buf: Buffer) => exec.realm.array(Array.from(buf, (b) => (b > 127 ? b - 256 : b)));
const unsigned = (bytes: number[]) => Buffer.from(bytes.map((b) => (b < 0 ? b + 256 : b)));

/** Enum values of one kind (Utilities.Charset, DigestAlgorithm, MacAlgorithm): objects, not strings (§0.8). */
function enumKind<const N extends string>(kind: string, names: readonly N[]) {
  const values = Object.fromEntries(names.map((n) => [n, enumValue(n)])) as Record<
    N,
    ReturnType<typeof enumValue>
  >;
  const members = new Set<unknown>(Object.values(values));
  return { kind, values, has: (x: unknown): x is ReturnType<typeof enumValue> => members.has(x) };
}

const CHARSET = enumKind('Charset', ['US_ASCII', 'UTF_8'] as const);
// D: reference/utilities/DigestAlgorithm (MD2, MD5, SHA_1, SHA_256, SHA_384, SHA_512).
const DIGEST = enumKind('DigestAlgorithm', ['MD2', 'MD5', 'SHA_1', 'SHA_256', 'SHA_384', 'SHA_512'] as const);
const DIGEST_NODE: Record<string, string> = {
  MD5: 'md5',
  SHA_1: 'sha1',
  SHA_256: 'sha256',
  SHA_384: 'sha384',
  SHA_512: 'sha512',
};
// D: reference/utilities/MacAlgorithm.
const MAC = enumKind('MacAlgorithm', [
  'HMAC_MD5',
  'HMAC_SHA_1',
  'HMAC_SHA_256',
  'HMAC_SHA_384',
  'HMAC_SHA_512',
] as const);

/** How Apps Script names an argument's type in its signature error (0.3): String, number, number[]… */
function typeName(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x === 'string') return 'String';
  if (typeof x === 'number') return 'number';
  if (typeof x === 'boolean') return 'Boolean';
  if (isDate(x)) return 'Date';
  if (Array.isArray(x)) return `${x.length ? typeName(x[0]) : 'Object'}[]`;
  if (CHARSET.has(x)) return 'Charset';
  if (DIGEST.has(x)) return 'DigestAlgorithm';
  if (MAC.has(x)) return 'MacAlgorithm';
  return typeof x === 'undefined' ? 'undefined' : 'Object';
}

type Param =
  | 'String'
  | 'Byte[]'
  | 'Charset'
  | 'DigestAlgorithm'
  | 'MacAlgorithm'
  | 'Date'
  | 'Integer'
  | 'Char'
  | 'Object';

const fits: Record<Param, (x: unknown) => boolean> = {
  String: (x) => typeof x === 'string',
  'Byte[]': (x) => Array.isArray(x) && x.every((b) => Number.isInteger(b) && b >= -128 && b <= 255),
  Charset: CHARSET.has,
  DigestAlgorithm: DIGEST.has,
  MacAlgorithm: MAC.has,
  Date: isDate,
  Integer: (x) => typeof x === 'number' && Number.isFinite(x),
  Char: (x) => typeof x === 'string' && x.length === 1,
  Object: (x) => x !== undefined,
};

/**
 * The overload `args` match, by index in `overloads`; otherwise the platform's signature error
 * (0.3): "The parameters (String,number[]) don't match the method signature for Utilities.x."
 * Trailing undefined arguments count as absent.
 */
function overload(exec: Exec, method: string, args: unknown[], overloads: Param[][]): number {
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--;
  const given = args.slice(0, n);
  const i = overloads.findIndex((o) => o.length === n && o.every((p, k) => fits[p](given[k])));
  if (i < 0)
    fail(
      exec,
      `The parameters (${given.map(typeName).join(',')}) don't match the method signature for ${method}.`,
    );
  return i;
}

/** The string overloads without a charset are not UTF-8: non-ASCII characters become '?' (§10). */
function textBytes(s: string, charset?: unknown) {
  return charset === CHARSET.values.UTF_8
    ? Buffer.from(s, 'utf8')
    : Buffer.from([...s].map((ch) => (ch.charCodeAt(0) < 128 ? ch : '?')).join(''), 'latin1');
}

export function makeUtilities(exec: Exec, host: Host) {
  const bytesOf = (x: string | number[], charset?: unknown) =>
    typeof x === 'string' ? textBytes(x, charset) : unsigned(x);
  const U = (m: string) => `Utilities.${m}`;
  return {
    Charset: CHARSET.values,
    DigestAlgorithm: DIGEST.values,
    MacAlgorithm: MAC.values,
    formatDate(...args: unknown[]) {
      overload(exec, U('formatDate'), args, [['Date', 'String', 'String']]);
      const [date, tz, pattern] = args as [Date, string, string];
      try {
        return formatSimpleDate(date.getTime(), tz, pattern);
      } catch (e) {
        if (e instanceof IllegalPattern || e instanceof UnknownZoneName) fail(exec, e.message);
        throw e;
      }
    },
    parseCsv(...args: unknown[]) {
      overload(exec, U('parseCsv'), args, [['String'], ['String', 'Char']]);
      const [csv, delimiter = ','] = args as [string, string?];
      const result = Papa.parse<string[]>(csv.replace(/\r?\n$/, ''), { delimiter, skipEmptyLines: false });
      return exec.realm.array(result.data.map((row) => exec.realm.array(row)));
    },
    computeHmacSha256Signature(...args: unknown[]) {
      overload(exec, U('computeHmacSha256Signature'), args, [
        ['Byte[]', 'Byte[]'],
        ['String', 'String'],
        ['String', 'String', 'Charset'],
      ]);
      const [value, key, charset] = args as [string | number[], string | number[], unknown];
      return signed(
        exec,
        createHmac('sha256', bytesOf(key, charset)).update(bytesOf(value, charset)).digest(),
      );
    },
    computeHmacSignature(...args: unknown[]) {
      overload(exec, U('computeHmacSignature'), args, [
        ['MacAlgorithm', 'Byte[]', 'Byte[]'],
        ['MacAlgorithm', 'String', 'String'],
        ['MacAlgorithm', 'String', 'String', 'Charset'],
      ]);
      const [alg, value, key, charset] = args as [object, string | number[], string | number[], unknown];
      const name = String(alg).replace('HMAC_', '');
      return signed(
        exec,
        createHmac(DIGEST_NODE[name]!, bytesOf(key, charset)).update(bytesOf(value, charset)).digest(),
      );
    },
    computeDigest(...args: unknown[]) {
      overload(exec, U('computeDigest'), args, [
        ['DigestAlgorithm', 'Byte[]'],
        ['DigestAlgorithm', 'String'],
        ['DigestAlgorithm', 'String', 'Charset'],
      ]);
      const [alg, value, charset] = args as [object, string | number[], unknown];
      const node = DIGEST_NODE[String(alg)];
      // MD2 is listed by Apps Script but Node has no MD2: refused, never hashed another way.
      if (!node) fail(exec, `The offline runtime cannot compute ${String(alg)} digests.`);
      return signed(exec, createHash(node).update(bytesOf(value, charset)).digest());
    },
    base64Encode(...args: unknown[]) {
      const i = overload(exec, U('base64Encode'), args, [['Byte[]'], ['String'], ['String', 'Charset']]);
      const [x, charset] = args as [string | number[], unknown];
      // Without a charset a string is taken as UTF-8 (§10, I).
      return (
        i === 0
          ? unsigned(x as number[])
          : Buffer.from(x as string, charset === CHARSET.values.US_ASCII ? 'latin1' : 'utf8')
      ).toString('base64');
    },
    base64EncodeWebSafe(...args: unknown[]) {
      const i = overload(exec, U('base64EncodeWebSafe'), args, [
        ['Byte[]'],
        ['String'],
        ['String', 'Charset'],
      ]);
      const [x, charset] = args as [string | number[], unknown];
      return (
        i === 0
          ? unsigned(x as number[])
          : Buffer.from(x as string, charset === CHARSET.values.US_ASCII ? 'latin1' : 'utf8')
      )
        .toString('base64')
        .replace(/\+/g, '-')
        .replace(/\//g, '_');
    },
    base64Decode(...args: unknown[]) {
      overload(exec, U('base64Decode'), args, [['String'], ['String', 'Charset']]);
      return signed(exec, Buffer.from((args[0] as string).replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
    },
    base64DecodeWebSafe(...args: unknown[]) {
      overload(exec, U('base64DecodeWebSafe'), args, [['String'], ['String', 'Charset']]);
      return signed(exec, Buffer.from((args[0] as string).replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
    },
    getUuid(...args: unknown[]) {
      overload(exec, U('getUuid'), args, [[]]);
      return randomUUID();
    },
    newBlob(...args: unknown[]) {
      overload(exec, U('newBlob'), args, [
        ['Byte[]'],
        ['Byte[]', 'String'],
        ['Byte[]', 'String', 'String'],
        ['String'],
        ['String', 'String'],
        ['String', 'String', 'String'],
      ]);
      const [data, contentType, name] = args as [string | number[], string?, string?];
      const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : unsigned(data);
      return {
        getBytes: () => signed(exec, buf),
        getDataAsString: () => buf.toString('utf8'),
        getContentType: () => contentType ?? null,
        getName: () => name ?? null,
      };
    },
    sleep(...args: unknown[]) {
      overload(exec, U('sleep'), args, [['Integer']]);
      const ms = args[0] as number;
      if (ms > 300_000) fail(exec, 'Utilities.sleep: the maximum is 300000 milliseconds.');
      // Sleeping takes the execution's time, towards its 6-minute limit (§10).
      if (ms > 0) host.spend(exec, ms);
    },
  };
}

const countRecipients = (...lists: string[]) =>
  lists
    .flatMap((l) => l.split(','))
    .map((s) => s.trim())
    .filter(Boolean).length;

const DAY_MS = 86_400_000;

/**
 * The user's quota window: "Quotas are per user and reset 24 hours after the first request"
 * (D: guides/quotas-and-limits). A window opens at a user's first send and counts recipients
 * for 24 hours; the next send after that opens a new one. Kept in state.mail.used as
 * `user|<ISO start of the window>` → recipients (older `user|yyyy-MM-dd` keys read as windows
 * opened that UTC midnight).
 */
function quotaWindow(host: Host, user: string, now: number): { key: string; used: number } | null {
  let open: { key: string; used: number } | null = null;
  for (const [key, used] of Object.entries(host.state.mail.used)) {
    const bar = key.lastIndexOf('|');
    if (key.slice(0, bar) !== user) continue;
    const start = Date.parse(key.slice(bar + 1));
    // A window that began after `now` (a clock set back) still counts: never kinder.
    if (Number.isNaN(start) || now >= start + DAY_MS) delete host.state.mail.used[key];
    else if (!open || used > open.used) open = { key, used };
  }
  return open;
}

export function makeMailApp(exec: Exec, host: Host) {
  const usedNow = () => quotaWindow(host, exec.effectiveUser, exec.now())?.used ?? 0;
  return {
    getRemainingDailyQuota() {
      requireScope(exec, host, 'script.send_mail', 'MailApp.getRemainingDailyQuota');
      return Math.max(0, host.state.mail.dailyQuota - usedNow());
    },
    sendEmail(...args: unknown[]) {
      requireScope(exec, host, 'script.send_mail', 'MailApp.sendEmail');
      if (exec.mode === 'simple') {
        fail(
          exec,
          'You do not have permission to call MailApp.sendEmail. Required permissions: https://www.googleapis.com/auth/script.send_mail',
        );
      }
      type Msg = {
        to?: string;
        cc?: string;
        bcc?: string;
        replyTo?: string;
        name?: string;
        subject?: string;
        body?: string;
        htmlBody?: string;
      };
      let m: Msg;
      if (args.length === 1) m = args[0] as Msg;
      else if (args.length === 4 && typeof args[3] === 'string')
        m = { to: args[0] as string, replyTo: args[1] as string, subject: args[2] as string, body: args[3] };
      else
        m = {
          ...((args[3] as Msg) ?? {}),
          to: args[0] as string,
          subject: args[1] as string,
          body: args[2] as string,
        };
      const to = String(m.to ?? '');
      const n = countRecipients(to, String(m.cc ?? ''), String(m.bcc ?? ''));
      if (n === 0) fail(exec, 'Failed to send email: no recipient');
      for (const addr of [to, m.cc ?? '', m.bcc ?? '']
        .flatMap((l) => String(l).split(','))
        .map((s) => s.trim())
        .filter(Boolean)) {
        if (!/^[^@\s<>,"]+@[^@\s<>,"]+\.[^@\s<>,"]+$/.test(addr)) fail(exec, `Invalid email: ${addr}`);
      }
      if (n > 50) fail(exec, 'Limit Exceeded: Email Recipients Per Message.');
      if (usedNow() + n > host.state.mail.dailyQuota)
        fail(exec, 'Service invoked too many times for one day: email.');
      if (String(m.subject ?? '').length > 250) fail(exec, 'Argument too large: subject');
      if (host.mailFailAfter !== null && host.mailSentThisProcess >= host.mailFailAfter) {
        // The run dies here, as at the 6-minute limit: nothing after this call can record anything.
        exec.dead = true;
        fail(exec, 'Exceeded maximum execution time');
      }
      const window = quotaWindow(host, exec.effectiveUser, exec.now()) ?? {
        key: `${exec.effectiveUser}|${new Date(exec.now()).toISOString()}`,
        used: 0,
      };
      host.state.mail.used[window.key] = window.used + n;
      host.mailSentThisProcess++;
      const id = host.state.outbox.length + 1;
      const message: MailMessage = {
        id,
        from: exec.effectiveUser,
        to,
        cc: String(m.cc ?? ''),
        bcc: String(m.bcc ?? ''),
        replyTo: String(m.replyTo ?? ''),
        name: String(m.name ?? ''),
        subject: String(m.subject ?? ''),
        body: String(m.body ?? ''),
        htmlBody: String(m.htmlBody ?? ''),
        sentAt: new Date(exec.now()).toISOString(),
        file: `${String(id).padStart(4, '0')}.eml`,
      };
      host.state.outbox.push(message);
      host.onMailSent?.(message);
    },
  };
}

class HtmlOutput {
  private title = 'Apps Script';
  constructor(private content: string) {}
  getContent() {
    return this.content;
  }
  setContent(c: string) {
    this.content = c;
    return this;
  }
  append(c: string) {
    this.content += c;
    return this;
  }
  setTitle(t: string) {
    this.title = t;
    return this;
  }
  getTitle() {
    return this.title;
  }
  setWidth() {
    return this;
  }
  setHeight() {
    return this;
  }
  setSandboxMode() {
    return this;
  }
  setXFrameOptionsMode() {
    return this;
  }
  addMetaTag(name: string) {
    const allowed = [
      'viewport',
      'apple-mobile-web-app-capable',
      'mobile-web-app-capable',
      'google-site-verification',
    ];
    if (!allowed.includes(name)) throw new Error(`Meta tag ${name} is not allowed.`);
    return this;
  }
}

export function makeHtmlService(exec: Exec, host: Host) {
  return {
    createHtmlOutputFromFile(name: string) {
      try {
        return new HtmlOutput(readFileSync(join(host.distDir, `${name}.html`), 'utf8'));
      } catch {
        fail(exec, `No HTML file named ${name} was found.`);
      }
    },
    createHtmlOutput: (html = '') => new HtmlOutput(String(html)),
    XFrameOptionsMode: { ALLOWALL: 'ALLOWALL', DEFAULT: 'DEFAULT' },
    SandboxMode: { IFRAME: 'IFRAME', NATIVE: 'NATIVE', EMULATED: 'EMULATED' },
  };
}

export function makeContentService() {
  const MimeType = {
    CSV: 'CSV',
    ICAL: 'ICAL',
    JAVASCRIPT: 'JAVASCRIPT',
    JSON: 'JSON',
    TEXT: 'TEXT',
    VCARD: 'VCARD',
  };
  return {
    MimeType,
    createTextOutput(content = '') {
      let mime = 'TEXT';
      const out = {
        getContent: () => content,
        setMimeType: (m: string) => {
          mime = String(m);
          return out;
        },
        getMimeType: () => mime,
      };
      return out;
    },
  };
}

class TriggerBuilder {
  private data: Partial<TriggerData> = {};
  constructor(
    private exec: Exec,
    private host: Host,
    handler: string,
  ) {
    this.data.handler = handler;
  }
  forSpreadsheet(ss: unknown) {
    this.data.document =
      typeof ss === 'string' ? ss : String((ss as { getId(): string } | null)?.getId?.() ?? '');
    return this;
  }
  onEdit() {
    this.data.eventType = 'ON_EDIT';
    return this;
  }
  onChange() {
    this.data.eventType = 'ON_CHANGE';
    return this;
  }
  onOpen() {
    this.data.eventType = 'ON_OPEN';
    return this;
  }
  timeBased() {
    this.data.eventType = 'CLOCK';
    return this;
  }
  everyMinutes(n: number) {
    if (![1, 5, 10, 15, 30].includes(n))
      fail(this.exec, 'The value passed to everyMinutes must be 1, 5, 10, 15 or 30.');
    this.data.everyMinutes = n;
    return this;
  }
  everyHours(n: number) {
    this.data.everyMinutes = n * 60;
    return this;
  }
  everyDays(n: number) {
    this.data.everyDays = n;
    return this;
  }
  atHour(h: number) {
    this.data.atHour = h;
    return this;
  }
  nearMinute() {
    return this;
  }
  inTimezone() {
    return this;
  }
  create() {
    if (this.exec.addon) addonTriggerLimits(this.exec, this.host, this.data);
    const mine = this.host.state.triggers.filter((t) => t.owner === this.exec.effectiveUser);
    if (mine.length >= 20)
      fail(
        this.exec,
        'This script has too many triggers. Triggers must be deleted from the script before more can be added.',
      );
    const t = {
      ...this.data,
      document: this.data.document || this.exec.workbook.id,
      id: String(this.host.state.nextTriggerId++),
      owner: this.exec.effectiveUser,
    } as TriggerData;
    this.host.state.triggers.push(t);
    return triggerObject(t);
  }
}

/** What an add-on may not create (docs/addon-mode.md T1–T6; each message's source beside it). */
const ADDON_TRIGGER_NAMES: Record<TriggerData['eventType'], string> = {
  CLOCK: 'time-based',
  ON_EDIT: 'edit',
  ON_CHANGE: 'change',
  ON_OPEN: 'open',
};

function addonTriggerLimits(exec: Exec, host: Host, data: Partial<TriggerData>) {
  const here = exec.workbook.id;
  // "Add-ons can only create triggers for the file in which the add-on is used" (ETRIG, T6).
  // The platform's message is not documented; this one says what the rule is.
  if (data.document && data.document !== here)
    fail(exec, 'An add-on can only create triggers for the file in which it is used.');
  // "Time-driven triggers cannot run more frequently than once per hour" (ETRIG, INST; T4). Where
  // the platform refuses and with which message is not documented: the emulator refuses at create().
  if (data.eventType === 'CLOCK' && (data.everyMinutes ?? 60) < 60)
    fail(exec, 'Add-on time-driven triggers cannot run more frequently than once per hour.');
  // "One trigger of each type, per user, per document" (ETRIG "Restrictions", T1). The message for
  // a second time-driven trigger is the one reported in https://github.com/ljay79/jira-tools/issues/53
  // (T3); the other types' are the same sentence by analogy.
  const type = data.eventType!;
  const taken = host.state.triggers.some(
    (t) =>
      t.owner === exec.effectiveUser &&
      (t.document ?? here) === (data.document || here) &&
      t.eventType === type,
  );
  if (taken)
    fail(
      exec,
      `This add-on has created too many ${ADDON_TRIGGER_NAMES[type]} triggers in this document for this Google user account`,
    );
}

const triggerObject = (t: TriggerData) => ({
  getHandlerFunction: () => t.handler,
  getUniqueId: () => t.id,
  getEventType: () => enumValue(t.eventType),
  getTriggerSource: () => enumValue(t.eventType === 'CLOCK' ? 'CLOCK' : 'SPREADSHEETS'),
  __id: t.id,
});

export function makeScriptApp(exec: Exec, host: Host) {
  const mustHaveScope = (m: string) => requireScope(exec, host, 'script.scriptapp', m);
  return {
    AuthMode: enumOf('NONE', 'CUSTOM_FUNCTION', 'LIMITED', 'FULL'),
    EventType: enumOf('CLOCK', 'ON_OPEN', 'ON_EDIT', 'ON_FORM_SUBMIT', 'ON_CHANGE'),
    TriggerSource: enumOf('SPREADSHEETS', 'CLOCK', 'FORMS', 'DOCUMENTS', 'CALENDAR'),
    WeekDay: enumOf('MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'),
    newTrigger(handler: string) {
      mustHaveScope('ScriptApp.newTrigger');
      if (exec.mode === 'simple')
        fail(
          exec,
          'You do not have permission to call ScriptApp.newTrigger. Required permissions: https://www.googleapis.com/auth/script.scriptapp',
        );
      return new TriggerBuilder(exec, host, handler);
    },
    getUserTriggers(ss: { getId(): string } | string) {
      mustHaveScope('ScriptApp.getUserTriggers');
      // The user's triggers in that document, "for this script or add-on only" (SAPP, T12).
      const id = typeof ss === 'string' ? ss : ss.getId();
      return exec.realm.array(
        host.state.triggers
          .filter((t) => t.owner === exec.effectiveUser && (t.document ?? exec.workbook.id) === id)
          .map(triggerObject),
      );
    },
    getProjectTriggers() {
      mustHaveScope('ScriptApp.getProjectTriggers');
      // Only the current user's triggers are visible; others' still fire (§6).
      return exec.realm.array(
        host.state.triggers.filter((t) => t.owner === exec.effectiveUser).map(triggerObject),
      );
    },
    deleteTrigger(trigger: { __id: string }) {
      host.state.triggers = host.state.triggers.filter(
        (t) => !(t.id === trigger.__id && t.owner === exec.effectiveUser),
      );
    },
    getService: () => ({
      getUrl: () => host.state.webAppUrl,
      isEnabled: () => host.state.webAppUrl !== null,
    }),
    getScriptId: () => 'local-script',
  };
}

export function makeLogger(log: string[]) {
  return {
    log: (...a: unknown[]) => {
      log.push(a.map(String).join(' '));
    },
  };
}
