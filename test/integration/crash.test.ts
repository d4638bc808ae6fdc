// A save killed at each of its service calls in turn (as the platform may stop an execution at any
// call) leaves a state the next run finishes or undoes: the register, its history and the
// accepted state are then exactly as before the save or exactly as after it, never between, and
// no ID is burned.
import { describe, expect, it } from 'vitest';
import type { Runtime } from '../../local/runtime/runtime';
import { call, daily, OWNER, ok, PT, records, registerProps, sampleRuntime, tick } from '../helpers';

type Save = (rt: Runtime) => unknown;

const version = (rt: Runtime, id: string) =>
  ok(call<{ version: string }>(rt, 'apiGetProposal', { id }, OWNER)).version;

const SAVES: [string, Save][] = [
  [
    'a new proposal presented to a department',
    (rt) =>
      ok(
        call(rt, 'apiCreateProposal', {
          kind: '職員の困りごと',
          painPoint: '出張精算が紙',
          category: '業務効率に関すること',
          title: '出張精算の電子化',
          departments: ['会計室'],
        }),
      ),
  ],
  [
    'a consultation recorded (① → ②, a 協議記録 row)',
    (rt) =>
      ok(
        call(rt, 'apiRecordConsultation', {
          id: 'R7-U03',
          version: version(rt, 'R7-U03'),
          department: '保護課',
          date: 'R7.11.24',
          attendees: 'PT 田中、保護課 係長',
          summary: '申請のオンライン化を協議',
        }),
      ),
  ],
  [
    'a new 年度 started (設定 年度 and 33 継続検討 rows)',
    (rt) => ok(call(rt, 'apiStartFiscalYear', { fiscalYear: 2026 }, OWNER)),
  ],
];

/** Everything a save may change, as people see it, plus the IDs recorded as issued. */
function snapshot(rt: Runtime) {
  const props = registerProps(rt);
  return {
    proposals: records(rt, '課題一覧'),
    progress: records(rt, '所管課別進捗'),
    consultations: records(rt, '協議記録'),
    history: records(rt, '変更履歴').length,
    issued: Object.fromEntries(
      Object.entries(props).filter(([k]) => k.startsWith('ISSUED:') || k.startsWith('FISCAL_YEAR_STARTED:')),
    ),
    settings: records(rt, '設定'),
  };
}

describe('a save killed at every service call', () => {
  for (const [what, save] of SAVES) {
    it(`${what}: the next run finishes it or undoes it`, () => {
      const base = sampleRuntime();
      // The version read is a call of its own, made before the save proper.
      const before = snapshot(base);
      const dry = sampleRuntime();
      dry.calls.clear();
      save(dry);
      const after = snapshot(dry);
      expect(after).not.toEqual(before);
      const plan = [...dry.calls].flatMap(([method, n]) =>
        Array.from({ length: n }, (_, k) => [method, k] as const),
      );
      expect(plan.length).toBeGreaterThan(15);
      const outcomes = { before: 0, after: 0 };
      for (const [method, skip] of plan) {
        const rt = sampleRuntime();
        // The call takes six minutes: the execution dies there with the platform's error, and
        // what it wrote and sent before stays (the runtime's time limit, issue #16).
        rt.interleave(method, () => rt.advance(6 * 60_000), skip);
        let killed = false;
        try {
          save(rt);
        } catch (e) {
          killed = true;
          expect((e as Error).message).toContain('Exceeded maximum execution time');
        }
        // The next run (the 10-minute trigger) finds the journal and finishes or undoes the commit.
        tick(rt);
        const now = snapshot(rt);
        const which = JSON.stringify(now) === JSON.stringify(before) ? 'before' : 'after';
        expect(now, `killed at ${method} #${skip + 1} (${killed ? 'died' : 'not reached'})`).toEqual(
          which === 'before' ? before : after,
        );
        outcomes[which]++;
        // The ledger verifies: no history break and no tampered store is reported. (The add-on's
        // hourly run above already did the day's check, after its repair; this run adds nothing.)
        daily(rt);
        expect(rt.state.outbox.filter((m) => m.subject.includes('改ざん'))).toEqual([]);
        // And the register goes on: the next save works.
        ok(call(rt, 'apiSearch', { query: '' }, PT));
      }
      expect(outcomes.before).toBeGreaterThan(0);
      expect(outcomes.after).toBeGreaterThan(0);
      console.log(
        `${what}: ${plan.length} kill points; ${outcomes.before} undone, ${outcomes.after} finished`,
      );
    }, 240_000);
  }
});
