// At most once, wherever the platform stops a run: presenting (queue, claim, send, record) is
// killed at each service call in turn, then the 10-minute trigger runs twice. Each department gets
// its request at most once, only at its address in 所管課; a request left unsent is either 要確認
// (the secretariat decides) or, when nothing was queued, not presented at all; 送信記録 ends
// consistent with what the add-on recorded.
import { describe, expect, it } from 'vitest';
import { typeInto } from '../../local/runtime/people';
import type { Runtime } from '../../local/runtime/runtime';
import { SheetModel, WorkbookModel } from '../../local/runtime/workbook';
import { call, newRuntime, OWNER, ok, records, setUp, tick } from '../helpers';

const DEPARTMENTS = [
  ['市民課', 'shimin@example.jp'],
  ['区政推進課', 'kusei@example.jp'],
] as const;

/**
 * Sent and recorded; sent or not but stopped before the outcome was recorded (要確認: never resent
 * automatically, the secretariat decides); or not presented, its request — if queued before the
 * stop — cancelled (取消).
 */
const OUTCOMES = [
  'sent:送信済:①',
  'sent:要確認:①',
  'unsent:要確認:①',
  'unsent:no row:未提示',
  'unsent:取消:未提示',
];

/** A register with two departments and one proposal, not yet presented. */
function build() {
  const rt = newRuntime();
  setUp(rt);
  DEPARTMENTS.forEach(([name, email], i) =>
    typeInto(rt, `所管課!A${i + 2}`, [[name, '', email, 'TRUE']], { user: OWNER }),
  );
  const id = ok(
    call<{ proposal: { id: string } }>(
      rt,
      'apiCreateProposal',
      {
        kind: 'ユーザーの困りごと',
        perspective: '市民の目線',
        category: '行政手続きの場面等',
        painPoint: '転入届の待ち時間が長い',
        title: '転入手続きの事前予約',
        solution: 'オンラインで来庁予約',
        ptContact: OWNER,
        departments: DEPARTMENTS.map(([d]) => d),
      },
      OWNER,
    ),
  ).proposal.id;
  const version = ok(call<{ version: string }>(rt, 'apiGetProposal', { id }, OWNER)).version;
  return { rt, id, version };
}

let built: ReturnType<typeof build> | undefined;
/** A fresh copy of that register, as if its .xlsx were opened again. */
function base() {
  built ??= build();
  const from = built.rt;
  const wb = new WorkbookModel(from.workbook.id, from.workbook.name, from.workbook.owner);
  Object.assign(wb, {
    timeZone: from.workbook.timeZone,
    locale: from.workbook.locale,
    nextSheetId: from.workbook.nextSheetId,
    nextObjectId: from.workbook.nextObjectId,
  });
  for (const s of from.workbook.sheets) {
    const copy = new SheetModel(s.id, s.name);
    Object.assign(copy, structuredClone({ ...s }));
    wb.sheets.push(copy);
  }
  const rt = newRuntime({ workbook: wb, state: structuredClone(from.state) });
  return { rt, id: built.id, version: built.version };
}

/**
 * Every service call from the k-th on fails, as when the platform stops the execution there.
 * Returns a function that ends the failing and gives the method names of the calls made.
 */
function killFrom(rt: Runtime, k: number): () => string[] {
  const made: string[] = [];
  const calls = rt.calls as Map<string, number>;
  Object.defineProperty(calls, 'set', {
    configurable: true,
    value(key: string, value: number) {
      if (made.length + 1 >= k) throw new Error('Exceeded maximum execution time');
      made.push(key);
      return Map.prototype.set.call(calls, key, value);
    },
  });
  return () => {
    Reflect.deleteProperty(calls, 'set');
    return made;
  };
}

function presentKilledAt(k: number) {
  const { rt, id, version } = base();
  const revive = killFrom(rt, k);
  let died = false;
  try {
    call(rt, 'apiPresent', { id, version, departments: DEPARTMENTS.map(([d]) => d) }, OWNER);
  } catch {
    died = true;
  }
  const made = revive();
  rt.advance(8 * 60_000);
  tick(rt);
  rt.advance(10 * 60_000);
  tick(rt);
  return { rt, id, died, made };
}

/**
 * Stopping before a read leaves what stopping before the next write leaves: the runs to try are
 * those stopped at each call that changes something (a cell, a property, an email), and none.
 */
const CHANGES = /\.(set[A-Z]\w*|deleteProperty|sendEmail|insert\w*|delete[A-Z]\w*|append\w*|clear\w*)$/;

describe('sending killed at every service call', () => {
  it('never sends twice, never elsewhere, and leaves nothing half-done', () => {
    const { made, died } = presentKilledAt(Number.POSITIVE_INFINITY);
    expect(died).toBe(false);
    const stops = made.flatMap((m, i) => (CHANGES.test(m) ? [i + 1] : []));
    expect(made.filter((m) => m === 'MailApp.sendEmail')).toHaveLength(2);
    expect(stops.length).toBeGreaterThan(10);
    const outcomes = new Map<string, number>();
    for (const k of [...stops, Number.POSITIVE_INFINITY]) {
      const { rt, id } = presentKilledAt(k);
      const requests = rt.state.outbox.filter((m) => m.subject.includes('協議依頼'));
      // Besides requests, at most a note to the secretariat of a row put back after the stop.
      const others = rt.state.outbox.filter((m) => !m.subject.includes('協議依頼'));
      expect(
        others.map((m) => [m.to, m.subject]),
        `k=${k}`,
      ).toEqual(others.length ? [[OWNER, '【プラチナ提案台帳】送信記録の変更を確認してください']] : []);
      const log = records(rt, '送信記録');
      const progress = records(rt, '所管課別進捗').filter((r) => r.ID === id);
      for (const [department, email] of DEPARTMENTS) {
        const got = requests.filter((m) => m.to === email);
        const rows = log.filter((r) => r.所管課 === department);
        const stage = progress.find((r) => r.所管課 === department)!.段階;
        expect(got.length, `k=${k} ${department}`).toBeLessThanOrEqual(1);
        expect(rows.length, `k=${k} ${department}`).toBeLessThanOrEqual(1);
        const outcome = `${got.length ? 'sent' : 'unsent'}:${rows[0]?.状態 ?? 'no row'}:${stage}`;
        expect(OUTCOMES, `k=${k} ${department}`).toContain(outcome);
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }
      // Nothing found changed by hand: whatever the run left, 送信記録 agrees with the record.
      const queue = ok(call<{ problems: string[] }>(rt, 'apiMailQueue', undefined, OWNER));
      expect(queue.problems, `k=${k}`).toEqual([]);
    }
    // Every kind of outcome was reached.
    expect([...outcomes.keys()].sort()).toEqual([...OUTCOMES].sort());
  }, 600_000);
});
