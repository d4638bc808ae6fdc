// Runs the pushed bundle (dist/Code.js) as Apps Script would: each execution in a fresh vm context
// with no Node globals, on its own thread (sandbox.ts), with the emulated services, the execution's
// identities and auth mode, a clock that service calls move (costs.ts), the 6-minute limit, and
// executions that overlap: a test chooses which waiting execution goes on at each service call.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type vm from 'node:vm';
import { COST, cellsRead, cellsWritten, costOf, flushCost, LIMIT_MS, SIMPLE_LIMIT_MS } from './costs';
import {
  authModeOf,
  type Exec,
  fail,
  isDate,
  type Mode,
  NONE_ALLOWED,
  type Realm,
  type UiEvent,
} from './exec';
import { codeId, type FromWorker, releaseSlot, type Slot, takeSlot } from './sandbox';
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
import { makeSheetsService } from './sheets-api';
import { makeCharts, makeSpreadsheetApp } from './spreadsheet';
import { emptyState, type RuntimeState } from './state';
import { WorkbookModel } from './workbook';

/**
 * Which waiting execution goes on when several could: 'time' (the one whose clock is earliest, as
 * the platform would run them), a seed (drawn at random, reproducibly), or an explicit order of
 * execution ids or labels, one per service-call boundary (then 'time' once the list runs out).
 */
export type Schedule = 'time' | { seed: number } | { order: (number | string)[] };

/** Which of an edit's two triggers starts first: they are separate executions in no documented order (§2.2, §15). */
export type TriggerOrder = 'edit-first' | 'change-first' | { seed: number };

/**
 * One installation of the Editor add-on (add-on mode): the registers its web app and clock
 * triggers reach by ID. Runtimes of two registers share it and one RuntimeState (one script
 * property store, one trigger list), as one published add-on serves every document (P1, P2).
 */
export interface Installation {
  registers: Map<string, WorkbookModel>;
}

export interface RuntimeOptions {
  /**
   * 'bound' (default): the script bound to the register (dist/). 'addon': the published Editor
   * add-on (dist-addon/), with its auth modes at open, trigger limits, shared script properties
   * and a web app opening its register by ID (docs/addon-mode.md §2.6).
   */
  mode?: 'bound' | 'addon';
  /** Add-on mode: the installation this register is one of (a new one by default). */
  installation?: Installation;
  distDir?: string;
  /** The start of the runtime's clock (ISO); time then moves on. */
  now?: string;
  /** 'manual': the clock moves only when told and by the executions' estimated durations (deterministic tests). */
  clock?: 'real' | 'manual';
  owner?: string;
  workbook?: WorkbookModel;
  state?: RuntimeState;
  /** Script source to run instead of dist/Code.js (contract tests of the emulated services). */
  code?: string;
  schedule?: Schedule;
  triggerOrder?: TriggerOrder;
  /** Record every service call in `rt.trace` (which execution, which call, on its clock). */
  trace?: boolean;
}

export interface RunAs {
  mode: Mode;
  /** The person at the keyboard ('' when Apps Script hides them). */
  activeUser?: string;
  /** Whom the code runs as; defaults to the active user. */
  effectiveUser?: string;
}

export class CallRefused extends Error {}

/** What one execution cost (issue #16; the benchmark reads these fields). */
export interface ExecutionReport {
  id: number;
  fn: string;
  mode: Mode;
  label: string;
  /** The execution's start on the runtime's clock (ISO). */
  startedAt: string;
  /** Estimated duration from the cost table (costs.ts), lock waits and sleeps included. */
  estimatedMs: number;
  /** Service calls (methods of services and of the objects they return). */
  calls: number;
  /** Calls that fetched cell data from the sheet (getValues and friends, getLastRow…). */
  readRoundTrips: number;
  cellsRead: number;
  cellsWritten: number;
  outcome: 'running' | 'ok' | 'error' | 'timeout';
  error?: string;
}

type ArgsMaker = (ctx: vm.Context, exec: Exec) => unknown[];

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

const HANDLE = '__gasHandle';
/** Thrown through a lock call to park its execution until the lock is free or the wait ends. */
const PARK = Symbol('park');
/**
 * Data fields a class instance shows the script: the undocumented fields of an event's range that
 * real code reads (§2.1); and enums, capitalised as Apps Script names them (Ui.ButtonSet). Other
 * fields of the emulation's classes are its internals.
 */
const HANDLE_FIELDS = new Set(['rowStart', 'rowEnd', 'columnStart', 'columnEnd']);

/** The host side of one service object: a class instance, or a plain object with methods. */
const isServiceObject = (v: object) => {
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return true;
  for (const k of Object.keys(v)) if (typeof (v as Record<string, unknown>)[k] === 'function') return true;
  return false;
};

/** One execution: its thread, its clock, what it has cost so far. */
export class Execution {
  readonly report: ExecutionReport;
  /** The service call it waits at (null while it runs a call, or once done). */
  pending: { h: number; m: string; args: unknown[]; method: string } | null = null;
  done = false;
  value: unknown;
  error: Error | undefined;
  clock: number;
  readonly start: number;
  readonly limit: number;
  pendingWrites = false;
  pendingCells = 0;
  /** Host objects handed to the script, by handle id; and their ids. */
  readonly handles: object[] = [];
  readonly ids = new WeakMap<object, number>();
  readonly proxies = new WeakMap<object, object>();
  /** Service objects reached through a namespace (Sheets.Spreadsheets.Values), by their full name. */
  readonly labels = new WeakMap<object, string>();
  readonly counted = new WeakSet<object>();
  services!: Record<string, object>;
  slot!: Slot;
  /** Set while it waits for a lock: its call stays unanswered until the lock is free or the wait ends. */
  parked: {
    key: string;
    since: number;
    deadline: number;
    msg: { h: number; m: string; args: unknown[] };
  } | null = null;
  /** How the lock wait ended, for the call made again on resuming. */
  lockResume: { key: string; granted: boolean; until: number } | null = null;
  resuming = false;
  constructor(
    readonly id: number,
    readonly label: string,
    readonly fn: string,
    readonly exec: Exec,
    start: number,
  ) {
    this.start = this.clock = start;
    this.limit = exec.mode === 'simple' || exec.mode === 'load' ? SIMPLE_LIMIT_MS : LIMIT_MS;
    this.report = {
      id,
      fn,
      mode: exec.mode,
      label,
      startedAt: new Date(start).toISOString(),
      estimatedMs: 0,
      calls: 0,
      readRoundTrips: 0,
      cellsRead: 0,
      cellsWritten: 0,
      outcome: 'running',
    };
  }
  /** The method of the call it waits at, e.g. 'Range.setValues'. */
  get waitingAt(): string | null {
    return this.pending?.method ?? null;
  }
}

/** A small seeded generator (mulberry32), so a random schedule can be replayed from its seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Runtime {
  readonly workbook: WorkbookModel;
  readonly state: RuntimeState;
  readonly host: Host;
  /** Whether the manifest enables the Sheets advanced service (v4) as `Sheets`. */
  private sheetsApi: boolean;

  /**
   * Executions started from now on run as if the manifest did not enable the Sheets advanced
   * service: `Sheets` is undefined and the add-on reads with SpreadsheetApp alone (the yardstick of
   * the tests that compare both paths).
   */
  withoutSheetsApi(): this {
    this.sheetsApi = false;
    return this;
  }
  readonly distDir: string;
  readonly addon: boolean;
  readonly installation: Installation;
  /** Service calls by method, over the runtime's life (for benchmarks). */
  readonly calls = new Map<string, number>();
  readonly logs: string[] = [];
  /** UI events (toasts, alerts, sidebars, menus, selections) of the last execution. */
  ui: UiEvent[] = [];
  /** Every UI event since the runtime started, in order. */
  readonly uiLog: UiEvent[] = [];
  /** One report per execution, in the order they started. */
  readonly executions: ExecutionReport[] = [];
  /** The report of the execution that finished last. */
  lastExecution: ExecutionReport | undefined;
  /** With the `trace` option: each service call as made, in the order the runtime ran them. */
  readonly trace: { exec: number; fn: string; method: string; at: number }[] = [];
  private code: string;
  private codeId: number;
  private clockBase: number;
  private realStart = Date.now();
  private advanced = 0;
  private nextExecId = 1;
  private readonly runsByExec = new WeakMap<Exec, Execution>();
  /** Executions started and not yet finished. */
  private readonly active: Execution[] = [];
  /** Who holds each lock ('script', 'user:<email>', 'document'), and when each was last let go. */
  private readonly locks = new Map<string, number>();
  private readonly releasedAt = new Map<string, number>();
  private schedule: Schedule;
  private random: () => number;
  private orderAt = 0;
  private hookFailure: unknown;
  /** Runs at a named service call of the next execution that makes it (interleaving tests). */
  private hooks: { method: string; run: () => void; skip: number }[] = [];

  constructor(private options: RuntimeOptions = {}) {
    this.addon = options.mode === 'addon';
    this.distDir = options.distDir ?? join(process.cwd(), this.addon ? 'dist-addon' : 'dist');
    const owner = options.owner ?? 'secretariat@example.jp';
    this.workbook = options.workbook ?? new WorkbookModel('local-register', 'プラチナ提案台帳', owner);
    this.installation = options.installation ?? { registers: new Map() };
    this.installation.registers.set(this.workbook.id, this.workbook);
    this.state = options.state ?? emptyState(owner);
    if (this.addon) this.state.mode = 'addon';
    this.clockBase = options.now ? Date.parse(options.now) : Date.now();
    if (Number.isNaN(this.clockBase)) throw new Error(`--now is not a date: ${options.now}`);
    const manifest = JSON.parse(readFileSync(join(this.distDir, 'appsscript.json'), 'utf8'));
    this.sheetsApi = (manifest.dependencies?.enabledAdvancedServices ?? []).some(
      (s: { userSymbol?: string; serviceId?: string; version?: string }) =>
        s.userSymbol === 'Sheets' && s.serviceId === 'sheets' && s.version === 'v4',
    );
    this.code = options.code ?? readFileSync(join(this.distDir, 'Code.js'), 'utf8');
    this.codeId = codeId(this.code);
    this.schedule = options.schedule ?? 'time';
    this.random = seeded(
      typeof this.schedule === 'object' && 'seed' in this.schedule ? this.schedule.seed : 1,
    );
    this.host = {
      state: this.state,
      distDir: this.distDir,
      scopes: manifest.oauthScopes ?? [],
      scriptTimeZone: manifest.timeZone,
      mailFailAfter: null,
      mailSentThisProcess: 0,
      spend: (exec, ms) => this.charge(this.runOf(exec), ms),
      execId: (exec) => this.runsByExec.get(exec)?.id ?? 0,
      acquireLock: (exec, key, ms) => this.acquire(this.runOf(exec), key, ms),
      releaseLock: (exec, key) => {
        const run = this.runOf(exec);
        if (this.locks.get(key) === run.id) this.letGo(key, run.clock);
      },
      lockHolder: (key) => this.locks.get(key) ?? null,
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

  /** The world's clock follows the furthest execution: time spent in calls passes for everyone. */
  private bump(t: number) {
    const n = this.now();
    if (t > n) this.advanced += t - n;
  }

  /** How waiting executions take turns from now on (see Schedule). */
  setSchedule(schedule: Schedule) {
    this.schedule = schedule;
    this.orderAt = 0;
    if (typeof schedule === 'object' && 'seed' in schedule) this.random = seeded(schedule.seed);
  }

  setTriggerOrder(order: TriggerOrder) {
    this.options.triggerOrder = order;
  }

  /**
   * Runs `run` at the next call of `method` (e.g. 'MailApp.sendEmail') by any execution, after `skip`
   * such calls. The calling execution is held at that call until `run` returns (as if that call were
   * slow); executions `run` starts go on meanwhile, and its clock then catches up with theirs.
   */
  interleave(method: string, run: () => void, skip = 0) {
    this.hooks.push({ method, run, skip });
  }

  /** Records every service call from now on in `rt.trace`. */
  startTrace() {
    this.options.trace = true;
  }

  /** Drops the interleavings not yet reached. */
  clearInterleaves() {
    this.hooks = [];
  }

  private runOf(exec: Exec): Execution {
    const run = this.runsByExec.get(exec);
    if (!run) throw new Error('No execution for this service object');
    return run;
  }

  /** Time passes for one execution; past its limit it dies at this call (§0.9). */
  private charge(run: Execution, ms: number) {
    run.clock += ms;
    if (run.clock - run.start > run.limit) {
      run.clock = run.start + run.limit;
      run.report.estimatedMs = run.limit;
      this.bump(run.clock);
      run.exec.dead = true;
      fail(run.exec, 'Exceeded maximum execution time');
    }
    run.report.estimatedMs = run.clock - run.start;
    this.bump(run.clock);
  }

  /** Before a service call: hooks, the time limit, the call's cost (and a flush it forces). */
  private before(run: Execution, method: string, target: unknown, args: unknown[]) {
    if (run.exec.dead) fail(run.exec, 'Exceeded maximum execution time');
    // AuthMode.NONE: "permissions fail and other calls … stop" (AUTH, A5). The platform's wording
    // for this case is not documented; this is the message Apps Script gives a call made without
    // the authorization it needs.
    if (run.exec.mode === 'load' && !NONE_ALLOWED(method))
      fail(run.exec, `Authorization is required to perform that action. (${method} in AuthMode.NONE)`);
    this.calls.set(method, (this.calls.get(method) ?? 0) + 1);
    run.report.calls++;
    if (this.options.trace) this.trace.push({ exec: run.id, fn: run.fn, method, at: run.clock });
    const i = this.hooks.findIndex((h) => h.method === method);
    if (i >= 0 && this.hooks[i]!.skip > 0) this.hooks[i]!.skip--;
    else if (i >= 0) {
      const [hook] = this.hooks.splice(i, 1);
      try {
        hook!.run();
      } catch (e) {
        // The test's own failure inside a hook must reach the test, even if the script catches
        // the error the call then throws.
        this.hookFailure ??= e;
        throw e;
      }
      // This call was held while the hook's work went on: it ends no earlier than that work.
      run.clock = Math.max(run.clock, this.now());
    }
    const cost = costOf(method);
    // The Sheets API reads the sheet as saved; SpreadsheetApp's batched writes are not in it
    // (sheets-api.ts). The emulator has applied them already, so it refuses rather than mislead.
    if (cost.kind === 'apiRead' && run.pendingWrites)
      fail(
        run.exec,
        `${method}: SpreadsheetApp writes of this execution are still batched and the Sheets API would not see them; call SpreadsheetApp.flush() first (emulator check)`,
      );
    if ((cost.kind === 'read' || cost.kind === 'flush') && run.pendingWrites) {
      // A read (or flush) sends the batched writes first (§0.12, §15).
      const cells = run.pendingCells;
      run.pendingWrites = false;
      run.pendingCells = 0;
      this.charge(run, flushCost(cells));
    }
    if (cost.kind === 'write') {
      const n = cellsWritten(method, target, args);
      this.charge(run, cost.ms + n * COST.writePerCell);
      run.pendingWrites = true;
      run.pendingCells += n;
      run.report.cellsWritten += n;
    } else this.charge(run, cost.ms);
    if (cost.kind === 'read' || cost.kind === 'apiRead') run.report.readRoundTrips++;
  }

  private after(run: Execution, method: string, result: unknown) {
    const kind = costOf(method).kind;
    if (kind !== 'read' && kind !== 'apiRead') return;
    const n = cellsRead(method, result);
    run.report.cellsRead += n;
    this.charge(run, n * COST.readPerCell);
  }

  /** A service object handed to the add-on outside a service call (an event's range or source). */
  serviceObject<T extends object>(exec: Exec, target: T): T {
    return this.wrap(this.runOf(exec), target, target.constructor.name);
  }

  /** Wraps a service object so every method call is counted, timed and scheduled as `Class.method`. */
  private wrap<T extends object>(run: Execution, target: T, name: string): T {
    const known = run.proxies.get(target);
    if (known) return known as T;
    const self = this;
    const proxy = new Proxy(target, {
      get(obj, prop, receiver) {
        const value = Reflect.get(obj, prop, receiver);
        if (typeof value !== 'function' || typeof prop !== 'string' || prop === 'constructor') return value;
        return function (this: unknown, ...args: unknown[]) {
          const method = `${name}.${prop}`;
          // A lock call resumed after its wait was counted and charged when it was first made.
          if (run.resuming) run.resuming = false;
          else self.before(run, method, obj, args);
          const result = value.apply(obj, args);
          self.after(run, method, result);
          const cls = result && typeof result === 'object' ? result.constructor?.name : '';
          return cls && cls !== 'Object' && cls !== 'Array' && !isDate(result)
            ? self.wrap(run, result, cls)
            : result;
        };
      },
    });
    run.proxies.set(target, proxy);
    run.counted.add(proxy);
    return proxy;
  }

  private makeServices(exec: Exec): Record<string, object> {
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
    const run = this.runOf(exec);
    const wrapped: Record<string, object> = Object.fromEntries(
      SERVICE_NAMES.map((n) => [n, this.wrap(run, services[n], n)]),
    );
    // An advanced service exists only when the manifest enables it (its userSymbol is the global).
    if (this.sheetsApi)
      wrapped.Sheets = makeSheetsService(exec, this.host.scopes, (values) => {
        const name = 'Sheets.Spreadsheets.Values';
        const proxy = this.wrap(run, values, name);
        run.labels.set(proxy, name);
        return proxy;
      });
    return wrapped;
  }

  // --- values crossing to the script's thread -------------------------------------------------

  private encode(run: Execution, v: unknown): unknown {
    if (v === null || typeof v !== 'object') return typeof v === 'function' ? undefined : v;
    if (Array.isArray(v)) {
      let plain = true;
      for (const x of v) if (x !== null && typeof x === 'object') plain = false;
      return plain ? v : v.map((x) => this.encode(run, x));
    }
    if (isDate(v)) return new Date(v.getTime());
    if (run.counted.has(v) || isServiceObject(v)) return this.handleOf(run, v);
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = this.encode(run, (v as Record<string, unknown>)[k]);
    return out;
  }

  private handleOf(run: Execution, v: object): unknown {
    let id = run.ids.get(v);
    if (id !== undefined) return { [HANDLE]: id };
    id = run.handles.length;
    run.handles.push(v);
    run.ids.set(v, id);
    const methods = new Set<string>();
    const props: Record<string, unknown> = {};
    const plain = Object.getPrototypeOf(v) === Object.prototype;
    for (let o: object | null = v; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
      for (const k of Object.getOwnPropertyNames(o)) {
        if (k === 'constructor') continue;
        const d = Object.getOwnPropertyDescriptor(o, k);
        if (!d || !('value' in d)) continue;
        if (typeof d.value === 'function') methods.add(k);
        else if (
          o === v &&
          d.enumerable &&
          (plain || HANDLE_FIELDS.has(k) || /^[A-Z]/.test(k)) &&
          !(k in props)
        )
          props[k] = this.encode(run, d.value);
      }
    }
    return { [HANDLE]: id, m: [...methods], p: props };
  }

  private decode(run: Execution, v: unknown): unknown {
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((x) => this.decode(run, x));
    if (isDate(v)) return v;
    const o = v as Record<string, unknown>;
    if (typeof o[HANDLE] === 'number') return run.handles[o[HANDLE] as number];
    if (typeof o.__gasFunction === 'string' && Object.keys(o).length === 1) return o.__gasFunction;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o)) out[k] = this.decode(run, o[k]);
    return out;
  }

  // --- executions and their schedule ------------------------------------------------------------

  /**
   * Starts an execution: loads the bundle in a fresh context on a thread (global code runs again,
   * §0.7) and calls the global `fn` with `makeArgs`'s arguments, up to its first service call. It
   * then waits there; `execute`, `step`, `runUntil` and `settle` move it on.
   */
  start(fn: string, as: RunAs, makeArgs: ArgsMaker = () => [], label = fn): Execution {
    const activeUser = as.activeUser ?? '';
    const id = this.nextExecId++;
    const exec: Exec = {
      mode: as.mode,
      activeUser,
      effectiveUser: as.effectiveUser ?? activeUser,
      workbook: this.workbook,
      realm: hostRealm,
      ...(this.addon ? { addon: { registers: this.installation.registers } } : {}),
      now: () => run.clock,
      count: (m) => this.before(run, m, undefined, []),
      ui: [],
    };
    const run = new Execution(id, label, fn, exec, this.now());
    this.runsByExec.set(exec, run);
    // Running one of its menu items enables an add-on in the document (AUTH A7).
    if (this.addon && as.mode === 'menu' && !this.enabledHere())
      (this.state.enabledIn ??= []).push(this.workbook.id);
    this.ui = exec.ui;
    run.services = this.makeServices(exec);
    const args = makeArgs(run.services as vm.Context, exec);
    const globals = Object.fromEntries(
      Object.keys(run.services).map((n) => [n, this.encode(run, run.services[n])]),
    );
    const job = {
      type: 'run',
      codeId: this.codeId,
      fn,
      args: this.encode(run, args),
      globals,
      clock: Math.floor(run.clock),
    } as Record<string, unknown>;
    this.executions.push(run.report);
    this.active.push(run);
    run.slot = takeSlot(run);
    if (!run.slot.compiled.has(this.codeId)) {
      job.code = this.code;
      run.slot.compiled.add(this.codeId);
    }
    this.receive(run, run.slot.exchange(job));
    return run;
  }

  /** One execution, start to end (other executions waiting meanwhile go on as the schedule says). */
  execute<T>(fn: string, as: RunAs, makeArgs: ArgsMaker = () => []): T {
    const run = this.start(fn, as, makeArgs);
    this.drive(() => run.done);
    return this.outcome<T>(run);
  }

  private outcome<T>(run: Execution): T {
    if (run.error) throw run.error;
    return run.value as T;
  }

  /** Runs `run`'s waiting service call and lets it go on to its next one. */
  step(run: Execution) {
    if (run.done || !run.pending)
      throw new Error(`Execution ${run.id} (${run.label}) is not waiting at a call`);
    this.stepRun(run);
    this.raiseHookFailure();
  }

  /** Steps `run` alone until it waits at `method` (after `skip` such calls), or ends. */
  runUntil(run: Execution, method: string, skip = 0) {
    while (!run.done) {
      if (run.parked) this.drive(() => !run.parked);
      else if (run.pending?.method === method && skip-- <= 0) return;
      else this.step(run);
    }
  }

  /** Moves every started execution on, as the schedule says, until all have ended. */
  settle() {
    this.drive(() => this.active.length === 0);
  }

  /** The value an execution returned (throws what it threw). */
  result<T>(run: Execution): T {
    if (!run.done) this.drive(() => run.done);
    return this.outcome<T>(run);
  }

  private ready(): Execution[] {
    return this.active.filter((r) => r.pending !== null);
  }

  private pick(candidates: Execution[]): Execution {
    const s = this.schedule;
    if (candidates.length > 1 && typeof s === 'object') {
      if ('seed' in s) return candidates[Math.floor(this.random() * candidates.length)]!;
      while (this.orderAt < s.order.length) {
        const want = s.order[this.orderAt++];
        const found = candidates.find((r) => r.id === want || r.label === want);
        if (found) return found;
      }
    }
    return candidates.reduce((a, b) => (b.clock < a.clock ? b : a));
  }

  /**
   * Moves executions on until `until()`: first a freed lock goes to its earliest waiter; then one
   * of the executions waiting at a call, chosen by the schedule, goes on, as long as its clock is
   * not past a lock waiter's deadline; else the wait that ends first runs out.
   */
  private drive(until: () => boolean) {
    try {
      this.driveOn(until);
    } finally {
      this.raiseHookFailure();
    }
  }

  private raiseHookFailure() {
    const e = this.hookFailure;
    if (e === undefined) return;
    this.hookFailure = undefined;
    throw e;
  }

  private driveOn(until: () => boolean) {
    while (!until()) {
      if (this.wakeOne()) continue;
      const blocked = this.active.filter((r) => r.parked);
      const horizon = Math.min(...blocked.map((r) => r.parked!.deadline));
      const ready = this.ready().filter((r) => r.clock <= horizon);
      if (ready.length) {
        this.stepRun(this.pick(ready));
        continue;
      }
      if (blocked.length === 0) throw new Error('No execution can go on (all are held inside calls)');
      const first = blocked.reduce((a, b) => (b.parked!.deadline < a.parked!.deadline ? b : a));
      this.resume(first, false, first.parked!.deadline);
    }
  }

  /** Gives a freed lock to the waiter that asked first (or ends its wait, if let go too late). */
  private wakeOne(): boolean {
    const waiters = this.active
      .filter((r) => r.parked && !this.locks.has(r.parked.key))
      .sort((a, b) => a.parked!.since - b.parked!.since || a.id - b.id);
    const r = waiters[0];
    if (!r) return false;
    const { key, deadline } = r.parked!;
    const at = this.releasedAt.get(key) ?? Number.NEGATIVE_INFINITY;
    if (at > deadline) this.resume(r, false, deadline);
    else {
      this.locks.set(key, r.id);
      this.resume(r, true, Math.max(r.clock, at));
    }
    return true;
  }

  private resume(run: Execution, granted: boolean, until: number) {
    const { key, msg } = run.parked!;
    run.parked = null;
    run.lockResume = { key, granted, until };
    run.resuming = true;
    const res = this.perform(run, msg);
    run.resuming = false;
    this.receive(run, run.slot.exchange(res!));
  }

  private perform(
    run: Execution,
    msg: { h: number; m: string; args: unknown[] },
  ): Record<string, unknown> | null {
    run.pending = null;
    let res: Record<string, unknown>;
    try {
      const target = run.handles[msg.h] as Record<string, (...a: unknown[]) => unknown>;
      const value = target[msg.m]!(...(this.decode(run, msg.args) as unknown[]));
      res = { ok: true, v: this.encode(run, value) };
    } catch (e) {
      if (e === PARK) {
        run.parked!.msg = msg;
        return null;
      }
      const err = e as { name?: unknown; message?: unknown };
      // Service code's own failures reach the script as Apps Script's Exception (§0.1); a
      // TypeError and the like keep their names.
      const name = String(err?.name ?? 'Error');
      res = {
        ok: false,
        name: name === 'Error' ? 'Exception' : name,
        message: String(err?.message ?? e),
      };
    }
    res.t = Math.floor(run.clock);
    res.dead = !!run.exec.dead;
    return res;
  }

  private stepRun(run: Execution) {
    const res = this.perform(run, run.pending!);
    if (res) this.receive(run, run.slot.exchange(res));
  }

  /** Takes the thread's next message: answers logs and calls on plain objects at once; waits at a service call. */
  private receive(run: Execution, first: FromWorker) {
    let msg = first;
    for (;;) {
      if (msg.type === 'log') {
        this.logs.push(msg.text);
        msg = run.slot.exchange({ ok: true, t: Math.floor(run.clock) });
        continue;
      }
      if (msg.type === 'call') {
        const target = run.handles[msg.h];
        if (target && run.counted.has(target)) {
          const name = (target as { constructor?: { name?: string } }).constructor?.name;
          run.pending = { ...msg, method: `${serviceName(run, target, name)}.${msg.m}` };
          return;
        }
        msg = run.slot.exchange(this.perform(run, msg)!);
        continue;
      }
      this.finish(run, msg);
      return;
    }
  }

  private finish(run: Execution, msg: Extract<FromWorker, { type: 'done' }>) {
    run.done = true;
    run.pending = null;
    releaseSlot(run.slot);
    this.active.splice(this.active.indexOf(run), 1);
    // The platform sends what is still batched when the execution ends.
    if (run.pendingWrites && !run.exec.dead) {
      run.clock += flushCost(run.pendingCells);
      run.pendingWrites = false;
    }
    run.report.estimatedMs = run.clock - run.start;
    this.bump(run.clock);
    // Locks are let go when their execution ends (§3).
    for (const [key, holder] of [...this.locks]) if (holder === run.id) this.letGo(key, run.clock);
    this.uiLog.push(...run.exec.ui);
    if (msg.notFound) {
      run.error = new CallRefused(`Script function not found: ${run.fn}`);
      run.report.outcome = 'error';
    } else if (run.exec.dead || msg.ok === false) {
      const e = new Error(run.exec.dead ? 'Exceeded maximum execution time' : msg.error!.message);
      e.name = run.exec.dead ? 'Exception' : msg.error!.name;
      if (!run.exec.dead && msg.error!.stack) e.stack = msg.error!.stack;
      run.error = e;
      run.report.outcome = run.exec.dead ? 'timeout' : 'error';
      run.report.error = `${e.name}: ${e.message}`;
    } else {
      run.value = this.decode(run, msg.value);
      run.report.outcome = 'ok';
    }
    this.lastExecution = run.report;
  }

  // --- locks ----------------------------------------------------------------------------------

  private letGo(key: string, at: number) {
    this.locks.delete(key);
    this.releasedAt.set(key, at);
  }

  /**
   * tryLock(ms): the lock if it is free. Otherwise this execution waits at the call (it is parked,
   * its thread unanswered) while the others go on as the schedule says, up to `ms` of its clock:
   * it gets the lock if the holder lets go in time, else the wait runs out and its clock has moved
   * by `ms` (§3, §15). Waiters get a freed lock in the order they asked.
   */
  private acquire(run: Execution, key: string, ms: number): boolean {
    const resumed = run.lockResume;
    if (resumed && resumed.key === key) {
      run.lockResume = null;
      this.charge(run, Math.max(0, resumed.until - run.clock));
      return resumed.granted;
    }
    if (this.locks.get(key) === run.id) return true;
    if (!(ms >= 0)) return false;
    const deadline = run.clock + ms;
    if (!this.locks.has(key)) {
      const at = this.releasedAt.get(key) ?? Number.NEGATIVE_INFINITY;
      if (at <= deadline) {
        this.locks.set(key, run.id);
        if (at > run.clock) this.charge(run, at - run.clock);
        return true;
      }
    }
    run.parked = { key, since: run.clock, deadline, msg: { h: -1, m: '', args: [] } };
    throw PARK;
  }

  // --- the ways Apps Script starts executions -----------------------------------------------------

  /** The event object Apps Script passes (made in the sandbox realm when it crosses over). */
  eventFor(ctx: vm.Context, mode: Mode, fields: Record<string, unknown>) {
    const scriptApp = ctx.ScriptApp as { AuthMode: Record<string, unknown> };
    return { authMode: scriptApp.AuthMode[authModeOf(mode)], ...fields };
  }

  /**
   * An edit's installable triggers: each its own execution, started in the order the runtime's
   * triggerOrder says (onEdit and onChange have no documented order, §15), then run until all end
   * (overlapping as the schedule says). What they throw is logged, as the platform shows a trigger's
   * failure to no one at the keyboard.
   */
  fireEditTriggers(starts: { type: 'ON_EDIT' | 'ON_CHANGE'; start: () => Execution }[]) {
    const order = this.options.triggerOrder ?? 'edit-first';
    const changeFirst =
      order === 'change-first' || (typeof order === 'object' && seeded(order.seed + this.nextExecId)() < 0.5);
    const sorted = [...starts].sort((a, b) =>
      a.type === b.type ? 0 : (a.type === 'ON_CHANGE') === changeFirst ? -1 : 1,
    );
    const runs = sorted.map((s) => s.start());
    this.drive(() => runs.every((r) => r.done));
    for (const r of runs) if (r.error) this.logs.push(`${r.fn}: ${r.error.name}: ${r.error.message}`);
  }

  /**
   * A google.script.run call from the sidebar, as `user`: arguments that Apps Script cannot pass
   * are refused in the client, and the return value is serialised as Apps Script does (§8.2).
   */
  call<T = unknown>(fn: string, args: unknown[], user: string): T {
    if (fn.endsWith('_')) throw new CallRefused(`google.script.run.${fn} is not a function`);
    for (const [i, a] of args.entries()) assertPassable(a, String(i));
    const json = JSON.stringify(args.map((a) => (a === undefined ? null : a)));
    const result = this.execute<unknown>(fn, { mode: 'script', activeUser: user }, () => JSON.parse(json));
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
      () => JSON.parse(json),
    );
    return serialiseReturn(result) as T;
  }

  /** Add-on mode: whether the add-on is enabled in this runtime's document. */
  enabledHere(): boolean {
    return !this.addon || (this.state.enabledIn ?? []).includes(this.workbook.id);
  }

  /**
   * Someone opens the spreadsheet: the simple onOpen, in AuthMode.LIMITED (a bound script, or an
   * add-on enabled in the document), or AuthMode.NONE (an add-on installed but not yet enabled
   * there, AUTH A2). Returns the menus it built.
   */
  open(user: string): UiEvent[] {
    const mode: Mode = this.enabledHere() ? 'simple' : 'load';
    this.execute('onOpen', { mode, activeUser: user }, (ctx) => [this.eventFor(ctx, mode, {})]);
    return this.ui.filter((u) => u.kind === 'menu');
  }

  /** The installable triggers of this runtime's document (an installation's list holds every register's). */
  triggersHere(): RuntimeState['triggers'] {
    return this.state.triggers.filter((t) => (t.document ?? this.workbook.id) === this.workbook.id);
  }

  /** A time-driven or installable trigger's run, as its owner. */
  fireTrigger(handler: string, fields: Record<string, unknown> = {}) {
    const triggers = this.triggersHere().filter((t) => t.handler === handler);
    if (triggers.length === 0) throw new CallRefused(`No installable trigger runs ${handler}`);
    for (const t of triggers) this.execute(t.handler, this.triggerRunAs(t), this.triggerArgs(t, fields));
  }

  /** Starts a time-driven or installable trigger's run without waiting for it (overlap tests). */
  startTrigger(handler: string, fields: Record<string, unknown> = {}): Execution {
    const t = this.triggersHere().find((x) => x.handler === handler);
    if (!t) throw new CallRefused(`No installable trigger runs ${handler}`);
    return this.start(t.handler, this.triggerRunAs(t), this.triggerArgs(t, fields));
  }

  private triggerRunAs(t: RuntimeState['triggers'][number]): RunAs {
    return {
      mode: t.eventType === 'CLOCK' ? 'time' : 'installable',
      activeUser: t.owner,
      effectiveUser: t.owner,
    };
  }

  private triggerArgs(t: RuntimeState['triggers'][number], fields: Record<string, unknown>): ArgsMaker {
    return (ctx) => [
      this.eventFor(ctx, t.eventType === 'CLOCK' ? 'time' : 'installable', { triggerUid: t.id, ...fields }),
    ];
  }
}

/** Service code runs on the main thread; what it returns is rebuilt in the sandbox realm on the way over. */
const hostRealm: Realm = {
  date: (ms) => new Date(ms),
  array: (items) => Array.from(items),
  sized: (n) => new Array(n),
  error: (message) => new Error(message),
};

/** 'SpreadsheetApp' for the top-level services, the class name for the objects they return. */
function serviceName(run: Execution, target: object, cls: string | undefined): string {
  for (const [n, s] of Object.entries(run.services)) if (s === target) return n;
  return run.labels.get(target) ?? cls ?? 'Object';
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
