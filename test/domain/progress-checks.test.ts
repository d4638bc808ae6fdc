// Progress checks (実施状況の確認): 設定's schedule and which departments are due a request.
import { describe, expect, it } from 'vitest';
import {
  type PlanInput,
  parseProgressCheckKey,
  parseProgressSchedule,
  periodLabel,
  periodOf,
  planProgressChecks,
  progressCheckKey,
  progressClosedReason,
} from '../../src/domain/progress-checks';

describe('設定 実施状況の確認', () => {
  it('reads the presets, month lists in any common form, and blank as quarterly', () => {
    expect(parseProgressSchedule('四半期ごと')).toEqual({ ok: true, months: [4, 7, 10, 1] });
    expect(parseProgressSchedule('')).toEqual({ ok: true, months: [4, 7, 10, 1] });
    expect(parseProgressSchedule('半年ごと')).toEqual({ ok: true, months: [4, 10] });
    expect(parseProgressSchedule('しない')).toEqual({ ok: true, months: [] });
    expect(parseProgressSchedule('毎月')).toMatchObject({ ok: true, months: { length: 12 } });
    expect(parseProgressSchedule('1月、4月、7月、10月')).toEqual({ ok: true, months: [4, 7, 10, 1] });
    expect(parseProgressSchedule('５,11')).toEqual({ ok: true, months: [5, 11] });
  });
  it('refuses anything else with a message naming the setting', () => {
    for (const bad of ['毎週', '13月', '4月と10月', '0'])
      expect(parseProgressSchedule(bad)).toEqual({
        ok: false,
        message: expect.stringContaining('設定「実施状況の確認」'),
      });
  });
});

describe('periods', () => {
  const q = [4, 7, 10, 1];
  it('are the latest scheduled month begun, across the turn of the year', () => {
    expect(periodOf('2026-04-01', q)).toBe('2026-04');
    expect(periodOf('2026-06-30', q)).toBe('2026-04');
    expect(periodOf('2026-07-01', q)).toBe('2026-07');
    expect(periodOf('2027-01-05', q)).toBe('2027-01');
    expect(periodOf('2027-03-31', q)).toBe('2027-01');
    expect(periodOf('2026-03-05', [10])).toBe('2025-10');
    expect(periodOf('2026-03-05', [])).toBeNull();
    expect(periodLabel('2026-07')).toBe('令和8年7月');
  });
  it('name one proposal, department and period in a link key', () => {
    const key = progressCheckKey('R7-U01', '広報室', '2026-07');
    expect(parseProgressCheckKey(key)).toEqual({ id: 'R7-U01', department: '広報室', period: '2026-07' });
    expect(parseProgressCheckKey('R7-U01|広報室|依頼|1')).toBeNull();
    expect(parseProgressCheckKey('R7-U01|広報室|7月')).toBeNull();
  });
});

describe('planning a round', () => {
  const base: PlanInput = {
    today: '2026-07-01',
    fiscalYear: 2026,
    months: [4, 7, 10, 1],
    implementationList: ['未着手', '予算化検討中', '実施中', '完了'],
    carriedIds: ['R7-U01', 'R7-U02', 'R7-U03', 'R7-U04', 'R7-S01'],
    proposals: [
      { id: 'R7-U01', judgment: '検討継続', implementation: '予算化検討中' },
      { id: 'R7-U02', judgment: '検討継続', implementation: '' },
      { id: 'R7-U03', judgment: '', implementation: '' },
      { id: 'R7-U04', judgment: '検討継続', implementation: '完了' },
      { id: 'R7-S01', judgment: '検討継続', implementation: '' },
      { id: 'R8-U01', judgment: '検討継続', implementation: '' },
    ],
    progress: [
      { id: 'R7-U01', department: '広報室', stage: '②' },
      { id: 'R7-U01', department: '情報政策課', stage: '①' },
      { id: 'R7-U02', department: '広報室', stage: '②' },
      { id: 'R7-U03', department: '広報室', stage: '②' },
      { id: 'R7-U04', department: '広報室', stage: '②' },
      { id: 'R7-S01', department: '人事課', stage: '④' },
      { id: 'R7-S01', department: '総務課', stage: '②' },
      { id: 'R8-U01', department: '広報室', stage: '②' },
    ],
    requested: new Set(),
  };
  it('asks each department consulted (②) on a continued, carried-over proposal not yet 完了: one request listing them', () => {
    expect(planProgressChecks(base)).toEqual({
      period: '2026-07',
      requests: [
        { department: '広報室', ids: ['R7-U01', 'R7-U02'] },
        { department: '総務課', ids: ['R7-S01'] },
      ],
    });
  });
  it('takes 設定 list’s last entry as done, whatever it is called', () => {
    const renamed = {
      ...base,
      implementationList: ['未着手', '予算化検討中', '実施中', '実施済'],
      proposals: base.proposals.map((p) => (p.id === 'R7-U01' ? { ...p, implementation: '実施済' } : p)),
    };
    // R7-U01 at 実施済 is done; R7-U04 stays at 完了, no longer the list's done state: asked again.
    expect(planProgressChecks(renamed)!.requests).toEqual([
      { department: '広報室', ids: ['R7-U02', 'R7-U04'] },
      { department: '総務課', ids: ['R7-S01'] },
    ]);
  });
  it('never asks a department twice in a period, and asks again in the next', () => {
    const requested = new Set(['2026-07|広報室']);
    expect(planProgressChecks({ ...base, requested })?.requests).toEqual([
      { department: '総務課', ids: ['R7-S01'] },
    ]);
    expect(
      planProgressChecks({ ...base, requested: new Set(['2026-07|広報室', '2026-07|総務課']) }),
    ).toBeNull();
    expect(planProgressChecks({ ...base, today: '2026-10-01', requested })?.period).toBe('2026-10');
  });
  it('plans nothing outside 設定の年度 or when the schedule says しない', () => {
    expect(planProgressChecks({ ...base, today: '2026-03-20' })).toBeNull();
    expect(planProgressChecks({ ...base, today: '2027-04-01' })).toBeNull();
    expect(planProgressChecks({ ...base, months: [] })).toBeNull();
  });
  it('says why an answer is closed', () => {
    const p = { id: 'R7-S01', judgment: '検討継続', implementation: '' };
    const rows = base.progress.filter((r) => r.id === 'R7-S01');
    expect(progressClosedReason(p, rows, '総務課')).toBeNull();
    expect(progressClosedReason(p, rows, '人事課')).toContain('対応済(④)');
    expect(progressClosedReason({ ...p, judgment: '検討終了' }, rows, '総務課')).toContain('検討終了');
    expect(progressClosedReason({ ...p, judgment: '' }, rows, '総務課')).toContain('取り消されています');
    expect(progressClosedReason(p, rows, '広報室')).toContain('所管課ではありません');
  });
});
