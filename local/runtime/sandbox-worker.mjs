// One Apps Script execution at a time, on its own thread (see sandbox.ts for why). The add-on's code
// runs here in a fresh vm context per execution; every service call is sent to the main thread,
// which owns the workbook and the services, and this thread blocks until the answer comes back.
// Plain JS (not TS) so the worker starts without a loader under vitest, tsx and node alike.

import vm from 'node:vm';
import { receiveMessageOnPort, workerData } from 'node:worker_threads';

const { port, flags: sab } = workerData;
const flags = new Int32Array(sab);
const TO_MAIN = 0;
const TO_WORKER = 1;

function send(msg) {
  port.postMessage(msg);
  Atomics.store(flags, TO_MAIN, 1);
  Atomics.notify(flags, TO_MAIN);
}

function receive() {
  for (;;) {
    const got = receiveMessageOnPort(port);
    if (got) return got.message;
    Atomics.wait(flags, TO_WORKER, 0, 50);
    Atomics.store(flags, TO_WORKER, 0);
  }
}

const scripts = new Map();
const HANDLE = '__gasHandle';
const tag = (x) => Object.prototype.toString.call(x);

function runOnce(job) {
  if (job.code !== undefined) scripts.set(job.codeId, new vm.Script(job.code, { filename: 'Code.js' }));
  const script = scripts.get(job.codeId);
  const ctx = vm.createContext({});
  let clock = job.clock;
  let dead = false;
  ctx.__now = () => clock;
  vm.runInContext(
    `(() => { const D = Date; const now = __now;
      class ClockDate extends D { constructor(...a) { if (a.length === 0) super(now()); else super(...a); } static now() { return now(); } }
      globalThis.Date = ClockDate; })()`,
    ctx,
  );
  delete ctx.__now;
  const SDate = ctx.Date;
  const SArray = vm.runInContext('Array', ctx);
  const SObject = vm.runInContext('Object', ctx);
  const SError = vm.runInContext('Error', ctx);
  const stubs = new Map();
  const stubIds = new WeakMap();

  const sandboxError = (name, message) => {
    const e = new SError(message);
    e.name = name;
    return e;
  };

  // Values from the main thread, rebuilt with the sandbox's own constructors (§0.11).
  const toSandbox = (v) => {
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) {
      const a = new SArray(v.length);
      for (let i = 0; i < v.length; i++) a[i] = toSandbox(v[i]);
      return a;
    }
    if (tag(v) === '[object Date]') return new SDate(v.getTime());
    if (typeof v[HANDLE] === 'number') return stubFor(v);
    const o = new SObject();
    for (const k of Object.keys(v)) o[k] = toSandbox(v[k]);
    return o;
  };

  // Values going to the main thread: stubs become their handle ids; functions their source text.
  const fromSandbox = (v, seen = new Set()) => {
    if (typeof v === 'function')
      return stubIds.has(v) ? { [HANDLE]: stubIds.get(v) } : { __gasFunction: String(v) };
    if (v === null || typeof v !== 'object') return v;
    if (stubIds.has(v)) return { [HANDLE]: stubIds.get(v) };
    if (tag(v) === '[object Date]') return new Date(v.getTime());
    if (seen.has(v)) return null;
    seen.add(v);
    let out;
    if (Array.isArray(v)) out = Array.from(v, (x) => fromSandbox(x, seen));
    else {
      out = {};
      for (const k of Object.keys(v)) out[k] = fromSandbox(v[k], seen);
    }
    seen.delete(v);
    return out;
  };

  const call = (id, method, args) => {
    if (dead) throw sandboxError('Exception', 'Exceeded maximum execution time');
    send({ type: 'call', h: id, m: method, args: fromSandbox(args) });
    const res = receive();
    clock = res.t;
    if (res.dead) dead = true;
    if (!res.ok) throw sandboxError(res.name, res.message);
    return toSandbox(res.v);
  };

  function stubFor(desc) {
    const id = desc[HANDLE];
    let stub = stubs.get(id);
    if (stub) return stub;
    stub = new SObject();
    for (const m of desc.m ?? []) {
      stub[m] = (...args) => call(id, m, args);
    }
    if (desc.p) for (const k of Object.keys(desc.p)) stub[k] = toSandbox(desc.p[k]);
    stubs.set(id, stub);
    stubIds.set(stub, id);
    return stub;
  }

  for (const [name, desc] of Object.entries(job.globals)) ctx[name] = toSandbox(desc);
  const log = (...a) => {
    send({ type: 'log', text: a.map(String).join(' ') });
    receive();
  };
  ctx.console = { log, error: log, warn: log, info: log };

  try {
    script.runInContext(ctx);
    const f = ctx[job.fn];
    if (typeof f !== 'function') return { type: 'done', notFound: true };
    const value = f(...toSandbox(job.args));
    return { type: 'done', ok: true, value: fromSandbox(value), dead };
  } catch (e) {
    const err =
      e && typeof e === 'object'
        ? { name: String(e.name ?? 'Error'), message: String(e.message ?? e), stack: String(e.stack ?? '') }
        : { name: 'Error', message: String(e), stack: '' };
    return { type: 'done', ok: false, error: err, dead };
  }
}

for (;;) {
  const job = receive();
  if (job.type === 'exit') break;
  let out;
  try {
    out = runOnce(job);
  } catch (e) {
    out = { type: 'done', ok: false, error: { name: 'Error', message: String(e?.message ?? e), stack: '' } };
  }
  send(out);
}
