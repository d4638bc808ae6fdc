// The as-of replay: 実施状況 as it stood at the end of a day (issue #20: as-of views of a new 年度
// showed every carried-over proposal as 未設定).
import { describe, expect, it } from 'vitest';
import { type ReplayEntry, replayAsOf } from '../../src/domain/replay';
import type { SummaryProposal } from '../../src/domain/summary';

const proposal = (id: string, implementation: string): SummaryProposal => ({
  id,
  fiscalYear: 2025,
  kind: 'ユーザーの困りごと',
  category: '行政手続きの場面等',
  painPoint: '',
  title: id,
  judgment: '検討継続',
  endReason: '',
  implementation,
});

const entry = (
  e: Partial<ReplayEntry> & Pick<ReplayEntry, 'id' | 'field' | 'new' | 'effective'>,
): ReplayEntry => ({
  recordedAt: `${e.effective} 10:00:00`,
  department: '',
  old: '',
  reason: '',
  ...e,
});

describe('replayAsOf 実施状況', () => {
  const history: ReplayEntry[] = [
    entry({ id: 'R7-U01', field: '作成', new: 'x', effective: '2025-06-01' }),
    entry({ id: 'R7-U02', field: '作成', new: 'x', effective: '2025-06-01' }),
    entry({ id: 'R7-U01', field: '判断', new: '検討継続', effective: '2026-01-10' }),
    entry({ id: 'R7-U01', field: '実施状況', new: '予算化検討中', effective: '2026-02-01' }),
    entry({ id: 'R7-U01', field: '実施状況', old: '予算化検討中', new: '実施中', effective: '2026-07-03' }),
    // A department's answer row is not the register's column: only the 実施状況 row counts.
    entry({
      id: 'R7-U02',
      department: '広報室',
      field: '実施状況',
      new: '完了',
      effective: '2026-07-03',
    }),
  ];
  const current = {
    proposals: [proposal('R7-U01', '実施中'), proposal('R7-U02', '')],
    progress: [],
  };
  const statusOn = (day: string) =>
    Object.fromEntries(replayAsOf(current, history, day).proposals.map((p) => [p.id, p.implementation]));

  it('is the value of the latest 実施状況 row on or before the day, blank before any', () => {
    expect(statusOn('2026-01-31')).toEqual({ 'R7-U01': '', 'R7-U02': '' });
    expect(statusOn('2026-02-01')).toEqual({ 'R7-U01': '予算化検討中', 'R7-U02': '' });
    expect(statusOn('2026-07-02')).toEqual({ 'R7-U01': '予算化検討中', 'R7-U02': '' });
    expect(statusOn('2026-07-03')).toEqual({ 'R7-U01': '実施中', 'R7-U02': '' });
  });
});
