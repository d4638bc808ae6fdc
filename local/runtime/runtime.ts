// Runs the pushed bundle (dist/Code.js) as Apps Script would: a fresh vm context per execution
// with no Node globals, the emulated services, the execution's identities and auth mode.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { authModeOf, type Exec, isDate, type Mode, type Realm, type UiEvent } from './exec';
import { toSandbox, toSandboxError } from './realm';
import {
  type Host,
  makeContentService,
  makeHtmlService,
  makeLockService,
  makeLogger,
  makeMailApp,
  makePropertiesService,
  makeScriptApp,
  makeSession,
  makeUtilities,
} from './services';
import { makeCharts, makeSpreadsheetApp } from './spreadsheet';
import { emptyState, type RuntimeState } from './state';
import { WorkbookModel } from './workbook';

export interface RuntimeOptions {
  distDir?: string;
  /** The start of the runtime's clock (ISO); time then moves on. */
  now?: string;
  /** 'manual': the clock only moves when told (deterministic tests). */
  clock?: 'real' | 'manual';
  owner?: string;
  workbook?: WorkbookModel;
  state?: RuntimeState;
  /** Script source to run instead of dist/Code.js (contract tests of the emulated services). */
  code?: string;
}

export interface RunAs {
  mode: Mode;
  /** The person at the keyboard ('' when Apps Script hides them). */
  activeUser?: string;
  /** Whom the code runs as; defaults to the active user. */
  effectiveUser?: string;
}

export class CallRefused extends Error {}

const SERVICE_NAMES = [
  'SpreadsheetApp',
  'PropertiesService',
  'LockService',
  'Session',
  'Utilities',
  'MailApp',
  'ScriptApp',
  'HtmlService',
  'ContentService',
  'Logger',
  'Charts',
] as const;

export class Runtime {
  readonly workbook: WorkbookModel;
  readonly state: RuntimeState;
  readonly host: Host;
  readonly distDir: string;
  /** Service calls by method, over the runtime's life (for benchmarks). */
  readonly calls = new Map<string, number>();
  readonly logs: string[] = [];
  /** UI events (toasts, alerts, sidebars, menus, selections) of the last execution. */
  ui: UiEvent[] = [];
  /** Every UI event since the runtime started, in order. */
  readonly uiLog: UiEvent[] = [];
  private script: vm.Script;
  private clockBase: number;
  private realStart = Date.now();
  private advanced = 0;
  private nextExecId = 1;
  private readonly execIds = new WeakMap<Exec, number>();
  /** Runs at a named service call of the next execution that makes it (interleaving tests). */
  private hooks: { method: string; run: () => void; skip: number }[] = [];

  constructor(private options: RuntimeOptions = {}) {
    this.distDir = options.distDir ?? join(process.cwd(), 'dist');
    const owner = options.owner ?? 'secretariat@example.jp';
    this.workbook = options.workbook ?? new WorkbookModel('local-register', 'プラチナ提案台帳', owner);
    this.state = options.state ?? emptyState(owner);
    this.clockBase = options.now ? Date.parse(options.now) : Date.now();
    if (Number.isNaN(this.clockBase)) throw new Error(`--now is not a date: ${options.now}`);
    const manifest = JSON.parse(readFileSync(join(this.distDir, 'appsscript.json'), 'utf8'));
    this.script = new vm.Script(options.code ?? readFileSync(join(this.distDir, 'Code.js'), 'utf8'), {
      filename: 'Code.js',
    });
    this.host = {
      state: this.state,
      distDir: this.distDir,
      scopes: manifest.oauthScopes ?? [],
      scriptTimeZone: manifest.timeZone,
      lock: { holder: null },
      mailFailAfter: null,
      mailSentThisProcess: 0,
      advanceClock: (ms) => {
        this.advanced += ms;
      },
      execId: (exec) => this.execIds.get(exec) ?? 0,
    };
  }

  now(): number {
    const real = this.options.clock === 'manual' ? 0 : Date.now() - this.realStart;
    return this.clockBase + this.advanced + real;
  }

  advance(ms: number) {
    this.advanced += ms;
  }

  setClock(iso: string) {
    this.clockBase = Date.parse(iso);
    this.advanced = 0;
    this.realStart = Date.now();
  }

  /** Runs `run` at the next call of `method` (e.g. 'MailApp.sendEmail') by any execution, after `skip` such calls. */
  interleave(method: string, run: () => void, skip = 0) {
    this.hooks.push({ method, run, skip });
  }

  private count(exec: Exec, method: string) {
    if (exec.dead) {
      const e = exec.realm.error('Exceeded maximum execution time');
      e.name = 'Exception';
      throw e;
    }
    this.calls.set(method, (this.calls.get(method) ?? 0) + 1);
    const i = this.hooks.findIndex((h) => h.method === method);
    if (i >= 0 && this.hooks[i]!.skip > 0) this.hooks[i]!.skip--;
    else if (i >= 0) {
      const [hook] = this.hooks.splice(i, 1);
      hook!.run();
    }
  }

  /** A service object handed to the add-on outside a service call (an event's range or source). */
  serviceObject<T extends object>(exec: Exec, target: T): T {
    return this.counted(exec, target, target.constructor.name);
  }

  /** Wraps a service object so every method call is counted as `Class.method`. */
  private counted<T extends object>(exec: Exec, target: T, name: string): T {
    const self = this;
    return new Proxy(target, {
      get(obj, prop, receiver) {
        const value = Reflect.get(obj, prop, receiver);
        if (typeof value !== 'function' || typeof prop !== 'string') return value;
        return function (this: unknown, ...args: unknown[]) {
          self.count(exec, `${name}.${prop}`);
          // Whatever service code returns or throws reaches the script in the sandbox's realm (§0.11).
          let result: unknown;
          try {
            result = toSandbox(value.apply(obj, args), exec.realm);
          } catch (e) {
            throw toSandboxError(e, exec.realm);
          }
          const cls = result && typeof result === 'object' ? result.constructor?.name : '';
          return cls && cls !== 'Object' && cls !== 'Array' && !isDate(result)
            ? self.counted(exec, result as object, cls)
            : result;
        };
      },
    });
  }

  private readonly realms = new WeakMap<vm.Context, Realm>();
  private realmOf(ctx: vm.Context): Realm | undefined {
    return this.realms.get(ctx);
  }

  private makeContext(exec: Exec): vm.Context {
    const ctx = vm.createContext({});
    // The sandbox's own Date, on the runtime's clock, so `new Date()` inside is "now" (§0.11).
    vm.runInContext(
      `(() => { const D = Date; const clock = __now; const now = () => clock();
        class ClockDate extends D { constructor(...a) { if (a.length === 0) super(now()); else super(...a); } static now() { return now(); } }
        globalThis.Date = ClockDate; })()`,
      Object.assign(ctx, { __now: () => this.now() }),
    );
    delete ctx.__now;
    const SDate = ctx.Date as DateConstructor;
    const SArray = vm.runInContext('Array', ctx) as ArrayConstructor;
    const SError = vm.runInContext('Error', ctx) as ErrorConstructor;
    const realm: Realm = {
      date: (ms) => new SDate(ms),
      array: (items) => SArray.from(items),
      sized: (n) => new SArray(n),
      error: (message) => new SError(message),
    };
    exec.realm = realm;
    this.realms.set(ctx, realm);
    const services: Record<(typeof SERVICE_NAMES)[number], object> = {
      SpreadsheetApp: makeSpreadsheetApp(exec),
      PropertiesService: makePropertiesService(exec, this.host),
      LockService: makeLockService(exec, this.host),
      Session: makeSession(exec, this.host),
      Utilities: makeUtilities(exec, this.host),
      MailApp: makeMailApp(exec, this.host),
      ScriptApp: makeScriptApp(exec, this.host),
      HtmlService: makeHtmlService(exec, this.host),
      ContentService: makeContentService(),
      Logger: makeLogger(this.logs),
      Charts: makeCharts(),
    };
    for (const name of SERVICE_NAMES) ctx[name] = this.counted(exec, services[name], name);
    ctx.console = {
      log: (...a: unknown[]) => this.logs.push(a.map(String).join(' ')),
      error: (...a: unknown[]) => this.logs.push(a.map(String).join(' ')),
    };
    ctx.console.warn = ctx.console.info = ctx.console.log;
    return ctx;
  }

  /**
   * One execution: loads the bundle in a fresh context (global code runs again, §0.7), then calls
   * the global `fn` with `makeArgs`'s arguments made in the sandbox. The script lock is released
   * when the execution ends, as Apps Script does.
   */
  execute<T>(fn: string, as: RunAs, makeArgs: (ctx: vm.Context, exec: Exec) => unknown[] = () => []): T {
    const activeUser = as.activeUser ?? '';
    const exec: Exec = {
      mode: as.mode,
      activeUser,
      effectiveUser: as.effectiveUser ?? activeUser,
      workbook: this.workbook,
      realm: undefined as unknown as Realm,
      now: () => this.now(),
      count: (m) => this.count(exec, m),
      ui: [],
    };
    const id = this.nextExecId++;
    this.execIds.set(exec, id);
    this.ui = exec.ui;
    const ctx = this.makeContext(exec);
    try {
      this.script.runInContext(ctx);
      const f = ctx[fn];
      if (typeof f !== 'function') throw new CallRefused(`Script function not found: ${fn}`);
      return f(...makeArgs(ctx, exec)) as T;
    } finally {
      this.uiLog.push(...exec.ui);
      if (this.host.lock.holder === id) this.host.lock.holder = null;
      if (this.host.lock.holder === null) this.runWaiting();
    }
  }

  /** Trigger runs that arrived while another execution held the script lock. */
  private waiting: (() => void)[] = [];

  /**
   * Runs `work` now, or — when an execution holds the script lock — once it has finished: a
   * trigger fired by a person's edit waits for the lock as its waitLock would in Apps Script.
   */
  whenLockFree(work: () => void) {
    if (this.host.lock.holder === null) work();
    else this.waiting.push(work);
  }

  private runWaiting() {
    while (this.host.lock.holder === null && this.waiting.length) this.waiting.shift()!();
  }

  /** The event object Apps Script passes, built in the sandbox realm. */
  eventFor(ctx: vm.Context, mode: Mode, fields: Record<string, unknown>) {
    const e = vm.runInContext('({})', ctx) as Record<string, unknown>;
    e.authMode = (ctx.ScriptApp as { AuthMode: Record<string, unknown> }).AuthMode[authModeOf(mode)];
    // Plain fields (e.parameter, e.parameters…) in the sandbox's realm too (§0.11).
    const realm = this.realmOf(ctx);
    for (const [k, v] of Object.entries(fields)) e[k] = realm ? toSandbox(v, realm) : v;
    return e;
  }

  /**
   * A google.script.run call from the sidebar, as `user`: arguments that Apps Script cannot pass
   * are refused in the client, and the return value is serialised as Apps Script does (§8.2).
   */
  call<T = unknown>(fn: string, args: unknown[], user: string): T {
    if (fn.endsWith('_')) throw new CallRefused(`google.script.run.${fn} is not a function`);
    for (const [i, a] of args.entries()) assertPassable(a, String(i));
    const json = JSON.stringify(args.map((a) => (a === undefined ? null : a)));
    const result = this.execute<unknown>(fn, { mode: 'script', activeUser: user }, (ctx) =>
      (vm.runInContext('JSON', ctx) as JSON).parse(json),
    );
    return serialiseReturn(result) as T;
  }

  /**
   * A request to the web app (execute as the deployer): doGet with its event, as Apps Script builds
   * it (§9). `visitor` is who opened it; '' as Apps Script usually reports for others.
   */
  webGet(query: Record<string, string>, visitor = ''): string {
    const out = this.execute<{ getContent(): string } | undefined>(
      'doGet',
      { mode: 'web', activeUser: visitor, effectiveUser: this.state.deployer },
      (ctx) => {
        const qs = new URLSearchParams(query).toString();
        return [
          this.eventFor(ctx, 'web', {
            queryString: qs || null,
            parameter: { ...query },
            parameters: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [v]])),
            pathInfo: '',
            contextPath: '',
            contentLength: -1,
          }),
        ];
      },
    );
    if (!out || typeof out.getContent !== 'function')
      return 'The script completed but did not return anything.';
    return out.getContent();
  }

  /** google.script.run from a web app page: as the deployer, the visitor usually hidden. */
  callWeb<T = unknown>(fn: string, args: unknown[], visitor = ''): T {
    if (fn.endsWith('_')) throw new CallRefused(`google.script.run.${fn} is not a function`);
    for (const [i, a] of args.entries()) assertPassable(a, String(i));
    const json = JSON.stringify(args.map((a) => (a === undefined ? null : a)));
    const result = this.execute<unknown>(
      fn,
      { mode: 'web', activeUser: visitor, effectiveUser: this.state.deployer },
      (ctx) => (vm.runInContext('JSON', ctx) as JSON).parse(json),
    );
    return serialiseReturn(result) as T;
  }

  /** A time-driven or installable trigger's run, as its owner. */
  fireTrigger(handler: string, fields: Record<string, unknown> = {}) {
    const triggers = this.state.triggers.filter((t) => t.handler === handler);
    if (triggers.length === 0) throw new CallRefused(`No installable trigger runs ${handler}`);
    for (const t of triggers) {
      this.execute(
        t.handler,
        {
          mode: t.eventType === 'CLOCK' ? 'time' : 'installable',
          activeUser: t.owner,
          effectiveUser: t.owner,
        },
        (ctx) => [
          this.eventFor(ctx, t.eventType === 'CLOCK' ? 'time' : 'installable', {
            triggerUid: t.id,
            ...fields,
          }),
        ],
      );
    }
  }
}

function assertPassable(value: unknown, key: string): void {
  if (isDate(value) || typeof value === 'function')
    throw new CallRefused(`Failed due to illegal value in property: ${key}`);
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) assertPassable(v, Array.isArray(value) ? k : k);
  }
}

/** A Date anywhere in a return value loses the whole value (§8.2). */
function serialiseReturn(value: unknown): unknown {
  const hasDate = (v: unknown): boolean =>
    isDate(v) || (!!v && typeof v === 'object' && Object.values(v).some(hasDate));
  if (value === undefined || hasDate(value)) return null;
  return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'function' ? String(v) : v)));
}
