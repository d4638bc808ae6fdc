import { describe, expect, it } from 'vitest';
import { DEPT_STAGES, type DeptState, OUT_OF_SCOPE } from '../../src/domain/labels';
import { effectiveStage } from '../../src/domain/stage';
import {
  checkDeptMove,
  checkJudgmentMove,
  DEPT_TRANSITIONS,
  deptChoices,
  JUDGMENT_TRANSITIONS,
  type JudgmentState,
} from '../../src/domain/transitions';

const STATES: DeptState[] = [...DEPT_STAGES, OUT_OF_SCOPE];

describe('department transitions (seed ※1, PRODUCT.md "Stages")', () => {
  const forward: [DeptState, DeptState][] = [
    ['未提示', '①'],
    ['①', '②'],
    ['①', '④'],
    ['②', '④'],
  ];
  it.each(forward)('%s → %s is an ordinary forward move for PT', (from, to) => {
    const r = checkDeptMove(from, to, { role: 'PT', reason: '' });
    expect(r).toMatchObject({ ok: true, transition: { kind: 'forward' } });
  });

  it('every other pair of distinct states is a removal, a correction, or refused, exactly as the table says', () => {
    for (const from of STATES) {
      for (const to of STATES) {
        if (from === to) {
          expect(checkDeptMove(from, to, { role: '事務局', reason: 'x' }).ok).toBe(false);
          continue;
        }
        const t = DEPT_TRANSITIONS.find((x) => x.from === from && x.to === to);
        const asPt = checkDeptMove(from, to, { role: 'PT', reason: '理由' });
        const asSec = checkDeptMove(from, to, { role: '事務局', reason: '理由' });
        if (!t) {
          expect(asPt.ok, `${from}→${to}`).toBe(false);
          expect(asSec.ok, `${from}→${to}`).toBe(false);
        } else if (t.kind === 'correction') {
          expect(asPt.ok, `${from}→${to} as PT`).toBe(false);
          expect(asSec.ok, `${from}→${to} as 事務局`).toBe(true);
          expect(
            checkDeptMove(from, to, { role: '事務局', reason: ' ' }).ok,
            'correction without reason',
          ).toBe(false);
        } else {
          expect(asPt.ok).toBe(true);
        }
      }
    }
  });

  it('未提示 cannot jump to ② or ④, and ③ is never a department stage', () => {
    expect(checkDeptMove('未提示', '②', { role: '事務局', reason: 'x' }).ok).toBe(false);
    expect(checkDeptMove('未提示', '④', { role: '事務局', reason: 'x' }).ok).toBe(false);
    expect(STATES).not.toContain('③');
  });

  it('removal as 所管外 needs a reason', () => {
    // The refusal names the field it concerns, for the form to show it there.
    expect(checkDeptMove('①', '所管外', { role: 'PT', reason: '' })).toEqual({
      ok: false,
      field: 'reason',
      message: '所管外とする理由を入力してください。',
    });
    expect(checkDeptMove('①', '所管外', { role: 'PT', reason: '所管は別の局' }).ok).toBe(true);
  });

  it('the choices offered to a form are the table’s: corrections only for the secretariat', () => {
    expect(deptChoices('②', 'PT').map((t) => t.to)).toEqual(['④', '所管外']);
    expect(deptChoices('②', '事務局').map((t) => t.to)).toEqual(['④', '所管外', '未提示', '①']);
  });
});

describe('判断 transitions (※2)', () => {
  const ctx = (
    deptStates: DeptState[],
    extra: Partial<{ role: '事務局' | 'PT'; reason: string; endReason: string }> = {},
  ) => ({
    role: 'PT' as const,
    reason: '',
    endReason: '',
    deptStates,
    ...extra,
  });
  it('検討継続 needs a department at ②', () => {
    expect(checkJudgmentMove('', '検討継続', ctx(['①'])).ok).toBe(false);
    expect(checkJudgmentMove('', '検討継続', ctx(['①', '②'])).ok).toBe(true);
  });
  it('検討終了 needs a reason and is allowed at any point after presentation', () => {
    expect(checkJudgmentMove('', '検討終了', ctx(['①'])).ok).toBe(false);
    expect(checkJudgmentMove('', '検討終了', ctx(['①'], { endReason: '認識の誤り' })).ok).toBe(true);
    expect(checkJudgmentMove('', '検討終了', ctx(['未提示'], { endReason: '認識の誤り' })).ok).toBe(false);
    expect(checkJudgmentMove('', '検討終了', ctx(['④'], { endReason: 'その他' })).ok).toBe(true);
  });
  it('検討継続 → 検討終了 is ordinary; undoing a 判断 is a secretariat correction with a reason', () => {
    expect(checkJudgmentMove('検討継続', '検討終了', ctx(['②'], { endReason: 'その他' })).ok).toBe(true);
    for (const [from, to] of [
      ['検討継続', ''],
      ['検討終了', ''],
      ['検討終了', '検討継続'],
    ] as [JudgmentState, JudgmentState][]) {
      expect(checkJudgmentMove(from, to, ctx(['②'])).ok).toBe(false);
      expect(checkJudgmentMove(from, to, ctx(['②'], { role: '事務局' })).ok).toBe(false);
      expect(checkJudgmentMove(from, to, ctx(['②'], { role: '事務局', reason: '誤記' })).ok).toBe(true);
    }
    expect(JUDGMENT_TRANSITIONS.filter((t) => t.kind === 'correction')).toHaveLength(3);
  });
});

describe('effective stage (※1)', () => {
  const d = (...stages: DeptState[]) => stages.map((stage, i) => ({ department: `課${i}`, stage }));
  it('③ once a 判断 is recorded, whatever the departments', () => {
    expect(effectiveStage(d('①'), '検討継続')).toEqual({ stage: '③', decidingDepartment: '' });
  });
  it('the most advanced department among ①/② decides', () => {
    expect(effectiveStage(d('①', '②', '④'), '')).toEqual({ stage: '②', decidingDepartment: '課1' });
    expect(effectiveStage(d('④', '①'), '')).toEqual({ stage: '①', decidingDepartment: '課1' });
  });
  it('④ only when no department is at ①/②', () => {
    expect(effectiveStage(d('④', '未提示'), '')).toEqual({ stage: '④', decidingDepartment: '課0' });
  });
  it('未提示 otherwise; 所管外 departments do not count', () => {
    expect(effectiveStage(d('未提示', '所管外'), '')).toEqual({ stage: '未提示', decidingDepartment: '' });
    expect(effectiveStage([], '')).toEqual({ stage: '未提示', decidingDepartment: '' });
  });
});
