// Seeded random schedules on the real bundle (issue #16): a sidebar save, a send run, a department's
// answer and a hand edit's two triggers overlap, the runtime drawing at every service call which
// waiting execution goes on. After each schedule the register keeps its rules: every stage cell
// holds what 変更履歴 last accepted, 進捗 follows from the stages, the history chain verifies, and no
// request is sent twice. Re-running a seed replays the same schedule.
import { describe, expect, it } from 'vitest';
import { typeInto } from '../../local/runtime/people';
import type { Execution, Runtime } from '../../local/runtime/runtime';
import { columnLetters } from '../../local/runtime/spreadsheet';
import { displayValue } from '../../local/runtime/values';
import type { DeptState } from '../../src/domain/labels';
import { effectiveStage } from '../../src/domain/stage';
import { call, expectHistorySealed, OWNER, ok, PT, records, sampleRuntime, tickHandler } from '../helpers';

function stageRef(rt: Runtime, id: string, department: string) {
  const model = rt.workbook.sheet('所管課別進捗')!;
  const heads = Array.from({ length: model.lastColumn() }, (_, c) => displayValue(model.cell(0, c)));
  for (let r = 1; r < model.lastRow(); r++) {
    if (
      displayValue(model.cell(r, heads.indexOf('ID'))) === id &&
      displayValue(model.cell(r, heads.indexOf('所管課'))) === department
    )
      return `所管課別進捗!${columnLetters(heads.indexOf('段階') + 1)}${r + 1}`;
  }
  throw new Error(`no row ${id} ${department}`);
}

function checkInvariants(rt: Runtime, label: string) {
  const progress = records(rt, '所管課別進捗');
  const accepted = new Map<string, string>();
  for (const h of records(rt, '変更履歴')) {
    if (h.項目 === '所管課追加')
      accepted.set(`${h.ID}|${h.所管課}`, accepted.get(`${h.ID}|${h.所管課}`) ?? '未提示');
    if (h.項目 === '段階') accepted.set(`${h.ID}|${h.所管課}`, h.新値!);
  }
  for (const r of progress)
    expect(r.段階, `${label}: ${r.ID} ${r.所管課}`).toBe(accepted.get(`${r.ID}|${r.所管課}`));
  for (const p of records(rt, '課題一覧')) {
    const rows = progress
      .filter((r) => r.ID === p.ID && r.段階 !== '所管外')
      .map((r) => ({ department: r.所管課!, stage: r.段階 as DeptState }));
    expect(p.進捗, `${label}: ${p.ID}`).toBe(effectiveStage(rows, p.判断!).stage);
  }
  expectHistorySealed(rt, label);
  const sent = rt.state.outbox.map((m) => `${m.to}|${m.subject}`);
  expect(new Set(sent).size, `${label}: no mail twice`).toBe(sent.length);
}

/** The sample with a request to 保護課 sent (for the answer) and one to 市民課 queued (for the send run). */
function base(): { rt: Runtime; token: string } {
  const rt = sampleRuntime();
  const v = (id: string) => ok(call<{ version: string }>(rt, 'apiGetProposal', { id })).version;
  ok(call(rt, 'apiPresent', { id: 'R7-U03', version: v('R7-U03'), departments: ['保護課'] }));
  const token = /\?t=(\S+)/.exec(rt.state.outbox[0]!.body)![1]!;
  rt.state.mail.dailyQuota = rt.state.mail.used[Object.keys(rt.state.mail.used)[0]!] ?? 1;
  ok(call(rt, 'apiPresent', { id: 'R7-S09', version: v('R7-S09'), departments: ['車両管理課'] }));
  rt.state.mail.dailyQuota = 100;
  expect(records(rt, '送信記録').map((r) => r.状態)).toEqual(['送信済', '待機']);
  return { rt, token };
}

function schedule(seed: number) {
  const { rt, token } = base();
  rt.setSchedule({ seed });
  rt.setTriggerOrder({ seed });
  rt.startTrace();
  const version = ok(call<{ version: string }>(rt, 'apiGetProposal', { id: 'R7-S08' })).version;
  const runs: Execution[] = [
    rt.start('apiSetDepartmentStage', { mode: 'script', activeUser: PT }, () => [
      { id: 'R7-S08', version, department: '会計室', stage: '④' },
    ]),
    rt.startTrigger(tickHandler(rt)),
    rt.start('apiAnswer', { mode: 'web', activeUser: '', effectiveUser: OWNER }, () => [
      { token, kind: '協議に応じる', comment: '応じます', answeredBy: '保護課' },
    ]),
  ];
  // A few calls in (drawn from the seed), a person types a stage: its triggers join the overlap.
  const pick = runs[seed % runs.length]!;
  for (let i = 0; i < (seed * 7) % 12 && !pick.done; i++) {
    if (pick.pending) rt.step(pick);
    else rt.settle();
  }
  typeInto(rt, stageRef(rt, 'R7-U01', '情報政策課'), [['②']], { user: PT });
  rt.settle();
  return { rt, runs };
}

describe('seeded random schedules of overlapping executions', () => {
  it('keep the register’s rules after each schedule, and replay from their seed', () => {
    const SEEDS = 24;
    const outcomes: string[] = [];
    const interleavings = new Set<string>();
    for (let seed = 1; seed <= SEEDS; seed++) {
      const { rt, runs } = schedule(seed);
      checkInvariants(rt, `seed ${seed}`);
      // The queued request (and the answer's notice) went out, whoever ran when.
      expect(new Set(records(rt, '送信記録').map((r) => r.状態)), `seed ${seed}`).toEqual(
        new Set(['送信済']),
      );
      interleavings.add(rt.trace.map((t) => t.exec).join(','));
      const results = runs.map((r) => {
        const value = rt.result<{ ok?: boolean; code?: string } | undefined>(r);
        return `${r.fn}:${value?.ok === false ? value.code : 'ok'}`;
      });
      const triggers = rt.executions
        .filter((r) => r.mode === 'installable')
        .map((r) => `${r.fn}:${r.outcome}`);
      const summary = [...results, ...triggers];
      outcomes.push(`${seed} ${summary.join(' ')}`);
      if (seed <= 3) {
        const again = schedule(seed).rt;
        expect(records(again, '変更履歴').length, `seed ${seed} replays`).toBe(
          records(rt, '変更履歴').length,
        );
        expect(again.executions.map((r) => [r.fn, r.outcome, r.estimatedMs])).toEqual(
          rt.executions.map((r) => [r.fn, r.outcome, r.estimatedMs]),
        );
      }
    }
    console.log(
      `${SEEDS} schedules run (${interleavings.size} distinct interleavings):\n${outcomes.join('\n')}`,
    );
    expect(interleavings.size).toBeGreaterThan(SEEDS / 2);
  });
});
