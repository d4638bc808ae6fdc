// The last accepted state of the register: every proposal and (proposal, department) as the add-on
// last wrote it. Hand edits are judged against it and row identity is settled by it; it is kept
// in the add-on's sealed store (台帳状態), and replayed from verified history only to build that
// store for a register that has none.
import { progressKey } from './draft';
import {
  HISTORY_EVENTS,
  type HistoryEntry,
  PROGRESS_FIELD_LABELS,
  PROGRESS_FIELD_OF_LABEL,
  PROPOSAL_FIELD_LABELS,
  PROPOSAL_FIELD_OF_LABEL,
} from './history-entry';
import type { DeptState, Judgment, Kind } from './labels';
import type { Progress, Proposal } from './model';

export interface AcceptedState {
  proposals: Map<string, Proposal>;
  /** By progressKey(id, department). */
  progress: Map<string, Progress>;
}

/** The order a record's fields are stored in (the key fields apart). */
export const PROPOSAL_STORED = (Object.keys(PROPOSAL_FIELD_LABELS) as (keyof Proposal)[]).filter(
  (k) => k !== 'id',
);
export const PROGRESS_STORED = (Object.keys(PROGRESS_FIELD_LABELS) as (keyof Progress)[]).filter(
  (k) => k !== 'id' && k !== 'department',
);

export const proposalValues = (p: Proposal): string[] => PROPOSAL_STORED.map((k) => String(p[k] ?? ''));
export const progressValues = (r: Progress): string[] => PROGRESS_STORED.map((k) => String(r[k] ?? ''));

export function proposalFrom(id: string, values: readonly string[]): Proposal {
  const p = { id } as Record<string, unknown>;
  PROPOSAL_STORED.forEach((k, i) => {
    p[k] = values[i] ?? '';
  });
  p.fiscalYear = Number(p.fiscalYear) || 0;
  return p as unknown as Proposal & { kind: Kind; judgment: Judgment | '' };
}

export function progressFrom(id: string, department: string, values: readonly string[]): Progress {
  const r = { id, department } as Record<string, unknown>;
  PROGRESS_STORED.forEach((k, i) => {
    r[k] = values[i] ?? '';
  });
  r.stage = (r.stage || '未提示') as DeptState;
  return r as unknown as Progress;
}

type Fields<T> = Partial<Record<keyof T, string>>;

/**
 * For a register that has no store yet (set up before it existed), or whose store was tampered
 * with: the records history created, each as the sheet holds it, with every field history
 * recorded taken from history instead. Only verified history rows may be passed in.
 */
export function replayAccepted(
  history: readonly HistoryEntry[],
  sheet: { proposals: readonly Proposal[]; progress: readonly Progress[] },
): AcceptedState {
  const proposalFields = new Map<string, Fields<Proposal>>();
  const progressFields = new Map<string, Fields<Progress> & { id: string; department: string }>();
  for (const e of history) {
    if (!e.id) continue;
    if (e.field === HISTORY_EVENTS.created) {
      proposalFields.set(e.id, proposalFields.get(e.id) ?? {});
      continue;
    }
    if (e.department) {
      const key = progressKey(e.id, e.department);
      const row = progressFields.get(key) ?? { id: e.id, department: e.department };
      if (e.field === HISTORY_EVENTS.departmentAdded) row.stage ??= '未提示';
      const field = PROGRESS_FIELD_OF_LABEL.get(e.field);
      if (field) row[field] = e.new;
      progressFields.set(key, row);
      continue;
    }
    const field = PROPOSAL_FIELD_OF_LABEL.get(e.field);
    const p = proposalFields.get(e.id);
    if (field && p) p[field] = e.new;
  }
  const sheetProposals = new Map(sheet.proposals.map((p) => [p.id, p]));
  const sheetProgress = new Map(sheet.progress.map((r) => [progressKey(r.id, r.department), r]));
  const proposals = new Map<string, Proposal>();
  for (const [id, fields] of proposalFields) {
    const base = sheetProposals.get(id) ?? proposalFrom(id, []);
    const p = { ...base, ...fields, id } as Proposal;
    if (fields.fiscalYear !== undefined) p.fiscalYear = Number(fields.fiscalYear) || base.fiscalYear;
    proposals.set(id, p);
  }
  const progress = new Map<string, Progress>();
  for (const [key, fields] of progressFields) {
    if (!proposals.has(fields.id)) continue;
    const base = sheetProgress.get(key) ?? progressFrom(fields.id, fields.department, []);
    progress.set(key, { ...base, ...fields } as Progress);
  }
  return { proposals, progress };
}
