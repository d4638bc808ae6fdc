// Contract tests: executions overlap as on Apps Script (APPS-SCRIPT-SEMANTICS.md §3, §15
// "Concurrency"). Each execution runs on its own thread and stops at every service call; the test
// chooses who goes on (rt.step, rt.runUntil, a schedule order, or a seed), or lets the clocks decide.
import { describe, expect, it } from 'vitest';
import { COST } from '../../local/runtime/costs';
import { typeInto } from '../../local/runtime/people';
import { OWNER, PT, run, scriptRuntime } from '../helpers';

const SETUP = `
function sheet() { var ss = SpreadsheetApp.getActiveSpreadsheet(); return ss.getSheetByName('T') || ss.insertSheet('T'); }
function tryIt(f) { try { return f(); } catch (e) { return e.name + ': ' + e.message; } }
/** Holds the script lock for ms of its clock, writing before letting go. */
function hold(ms) { var l = LockService.getScriptLock(); l.waitLock(1000); Utilities.sleep(ms); sheet().getRange('A1').setValue('held'); SpreadsheetApp.flush(); l.releaseLock(); return 'done'; }
function wait(ms) { var l = LockService.getScriptLock(); var t = Date.now(); var got = l.tryLock(ms); return [got, Date.now() - t]; }
function waitHard(ms) { var l = LockService.getScriptLock(); return tryIt(function () { l.waitLock(ms); return 'got'; }); }
/** Read, then write one more: a lost update when two run between each other's read and write. */
function bump() { var r = sheet().getRange('B1'); var n = Number(r.getValue() || 0); r.setValue(n + 1); return n + 1; }
`;
const rtWith = (code = '') => scriptRuntime(SETUP + code);
const as = { mode: 'script' as const, activeUser: OWNER };

describe('LockService across overlapping executions (§3, §15)', () => {
  it('§3 D / §15: a waiter gets the lock when the holder lets go within its timeout; its clock moved by the wait', () => {
    const rt = rtWith();
    run(rt, 'sheet');
    const holder = rt.start('hold', as, () => [5000]);
    rt.runUntil(holder, 'Utilities.sleep');
    const waiter = rt.start('wait', as, () => [20_000]);
    rt.settle();
    expect(rt.result(holder)).toBe('done');
    const [got, waited] = rt.result<[boolean, number]>(waiter);
    expect(got).toBe(true);
    // It waited while the holder slept 5 s, wrote, flushed and let go.
    expect(waited).toBeGreaterThanOrEqual(5000);
    expect(waited).toBeLessThan(5000 + 200);
    expect(rt.workbook.sheet('T')!.cell(0, 0)?.v).toBe('held');
  });

  it('§3 D/R: when the holder keeps the lock longer, tryLock returns false after its timeout and waitLock throws the platform’s error', () => {
    const rt = rtWith();
    run(rt, 'sheet');
    const holder = rt.start('hold', as, () => [60_000]);
    rt.runUntil(holder, 'Utilities.sleep');
    const soft = rt.start('wait', as, () => [20_000]);
    const hard = rt.start('waitHard', as, () => [20_000]);
    rt.settle();
    const [got, waited] = rt.result<[boolean, number]>(soft);
    expect(got).toBe(false);
    expect(waited).toBe(20_000 + Math.floor(COST.lock));
    expect(rt.result(hard)).toBe(
      'Exception: Lock timeout: another process was holding the lock for too long.',
    );
    expect(rt.result(holder)).toBe('done');
  });

  it('§3 D: the lock is let go when its execution ends, even without releaseLock', () => {
    const rt = rtWith(
      `function keep() { LockService.getScriptLock().waitLock(100); Utilities.sleep(3000); }`,
    );
    const a = rt.start('keep', as);
    rt.runUntil(a, 'Utilities.sleep');
    const b = rt.start('wait', as, () => [10_000]);
    rt.settle();
    expect(rt.result<[boolean, number]>(b)[0]).toBe(true);
  });

  it('§3 D: script, user and document locks are different locks; the user lock is per user; the document lock is null in a web app', () => {
    const rt = rtWith(`
      function takeAll() { LockService.getScriptLock().waitLock(10); LockService.getUserLock().waitLock(10); LockService.getDocumentLock().waitLock(10); Utilities.sleep(60000); sheet(); }
      function probe() { return [LockService.getScriptLock().tryLock(0), LockService.getUserLock().tryLock(0), LockService.getDocumentLock().tryLock(0)]; }
      function scriptOnly() { LockService.getScriptLock().waitLock(10); Utilities.sleep(60000); sheet(); }
      function others() { return [LockService.getUserLock().tryLock(0), LockService.getDocumentLock().tryLock(0)]; }
      function web() { return LockService.getDocumentLock() === null; }`);
    // The holder is held inside its sleep call (rt.interleave) while the others ask.
    let others: unknown;
    rt.interleave('Utilities.sleep', () => {
      others = run(rt, 'others');
    });
    run(rt, 'scriptOnly');
    expect(others).toEqual([true, true]);
    let pt: unknown;
    let same: unknown;
    rt.interleave('Utilities.sleep', () => {
      // Another user: the script and document locks are taken, their own user lock is free.
      pt = run(rt, 'probe', { activeUser: PT });
      // The same user: their user lock is taken too.
      same = run(rt, 'probe');
    });
    run(rt, 'takeAll');
    expect(pt).toEqual([false, true, false]);
    expect(same).toEqual([false, false, false]);
    expect(run(rt, 'web', { mode: 'web' })).toBe(true);
    expect(run(rt, 'web', { mode: 'menu' })).toBe(false);
  });

  it('rt.interleave holds the execution at that call while the hook runs: a waiter in the hook times out, and the held call ends after it', () => {
    const rt = rtWith();
    run(rt, 'sheet');
    let inside: unknown;
    rt.interleave('Range.setValue', () => {
      inside = run(rt, 'wait', { activeUser: PT }, [1000]);
    });
    expect(run(rt, 'hold', {}, [0])).toBe('done');
    expect(inside).toEqual([false, 1000 + Math.floor(COST.lock)]);
    const holder = rt.executions.find((r) => r.fn === 'hold')!;
    const waiter = rt.executions.find((r) => r.fn === 'wait')!;
    expect(waiter.estimatedMs).toBeGreaterThan(1000);
    expect(holder.estimatedMs).toBeGreaterThan(waiter.estimatedMs);
  });
});

describe('rt.interleave hooks', () => {
  it('a hook that fails (an expectation in a test) fails the test, even when the script catches the call’s error', () => {
    const rt = rtWith(
      `function swallow() { try { Utilities.sleep(1); } catch (e) { return 'caught'; } return 'ran'; }`,
    );
    rt.interleave('Utilities.sleep', () => {
      throw new Error('expectation inside the hook');
    });
    expect(() => run(rt, 'swallow')).toThrow('expectation inside the hook');
    // Later runs are not affected.
    expect(run(rt, 'swallow')).toBe('ran');
  });
});

describe('choosing the interleaving (§15: each execution on its own, two can run at once)', () => {
  it('an explicit order at service-call boundaries shows a lost update; one after the other does not', () => {
    const rt = rtWith();
    run(rt, 'sheet');
    const a = rt.start('bump', as, () => [], 'a');
    const b = rt.start('bump', as, () => [], 'b');
    // Each: getActiveSpreadsheet, getSheetByName, getRange, getValue, setValue. Both read 0.
    rt.setSchedule({ order: ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b', 'a', 'b'] });
    rt.settle();
    expect([rt.result(a), rt.result(b)]).toEqual([1, 1]);
    expect(rt.workbook.sheet('T')!.cell(0, 1)?.v).toBe(1);

    const c = rt.start('bump', as, () => [], 'c');
    rt.runUntil(c, 'Range.setValue');
    rt.step(c);
    const d = rt.start('bump', as, () => [], 'd');
    rt.settle();
    expect([rt.result(c), rt.result(d)]).toEqual([2, 3]);
  });

  it('a seeded random schedule is reproducible from its seed, and different seeds find both outcomes', () => {
    const outcome = (seed: number) => {
      const rt = rtWith();
      run(rt, 'sheet');
      rt.setSchedule({ seed });
      rt.start('bump', as, () => [], 'a');
      rt.start('bump', as, () => [], 'b');
      rt.settle();
      return rt.workbook.sheet('T')!.cell(0, 1)?.v;
    };
    const seen = new Map<number, unknown>();
    for (let seed = 1; seed <= 12; seed++) seen.set(seed, outcome(seed));
    for (const [seed, v] of seen) expect(outcome(seed), `seed ${seed}`).toBe(v);
    expect(new Set(seen.values())).toEqual(new Set([1, 2]));
  });

  it('by default the earliest clock goes first: a short execution started later ends before a long one', () => {
    const rt = rtWith(
      `function slow() { Utilities.sleep(10000); return Date.now(); } function fast() { Utilities.sleep(10); return Date.now(); }`,
    );
    const slow = rt.start('slow', as);
    const fast = rt.start('fast', as);
    rt.settle();
    expect(rt.result<number>(fast)).toBeLessThan(rt.result<number>(slow));
    expect(rt.executions.map((r) => r.fn)).toEqual(['slow', 'fast']);
  });
});

describe('an edit’s triggers (§2.2, §15: onEdit and onChange are separate executions, no documented order)', () => {
  const TRIGGERS = `
    function install() { var ss = SpreadsheetApp.getActive(); sheet(); ScriptApp.newTrigger('onEditH').forSpreadsheet(ss).onEdit().create(); ScriptApp.newTrigger('onChangeH').forSpreadsheet(ss).onChange().create(); }
    function note(what) { var p = PropertiesService.getScriptProperties(); p.setProperty('log', (p.getProperty('log') || '') + what + ';'); }
    function mark(what) { PropertiesService.getScriptProperties().setProperty(what, 'yes'); }
    function onEditH(e) { var l = LockService.getScriptLock(); if (!l.tryLock(20000)) { mark('edit-busy'); throw new Error('busy'); } note('edit'); l.releaseLock(); }
    function onChangeH(e) { var l = LockService.getScriptLock(); if (!l.tryLock(20000)) { mark('change-busy'); throw new Error('busy'); } note('change:' + e.changeType); l.releaseLock(); }`;
  const log = (rt: ReturnType<typeof rtWith>) => rt.state.properties.script.log;

  it('run as two executions, onEdit first or onChange first as the runtime is told', () => {
    const rt = rtWith(TRIGGERS);
    run(rt, 'install', { mode: 'menu' });
    typeInto(rt, 'T!A1', [['x']], { user: PT });
    expect(log(rt)).toBe('edit;change:EDIT;');
    expect(rt.executions.slice(-2).map((r) => [r.fn, r.mode, r.outcome])).toEqual([
      ['onEditH', 'installable', 'ok'],
      ['onChangeH', 'installable', 'ok'],
    ]);
    rt.state.properties.script.log = '';
    rt.setTriggerOrder('change-first');
    typeInto(rt, 'T!A2', [['y']], { user: PT });
    expect(log(rt)).toBe('change:EDIT;edit;');
  });

  it('drawn from a seed: both orders occur, each reproducible', () => {
    const order = (seed: number) => {
      const rt = rtWith(TRIGGERS);
      run(rt, 'install', { mode: 'menu' });
      rt.setTriggerOrder({ seed });
      typeInto(rt, 'T!A1', [['x']], { user: PT });
      return log(rt);
    };
    const seen = new Set<string | undefined>();
    for (let seed = 1; seed <= 10; seed++) {
      const o = order(seed);
      expect(order(seed)).toBe(o);
      seen.add(o);
    }
    expect(seen).toEqual(new Set(['edit;change:EDIT;', 'change:EDIT;edit;']));
  });

  it('an edit during a save that lets go in time: its triggers wait for the lock, then run', () => {
    const rt = rtWith(TRIGGERS);
    run(rt, 'install', { mode: 'menu' });
    const save = rt.start('hold', as, () => [5000]);
    rt.runUntil(save, 'Utilities.sleep');
    typeInto(rt, 'T!A3', [['z']], { user: PT });
    expect(save.done).toBe(true);
    expect(log(rt)).toBe('edit;change:EDIT;');
  });

  it('an edit during a save that keeps the lock past 20 s: both triggers fail their tryLock(20000), logged, not thrown at the editor', () => {
    const rt = rtWith(TRIGGERS);
    run(rt, 'install', { mode: 'menu' });
    const save = rt.start('hold', as, () => [60_000]);
    rt.runUntil(save, 'Utilities.sleep');
    typeInto(rt, 'T!A3', [['z']], { user: PT });
    expect(log(rt)).toBeUndefined();
    expect(rt.state.properties.script).toMatchObject({ 'edit-busy': 'yes', 'change-busy': 'yes' });
    expect(rt.executions.slice(-2).map((r) => [r.fn, r.outcome])).toEqual([
      ['onEditH', 'error'],
      ['onChangeH', 'error'],
    ]);
    expect(rt.logs.filter((l) => l.includes('busy'))).toHaveLength(2);
    rt.settle();
    expect(rt.result(save)).toBe('done');
  });
});
