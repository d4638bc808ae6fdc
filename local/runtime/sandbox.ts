// Threads for executions, so that executions can overlap as they do on Apps Script.
//
// Why threads: the add-on is synchronous code run through node:vm. An execution that makes a service
// call must be able to stop there while another execution goes on (the holder of a lock keeps
// working while a trigger waits for it), and resume later. One thread cannot hold two suspended
// synchronous stacks (no fibers in Node), and re-running code up to a point (replay) breaks as soon
// as the workbook changed in between. So each execution runs on a worker thread
// (sandbox-worker.mjs) with its own vm context, and every service call is a synchronous message to
// the main thread (postMessage + Atomics.wait/notify + receiveMessageOnPort). The main thread owns
// the one workbook, the state and the services; it answers one call at a time and chooses which
// waiting execution goes next (see Runtime: the schedule). Threads are pooled and reused: a new
// execution still gets a fresh vm context (§0.7).
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';

const TO_MAIN = 0;
const TO_WORKER = 1;
/** A worker that says nothing for this long is stuck (an endless loop in the script): give up. */
const STUCK_MS = 120_000;

export type FromWorker =
  | { type: 'call'; h: number; m: string; args: unknown[] }
  | { type: 'log'; text: string }
  | {
      type: 'done';
      ok?: boolean;
      notFound?: boolean;
      value?: unknown;
      dead?: boolean;
      error?: { name: string; message: string; stack: string };
    };

export class Slot {
  private readonly flags = new Int32Array(new SharedArrayBuffer(8));
  private readonly port: MessagePort;
  private readonly worker: Worker;
  /** Scripts this worker has compiled, by code id. */
  readonly compiled = new Set<number>();
  busy = false;
  /** Set once the worker was stopped: it is never used again. */
  gone = false;

  constructor() {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(new URL('./sandbox-worker.mjs', import.meta.url), {
      workerData: { port: port2, flags: this.flags.buffer },
      transferList: [port2],
    });
    this.worker.unref();
  }

  /** Sends `msg` and blocks until the worker answers (its next service call, or the end of the run). */
  exchange(msg: unknown): FromWorker {
    this.port.postMessage(msg);
    Atomics.store(this.flags, TO_WORKER, 1);
    Atomics.notify(this.flags, TO_WORKER);
    const started = Date.now();
    for (;;) {
      const got = receiveMessageOnPort(this.port);
      if (got) return got.message as FromWorker;
      if (Date.now() - started > STUCK_MS) {
        this.discard();
        throw new Error('The script did not answer for two minutes (an endless loop?)');
      }
      Atomics.wait(this.flags, TO_MAIN, 0, 50);
      Atomics.store(this.flags, TO_MAIN, 0);
    }
  }

  /** Stops the worker (stuck, or its execution was dropped unfinished) and leaves the pool. */
  discard() {
    if (this.gone) return;
    this.gone = true;
    void this.worker.terminate();
    const i = pool.indexOf(this);
    if (i >= 0) pool.splice(i, 1);
  }
}

const pool: Slot[] = [];

/**
 * An execution a test started and dropped without running it to its end holds a worker that waits
 * for an answer forever: once that execution is garbage, the worker is stopped.
 */
const dropped = new FinalizationRegistry<Slot>((slot) => slot.discard());

export function takeSlot(owner: object): Slot {
  const free = pool.find((s) => !s.busy) ?? new Slot();
  if (!pool.includes(free)) pool.push(free);
  free.busy = true;
  dropped.register(owner, free, free);
  return free;
}

export function releaseSlot(slot: Slot) {
  dropped.unregister(slot);
  slot.busy = false;
}

const codeIds = new Map<string, number>();
export function codeId(code: string): number {
  let id = codeIds.get(code);
  if (id === undefined) codeIds.set(code, (id = codeIds.size + 1));
  return id;
}
