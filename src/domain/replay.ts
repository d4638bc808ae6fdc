// The register as it stood at the end of a day, replayed from 変更履歴 by 効力日: a proposal
// presented later is not counted, a stage reached later counts at its earlier stage, a 判断
// dated later is not ③. A correction applies from its own 効力日.
import type { IsoDate } from './dates';
import type { HistoryEntry } from './draft';
import type { DeptState } from './labels';
import type { SummaryProgress, SummaryProposal } from './summary';

export interface Replayed {
  proposals: SummaryProposal[];
  progress: SummaryProgress[];
}

export function replayAsOf(current: Replayed, history: readonly HistoryEntry[], asOf: IsoDate): Replayed {
  const stage = new Map<string, { id: string; department: string; stage: DeptState; presentedOn: string }>();
  const judgment = new Map<string, { judgment: string; endReason: string }>();
  const created = new Set<string>();
  // Stable by 効力日, then by the order written (記録日時 and row order).
  const entries = history
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => e.effective && e.effective <= asOf)
    .sort((a, b) => (a.e.effective < b.e.effective ? -1 : a.e.effective > b.e.effective ? 1 : a.i - b.i));
  for (const { e } of entries) {
    const key = `${e.id}\u0000${e.department}`;
    switch (e.field) {
      case '作成':
        created.add(e.id);
        break;
      case '所管課追加':
        if (!stage.has(key))
          stage.set(key, { id: e.id, department: e.department, stage: '未提示', presentedOn: '' });
        break;
      case '段階': {
        const row = stage.get(key) ?? {
          id: e.id,
          department: e.department,
          stage: '未提示' as DeptState,
          presentedOn: '',
        };
        row.stage = e.new as DeptState;
        if (e.new === '①' && !row.presentedOn) row.presentedOn = e.effective;
        stage.set(key, row);
        break;
      }
      case '判断':
        judgment.set(e.id, { judgment: e.new, endReason: judgment.get(e.id)?.endReason ?? '' });
        break;
      case '終了理由':
        judgment.set(e.id, { judgment: judgment.get(e.id)?.judgment ?? '', endReason: e.new });
        break;
    }
  }
  const seen = new Set([...created, ...[...stage.values()].map((r) => r.id)]);
  return {
    proposals: current.proposals
      .filter((p) => seen.has(p.id))
      .map((p) => ({
        ...p,
        judgment: judgment.get(p.id)?.judgment ?? '',
        endReason: judgment.get(p.id)?.endReason ?? '',
        implementation: '',
      })),
    progress: [...stage.values()].map((r) => ({ ...r, requestState: '', answerKind: '' })),
  };
}
