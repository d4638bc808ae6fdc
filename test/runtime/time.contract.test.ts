// Contract tests: executions take time as on Apps Script. Each service call moves the execution's
// clock by its cost (local/runtime/costs.ts, figures from APPS-SCRIPT-SEMANTICS.md §15), sleeping
// takes the time asked, and an execution past its limit (§0.9) dies at that call, keeping what it
// did before.
import { describe, expect, it } from 'vitest';
import { COST, flushCost } from '../../local/runtime/costs';
import { OWNER, run, SEED_NOW, scriptRuntime } from '../helpers';

const SETUP = `
function sheet() { var ss = SpreadsheetApp.getActiveSpreadsheet(); return ss.getSheetByName('T') || ss.insertSheet('T'); }
function tryIt(f) { try { return f(); } catch (e) { return e.name + ': ' + e.message; } }
`;
const rtWith = (code: string) => scriptRuntime(SETUP + code);
const start = Date.parse(SEED_NOW);

describe('costs of service calls (§15)', () => {
  it('§15 R (developreference 29263774, googleappsscript.blogspot 2010/06): a read after writes pays a flush; alternating reads and writes pays one each time', () => {
    const rt = rtWith(`
      function prepare() { sheet(); }
      function batched() { var s = sheet(); for (var i = 1; i <= 3; i++) s.getRange(i, 1, 1, 4).setValues([[1, 2, 3, 4]]); for (var j = 1; j <= 3; j++) s.getRange(j, 1, 1, 4).getValues(); }
      function alternating() { var s = sheet(); for (var i = 1; i <= 3; i++) { s.getRange(i, 1, 1, 4).setValues([[1, 2, 3, 4]]); s.getRange(i, 1, 1, 4).getValues(); } }`);
    run(rt, 'prepare');
    run(rt, 'batched');
    const batched = rt.lastExecution!;
    run(rt, 'alternating');
    const alternating = rt.lastExecution!;
    for (const r of [batched, alternating]) {
      expect(r).toMatchObject({ readRoundTrips: 3, cellsRead: 12, cellsWritten: 12, outcome: 'ok' });
    }
    // Both flush 12 cells in all; alternating pays the flush's fixed part twice more.
    expect(alternating.estimatedMs - batched.estimatedMs).toBeCloseTo(2 * COST.flush, 6);
    expect(alternating.calls).toBe(batched.calls);
  });

  it('§15 R (developreference 29263774): 2,600 cells written then read back cost one setValues, one flush, one read', () => {
    const rt = rtWith(`
      function big() { var s = sheet(); var rows = []; for (var i = 0; i < 100; i++) { var r = []; for (var j = 0; j < 26; j++) r.push(i * j); rows.push(r); }
        var range = s.getRange(1, 1, 100, 26); range.setValues(rows); return range.getValues().length; }`);
    expect(run(rt, 'big')).toBe(100);
    const r = rt.lastExecution!;
    expect(r).toMatchObject({ cellsWritten: 2600, cellsRead: 2600, readRoundTrips: 1, calls: 6 });
    const expected =
      3 * COST.local + // getActiveSpreadsheet, getSheetByName, getRange
      COST.write + // insertSheet
      COST.write +
      2600 * COST.writePerCell + // setValues
      flushCost(2600) + // forced by the read
      COST.read +
      2600 * COST.readPerCell;
    expect(r.estimatedMs).toBeCloseTo(expected, 6);
  });

  it('§15 R (ziritione.org apps_script_performance): a Properties read costs about 30 ms and a write about 62 ms', () => {
    const rt = rtWith(
      `function t() { var p = PropertiesService.getScriptProperties(); p.setProperty('a', '1'); p.getProperty('a'); }`,
    );
    run(rt, 't');
    expect(rt.lastExecution!.estimatedMs).toBeCloseTo(
      COST.local + COST.propertiesWrite + COST.propertiesRead,
      6,
    );
  });

  it('§0.11 I / §15: new Date() inside follows the execution clock, which the calls before it moved; Dates returned are the sandbox’s', () => {
    const rt = rtWith(
      `function t() { var s = sheet(); s.getRange('A1').setValue('2025/11/25'); var v = s.getRange('A1').getValue(); return [v instanceof Date, Date.now() - ${start}, Date.now() === new Date().getTime()]; }`,
    );
    const [isDate, elapsed, same] = run<[boolean, number, boolean]>(rt, 't');
    expect(isDate).toBe(true);
    expect(same).toBe(true);
    expect(elapsed).toBe(Math.floor(rt.lastExecution!.estimatedMs));
    expect(elapsed).toBeGreaterThanOrEqual(Math.floor(COST.read + COST.flush));
    // The world's clock has moved on by the execution's duration.
    expect(rt.now()).toBe(start + rt.lastExecution!.estimatedMs);
  });

  it('the runtime reports each execution: estimated duration, calls, read round trips, cells read and written', () => {
    const rt = rtWith(
      `function t() { sheet().getRange('A1:B2').setValues([[1, 2], [3, 4]]); return sheet().getRange('A1:B1').getValues(); }`,
    );
    run(rt, 't');
    expect(rt.executions).toHaveLength(1);
    expect(rt.lastExecution).toMatchObject({
      fn: 't',
      mode: 'script',
      calls: 9,
      readRoundTrips: 1,
      cellsRead: 2,
      cellsWritten: 4,
      outcome: 'ok',
      startedAt: new Date(start).toISOString(),
    });
    expect(rt.lastExecution!.estimatedMs).toBeGreaterThan(COST.read + COST.flush);
  });
});

describe('Utilities.sleep and the time limit (§0.9, §10)', () => {
  it('§10 D: sleep(ms) takes ms of the execution’s time', () => {
    const rt = rtWith(`function t() { var a = Date.now(); Utilities.sleep(1500); return Date.now() - a; }`);
    expect(run(rt, 't')).toBe(1500);
    expect(rt.lastExecution!.estimatedMs).toBeCloseTo(1500 + COST.local, 6);
  });

  it('§0.9 D/R (quotas page; mail-merge-for-gmail#163): three sleep(300000) die at the second with "Exceeded maximum execution time"; what was written and sent before stays', () => {
    const rt = rtWith(`function t() {
      sheet().getRange('A1').setValue('before');
      MailApp.sendEmail('someone@example.jp', 's', 'b');
      Utilities.sleep(300000);
      sheet().getRange('A2').setValue('between');
      Utilities.sleep(300000);
      sheet().getRange('A3').setValue('after');
      Utilities.sleep(300000);
    }`);
    expect(() => run(rt, 't')).toThrow(/^Exceeded maximum execution time$/);
    const model = rt.workbook.sheet('T')!;
    expect([model.cell(0, 0)?.v, model.cell(1, 0)?.v, model.cell(2, 0)?.v ?? '']).toEqual([
      'before',
      'between',
      '',
    ]);
    expect(rt.state.outbox.map((m) => m.to)).toEqual(['someone@example.jp']);
    expect(rt.lastExecution).toMatchObject({ outcome: 'timeout', estimatedMs: 360_000 });
    expect(rt.now()).toBe(start + 360_000);
  });

  it('§0.9 D: the error is an Exception; catching it does not revive the execution (later calls fail, nothing more is written)', () => {
    const rt = rtWith(`function t() {
      var caught = tryIt(function () { Utilities.sleep(300000); Utilities.sleep(300000); });
      PropertiesService.getScriptProperties().setProperty('caught', caught);
      return caught;
    }`);
    let thrown: unknown;
    try {
      run(rt, 't');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({ name: 'Exception', message: 'Exceeded maximum execution time' });
    expect(rt.state.properties.script.caught).toBeUndefined();
  });

  it('§0.9 D (simple-triggers guide): a simple trigger stops at 30 seconds', () => {
    const rt = rtWith(`function t() { Utilities.sleep(20000); Utilities.sleep(20000); }`);
    expect(() => run(rt, 't', { mode: 'simple' })).toThrow('Exceeded maximum execution time');
    expect(rt.lastExecution).toMatchObject({ outcome: 'timeout', estimatedMs: 30_000 });
    // The same calls as an installable trigger finish.
    run(rt, 't', { mode: 'installable', activeUser: OWNER });
    expect(rt.lastExecution).toMatchObject({ outcome: 'ok' });
  });

  it('§0.9: a write whose cost passes the limit is not made; the execution dies at it', () => {
    // Up to the setValues: getActiveSpreadsheet, getSheetByName, insertSheet, two sleeps, then
    // getActiveSpreadsheet, getSheetByName, getRange; the second sleep leaves 1 ms before setValues.
    const before = 300_000 + 7 * COST.local + COST.write;
    const rt = rtWith(
      `function t() { sheet(); Utilities.sleep(300000); Utilities.sleep(${360_000 - before - 1}); sheet().getRange('A1:Z1').setValues([[${Array(26).fill(1).join(',')}]]); }`,
    );
    expect(() => run(rt, 't')).toThrow('Exceeded maximum execution time');
    expect(rt.workbook.sheet('T')!.cell(0, 0)?.v ?? '').toBe('');
  });
});
