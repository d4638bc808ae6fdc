// The last accepted state of the register, replayed from 変更履歴 in the order it was written. A
// hand edit is judged against it (not against the sheet, which already holds the edit), and a
// paste or deletion is reconciled with it.
import type { HistoryEntry } from './draft';
import { PROGRESS_FIELD_LABELS, PROPOSAL_FIELD_LABELS, progressKey } from './draft';
import type { Progress, Proposal } from './model';

type Fields<T> = Partial<Record<keyof T, string>>;

export interface AcceptedState {
  proposals: Map<string, Fields<Proposal>>;
  /** By progressKey(id, department). */
  progress: Map<string, Fields<Progress>>;
}

const invert = <T extends string>(labels: Record<T, string>) =>
  new Map(Object.entries(labels).map(([k, v]) => [v as string, k as T]));
const PROPOSAL_FIELD = invert(PROPOSAL_FIELD_LABELS);
const PROGRESS_FIELD = invert(PROGRESS_FIELD_LABELS);

export function acceptedState(history: readonly HistoryEntry[]): AcceptedState {
  const proposals = new Map<string, Fields<Proposal>>();
  const progress = new Map<string, Fields<Progress>>();
  for (const e of history) {
    if (!e.id) continue;
    if (e.field === '作成') {
      proposals.set(e.id, { ...(proposals.get(e.id) ?? {}), id: e.id });
      continue;
    }
    if (e.department) {
      const key = progressKey(e.id, e.department);
      const row = progress.get(key) ?? { id: e.id, department: e.department };
      if (e.field === '所管課追加') row.stage ??= '未提示';
      const field = PROGRESS_FIELD.get(e.field);
      if (field) row[field] = e.new;
      progress.set(key, row);
      continue;
    }
    const field = PROPOSAL_FIELD.get(e.field);
    if (!field) continue;
    const p = proposals.get(e.id) ?? { id: e.id };
    p[field] = e.new;
    proposals.set(e.id, p);
  }
  return { proposals, progress };
}
