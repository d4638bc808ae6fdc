// A send run stopped by the 6-minute limit (APPS-SCRIPT-SEMANTICS.md §0.9: "Exceeded maximum
// execution time", at the call where time runs out) leaves every request sent, queued or 要確認,
// and the next run carries on without sending anything twice (issue #16). The runtime's clock
// moves by each call's cost (local/runtime/costs.ts); a call held by rt.interleave while the world
// clock moves on plays a Gmail or Sheets call that took minutes.
import { describe, expect, it } from 'vitest';
import type { Runtime } from '../../local/runtime/runtime';
import { call, OWNER, ok, PT, records, sampleRuntime, tick, tickHandler } from '../helpers';

const DEPTS = ['市民課', '区政推進課', '情報政策課'];

/** A proposal presented to three departments while the quota was spent: three queued requests. */
function queued(): { rt: Runtime; id: string } {
  const rt = sampleRuntime();
  const id = ok(
    call<{ proposal: { id: string } }>(rt, 'apiCreateProposal', {
      kind: 'ユーザーの困りごと',
      perspective: '市民の目線',
      category: '行政手続きの場面等',
      painPoint: '転入届の待ち時間が長い',
      title: '転入手続きの事前予約',
      solution: 'オンラインで来庁予約',
      ptContact: PT,
      departments: DEPTS,
    }),
  ).proposal.id;
  rt.state.mail.dailyQuota = 0;
  const version = ok(call<{ version: string }>(rt, 'apiGetProposal', { id })).version;
  ok(call(rt, 'apiPresent', { id, version, departments: DEPTS, effectiveDate: '2025-11-20' }));
  rt.state.mail.dailyQuota = 100;
  expect(records(rt, '送信記録').map((r) => r.状態)).toEqual(['待機', '待機', '待機']);
  return { rt, id };
}

const states = (rt: Runtime) => records(rt, '送信記録').map((r) => r.状態);

/**
 * Every request in an allowed state; none sent twice; every 送信済 one in the outbox; every mail
 * in the outbox recorded 送信済, 要確認 or (right after a run died) 送信中.
 */
function checkMail(rt: Runtime, allowed: string[]) {
  const rows = records(rt, '送信記録');
  for (const r of rows) expect(allowed, `${r.キー} ${r.状態}`).toContain(r.状態);
  // Requests only: a report to the secretariat about a run that died is not a request.
  const requests = rt.state.outbox.filter((m) => m.to !== OWNER);
  const sent = requests.map((m) => `${m.to}|${m.subject}`);
  expect(new Set(sent).size, 'no request twice').toBe(sent.length);
  expect(requests.length).toBeGreaterThanOrEqual(rows.filter((r) => r.状態 === '送信済').length);
  expect(requests.length).toBeLessThanOrEqual(
    rows.filter((r) => ['送信済', '要確認', '送信中'].includes(r.状態!)).length,
  );
}

/** Runs the 10-minute trigger with the `skip`-th call of `method` taking six minutes; true if the run died. */
function runKilledAt(rt: Runtime, method: string, skip: number): boolean {
  rt.interleave(method, () => rt.advance(6 * 60_000), skip);
  try {
    tick(rt);
    return false;
  } catch (e) {
    expect((e as Error).message).toBe('Exceeded maximum execution time');
    expect(rt.lastExecution).toMatchObject({ fn: tickHandler(rt), outcome: 'timeout' });
    return true;
  } finally {
    rt.clearInterleaves();
  }
}

describe('a send run stopped by the time limit', () => {
  for (const k of [0, 1, 2]) {
    it(`dies at send ${k + 1} of 3: sent ones stay sent, that one becomes 要確認, the rest go out next run, none twice`, () => {
      const { rt } = queued();
      expect(runKilledAt(rt, 'MailApp.sendEmail', k)).toBe(true);
      expect(rt.state.outbox).toHaveLength(k);
      expect(states(rt)).toEqual(DEPTS.map((_, i) => (i < k ? '送信済' : i === k ? '送信中' : '待機')));
      checkMail(rt, ['送信済', '送信中', '待機']);
      rt.advance(8 * 60_000);
      tick(rt);
      expect(states(rt)).toEqual(DEPTS.map((_, i) => (i === k ? '要確認' : '送信済')));
      expect(rt.state.outbox).toHaveLength(2);
      checkMail(rt, ['送信済', '要確認']);
      rt.advance(10 * 60_000);
      tick(rt);
      expect(rt.state.outbox).toHaveLength(2);
    });
  }

  it('dies at each of its sheet writes and reads in turn: every request sent, queued or 要確認, and no duplicate after the next runs', () => {
    const schedules: string[] = [];
    for (const method of ['Range.setValues', 'Range.getValues']) {
      for (let k = 0; k < 60; k++) {
        const { rt } = queued();
        if (!runKilledAt(rt, method, k)) break;
        schedules.push(`${method}#${k + 1}`);
        checkMail(rt, ['送信済', '送信中', '待機']);
        for (let i = 0; i < 2; i++) {
          rt.advance(10 * 60_000);
          tick(rt);
        }
        checkMail(rt, ['送信済', '要確認']);
      }
    }
    // Both kinds of call were reached more than once in a send run.
    expect(schedules.filter((s) => s.startsWith('Range.setValues')).length).toBeGreaterThan(2);
    expect(schedules.filter((s) => s.startsWith('Range.getValues')).length).toBeGreaterThan(2);
    console.log(`send run killed at ${schedules.length} calls: ${schedules.join(', ')}`);
  });

  it('the secretariat resolves a 要確認 request by resending it: one more mail, then none', () => {
    const { rt, id } = queued();
    runKilledAt(rt, 'MailApp.sendEmail', 1);
    rt.advance(8 * 60_000);
    tick(rt);
    ok(call(rt, 'apiResolveMail', { key: `${id}|${DEPTS[1]}|依頼|1`, action: 'resend' }, OWNER));
    expect(rt.state.outbox.map((m) => m.to)).toEqual([
      'shimin@example.jp',
      'johoseisaku@example.jp',
      'kusei@example.jp',
    ]);
    rt.advance(10 * 60_000);
    tick(rt);
    expect(rt.state.outbox).toHaveLength(3);
  });
});
