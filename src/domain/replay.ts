// The register as it stood at the end of a day, replayed from 変更履歴 by 効力日: a proposal
// presented later is not counted, a stage reached later counts at its earlier stage, a 判断
// dated later is not ③, a 実施状況 set later (a department's progress-check answer, an edit)
// is the one it had then. A correction applies from its own 効力日, and is listed so that the tab
// can footnote it.
import type { IsoDate } from './dates';
import {
  type Correction,
  HISTORY_EVENTS,
  PROGRESS_FIELD_LABELS,
  PROPOSAL_FIELD_LABELS,
  type ReplayEntry,
} from './history-entry';
import type { DeptState } from './labels';
import type { SummaryProgress, SummaryProposal } from './model';
import { findDeptTransition, findJudgmentTransition, type JudgmentState } from './transitions';

/** The 変更履歴 rows a replay reads: everything else leaves the counted stages as they were. */
export const REPLAYED_FIELDS: ReadonlySet<string> = new Set([
  HISTORY_EVENTS.created,
  HISTORY_EVENTS.departmentAdded,
  PROGRESS_FIELD_LABELS.stage,
  PROPOSAL_FIELD_LABELS.judgment,
  PROPOSAL_FIELD_LABELS.endReason,
  PROPOSAL_FIELD_LABELS.implementation,
]);

export type { Correction, ReplayEntry } from './history-entry';

export interface Replayed {
  proposals: SummaryProposal[];
  progress: SummaryProgress[];
}

function isCorrection(e: ReplayEntry): e is Correction {
  if (e.field === PROGRESS_FIELD_LABELS.stage)
    return findDeptTransition(e.old as DeptState, e.new as DeptState)?.kind === 'correction';
  if (e.field === PROPOSAL_FIELD_LABELS.judgment)
    return findJudgmentTransition(e.old as JudgmentState, e.new as JudgmentState)?.kind === 'correction';
  return false;
}

export function replayAsOf(
  current: Replayed,
  history: readonly ReplayEntry[],
  asOf: IsoDate,
): Replayed & { corrections: Correction[] } {
  // Rows take their final shape at once (no spreads afterwards): a replay makes tens of thousands.
  const stage = new Map<string, SummaryProgress>();
  const judgment = new Map<string, { judgment: string; endReason: string }>();
  const implementation = new Map<string, string>();
  const created = new Set<string>();
  const corrections: Correction[] = [];
  const notPresented = (e: ReplayEntry): SummaryProgress => ({
    id: e.id,
    department: e.department,
    stage: '未提示',
    presentedOn: '',
    requestState: '',
    answerKind: '',
  });
  // By 効力日, then in the order written (the sort is stable; a history is mostly in order already).
  const entries = history
    .filter((e) => e.effective && e.effective <= asOf && REPLAYED_FIELDS.has(e.field))
    .sort((a, b) => (a.effective < b.effective ? -1 : a.effective > b.effective ? 1 : 0));
  for (const e of entries) {
    if (isCorrection(e)) corrections.push(e);
    const key = `${e.id}\u0000${e.department}`;
    switch (e.field) {
      case HISTORY_EVENTS.created:
        created.add(e.id);
        break;
      case HISTORY_EVENTS.departmentAdded:
        if (!stage.has(key)) stage.set(key, notPresented(e));
        break;
      case PROGRESS_FIELD_LABELS.stage: {
        let row = stage.get(key);
        if (!row) stage.set(key, (row = notPresented(e)));
        row.stage = e.new as DeptState;
        if (e.new === '①' && !row.presentedOn) row.presentedOn = e.effective;
        break;
      }
      case PROPOSAL_FIELD_LABELS.judgment:
        judgment.set(e.id, { judgment: e.new, endReason: judgment.get(e.id)?.endReason ?? '' });
        break;
      case PROPOSAL_FIELD_LABELS.endReason:
        judgment.set(e.id, { judgment: judgment.get(e.id)?.judgment ?? '', endReason: e.new });
        break;
      case PROPOSAL_FIELD_LABELS.implementation:
        // 課題一覧's column only: no department's row has a field of that name.
        if (!e.department) implementation.set(e.id, e.new);
        break;
    }
  }
  const progress = [...stage.values()];
  for (const r of progress) created.add(r.id);
  const proposals: SummaryProposal[] = [];
  for (const p of current.proposals) {
    if (!created.has(p.id)) continue;
    const j = judgment.get(p.id);
    proposals.push({
      id: p.id,
      fiscalYear: p.fiscalYear,
      kind: p.kind,
      category: p.category,
      painPoint: p.painPoint,
      title: p.title,
      judgment: j?.judgment ?? '',
      endReason: j?.endReason ?? '',
      implementation: implementation.get(p.id) ?? '',
    });
  }
  return { proposals, progress, corrections: corrections.filter((c) => created.has(c.id)) };
}
