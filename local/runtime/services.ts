// The other Apps Script services the add-on calls, emulated with maintained libraries where one
// exists (date-fns-tz for formatDate, papaparse for parseCsv, node:crypto for digests).
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatInTimeZone } from 'date-fns-tz';
import Papa from 'papaparse';
import { type Exec, fail, isDate } from './exec';
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
  return {
    getScriptProperties: () => new Properties(exec, p.script),
    getDocumentProperties: () => new Properties(exec, p.document),
    getUserProperties: () => new Properties(exec, (p.user[exec.effectiveUser] ??= {})),
  };
}

const typeName = (x: unknown) =>
  x === null || x === undefined
    ? 'null'
    : typeof x === 'string'
      ? 'String'
      : typeof x === 'boolean'
        ? 'Boolean'
        : 'Object';

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
  return {
    getActiveUser: () => {
      requireScope(exec, host, 'userinfo.email', 'Session.getActiveUser');
      return user(exec.activeUser);
    },
    getEffectiveUser: () => {
      requireScope(exec, host, 'userinfo.email', 'Session.getEffectiveUser');
      return user(exec.effectiveUser);
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
const CHARSETS = { US_ASCII: 'US_ASCII', UTF_8: 'UTF_8' };

/** The string overloads without a charset are not UTF-8: non-ASCII characters become '?' (§10). */
function textBytes(s: string, charset?: string) {
  return charset === 'UTF_8'
    ? Buffer.from(s, 'utf8')
    : Buffer.from([...s].map((ch) => (ch.charCodeAt(0) < 128 ? ch : '?')).join(''), 'latin1');
}

export function makeUtilities(exec: Exec, host: Host) {
  const bytesOf = (x: string | number[], charset?: string) =>
    typeof x === 'string' ? textBytes(x, charset) : unsigned(x);
  return {
    Charset: CHARSETS,
    DigestAlgorithm: { SHA_256: 'SHA_256', SHA_1: 'SHA_1', MD5: 'MD5' },
    formatDate(date: Date, tz: string, pattern: string) {
      if (!isDate(date))
        fail(
          exec,
          "The parameters (String,String,String) don't match the method signature for Utilities.formatDate.",
        );
      if (/(^|[^'])T/.test(pattern.replace(/'[^']*'/g, "''"))) fail(exec, "Illegal pattern character 'T'");
      return formatInTimeZone(new Date(date.getTime()), tz, pattern);
    },
    parseCsv(csv: string, delimiter = ',') {
      const result = Papa.parse<string[]>(csv.replace(/\r?\n$/, ''), { delimiter, skipEmptyLines: false });
      return exec.realm.array(result.data.map((row) => exec.realm.array(row)));
    },
    computeHmacSha256Signature(value: string | number[], key: string | number[], charset?: string) {
      if (typeof value !== typeof key) {
        fail(
          exec,
          "The parameters (String,number[]) don't match the method signature for Utilities.computeHmacSha256Signature.",
        );
      }
      return signed(
        exec,
        createHmac('sha256', bytesOf(key, charset)).update(bytesOf(value, charset)).digest(),
      );
    },
    computeDigest(algorithm: string, value: string | number[], charset?: string) {
      const alg = { SHA_256: 'sha256', SHA_1: 'sha1', MD5: 'md5' }[String(algorithm)] ?? 'sha256';
      return signed(exec, createHash(alg).update(bytesOf(value, charset)).digest());
    },
    base64Encode: (x: string | number[]) =>
      (typeof x === 'string' ? Buffer.from(x, 'utf8') : unsigned(x)).toString('base64'),
    base64EncodeWebSafe: (x: string | number[]) =>
      (typeof x === 'string' ? Buffer.from(x, 'utf8') : unsigned(x))
        .toString('base64')
        .replace(/\+/g, '-')
        .replace(/\//g, '_'),
    base64Decode: (s: string) => signed(exec, Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64')),
    base64DecodeWebSafe: (s: string) =>
      signed(exec, Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64')),
    getUuid: () => randomUUID(),
    newBlob(data: string | number[], contentType?: string, name?: string) {
      const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : unsigned(data);
      return {
        getBytes: () => signed(exec, buf),
        getDataAsString: () => buf.toString('utf8'),
        getContentType: () => contentType ?? null,
        getName: () => name ?? null,
      };
    },
    sleep(ms: number) {
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

export function makeMailApp(exec: Exec, host: Host) {
  const day = () => formatInTimeZone(new Date(exec.now()), 'America/Los_Angeles', 'yyyy-MM-dd');
  const usedKey = () => `${exec.effectiveUser}|${day()}`;
  return {
    getRemainingDailyQuota() {
      requireScope(exec, host, 'script.send_mail', 'MailApp.getRemainingDailyQuota');
      return Math.max(0, host.state.mail.dailyQuota - (host.state.mail.used[usedKey()] ?? 0));
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
      if ((host.state.mail.used[usedKey()] ?? 0) + n > host.state.mail.dailyQuota)
        fail(exec, 'Service invoked too many times for one day: email.');
      if (String(m.subject ?? '').length > 250) fail(exec, 'Argument too large: subject');
      if (host.mailFailAfter !== null && host.mailSentThisProcess >= host.mailFailAfter) {
        // The run dies here, as at the 6-minute limit: nothing after this call can record anything.
        exec.dead = true;
        fail(exec, 'Exceeded maximum execution time');
      }
      host.state.mail.used[usedKey()] = (host.state.mail.used[usedKey()] ?? 0) + n;
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
  forSpreadsheet(_ss: unknown) {
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
    const mine = this.host.state.triggers.filter((t) => t.owner === this.exec.effectiveUser);
    if (mine.length >= 20)
      fail(
        this.exec,
        'This script has too many triggers. Triggers must be deleted from the script before more can be added.',
      );
    const t = {
      ...this.data,
      id: String(this.host.state.nextTriggerId++),
      owner: this.exec.effectiveUser,
    } as TriggerData;
    this.host.state.triggers.push(t);
    return triggerObject(t);
  }
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
