// A unit of work over the register: operations change a copy of the state through it, and it
// records exactly which cells changed and one history row per changed field. The adapter then
// writes those cells and rows, and nothing else.

import {
  HISTORY_EVENTS,
  type HistoryEntry,
  PROGRESS_FIELD_LABELS,
  PROPOSAL_FIELD_LABELS,
} from './history-entry';
import type { DeptState } from './labels';
import type { Actor, Consultation, Progress, Proposal, RegisterState } from './model';

export interface ChangeMeta {
  effective?: string;
  reason?: string;
}

export const CLASSIFICATION_FIELDS = ['kind', 'category', 'perspective'] as const;

export const progressKey = (id: string, department: string) => `${id}\u0000${department}`;

/** A cell of 設定 a commit writes (row and column 1-based), with what it held when read. */
export interface SettingWrite {
  row: number;
  col: number;
  old: string;
  new: string;
}

export class Draft {
  readonly state: RegisterState;
  readonly updatedProposals = new Map<string, Set<keyof Proposal>>();
  readonly newProposals: Proposal[] = [];
  readonly updatedProgress = new Map<string, Set<keyof Progress>>();
  readonly newProgress: Progress[] = [];
  readonly newConsultations: Consultation[] = [];
  readonly history: HistoryEntry[] = [];
  readonly touched = new Set<string>();
  /** Highest ID number issued per prefix (R7-U…), recorded only when the commit is whole. */
  readonly issued = new Map<string, number>();
  /** Cells of 設定 written with the register's cells (their history is logged by the operation). */
  readonly settingWrites: SettingWrite[] = [];
  /** Script properties written only when the commit is whole (as `issued`). */
  readonly props = new Map<string, string>();
  // Indexes, so that importing thousands of rows stays linear.
  private readonly byId = new Map<string, Proposal>();
  private readonly newProposalIds = new Set<string>();
  private readonly newProgressKeys = new Set<string>();
  private readonly progressByKey = new Map<string, Progress>();
  private readonly progressById = new Map<string, Progress[]>();

  constructor(
    state: RegisterState,
    readonly actor: Actor,
  ) {
    this.state = {
      settings: state.settings,
      departments: state.departments,
      consultations: state.consultations.slice(),
      proposals: state.proposals.map((p) => ({ ...p })),
      progress: state.progress.map((p) => ({ ...p })),
    };
    for (const p of this.state.proposals) if (!this.byId.has(p.id)) this.byId.set(p.id, p);
    for (const r of this.state.progress) this.index(r);
  }

  private index(r: Progress) {
    const key = progressKey(r.id, r.department);
    if (this.progressByKey.has(key)) return;
    this.progressByKey.set(key, r);
    const list = this.progressById.get(r.id) ?? [];
    list.push(r);
    this.progressById.set(r.id, list);
  }

  proposal(id: string): Proposal | undefined {
    return this.byId.get(id);
  }

  progressOf(id: string): Progress[] {
    return this.progressById.get(id) ?? [];
  }

  progress(id: string, department: string): Progress | undefined {
    return this.progressByKey.get(progressKey(id, department));
  }

  log(
    id: string,
    department: string,
    field: string,
    oldValue: string,
    newValue: string,
    meta: ChangeMeta = {},
  ) {
    this.touched.add(id);
    this.history.push({
      recordedAt: this.actor.recordedAt,
      effective: meta.effective ?? this.actor.today,
      user: this.actor.email || '(Sheetsから利用者が渡されませんでした)',
      path: this.actor.path,
      id,
      department,
      field,
      old: oldValue,
      new: newValue,
      reason: meta.reason ?? '',
    });
  }

  setProposal<K extends keyof Proposal>(id: string, field: K, value: Proposal[K], meta: ChangeMeta = {}) {
    const p = this.proposal(id)!;
    if (p[field] === value) return;
    const old = String(p[field]);
    p[field] = value;
    if (!this.newProposalIds.has(id)) {
      const set = this.updatedProposals.get(id) ?? new Set();
      set.add(field);
      this.updatedProposals.set(id, set);
    }
    this.log(id, '', PROPOSAL_FIELD_LABELS[field], old, String(value), meta);
  }

  setProgress<K extends keyof Progress>(
    id: string,
    department: string,
    field: K,
    value: Progress[K],
    meta: ChangeMeta = {},
  ) {
    const row = this.progress(id, department)!;
    if (row[field] === value) return;
    const old = String(row[field]);
    row[field] = value;
    const key = progressKey(id, department);
    if (!this.newProgressKeys.has(key)) {
      const set = this.updatedProgress.get(key) ?? new Set();
      set.add(field);
      this.updatedProgress.set(key, set);
    }
    this.log(id, department, PROGRESS_FIELD_LABELS[field], old, String(value), meta);
  }

  createProposal(p: Proposal, meta: ChangeMeta = {}) {
    this.state.proposals.push(p);
    this.newProposals.push(p);
    this.byId.set(p.id, p);
    this.newProposalIds.add(p.id);
    this.log(p.id, '', HISTORY_EVENTS.created, '', `${p.kind}：${p.title}`, meta);
    // The classification people may later edit by hand is recorded too, so that a pasted-over
    // cell can be checked against (and put back to) the last accepted value.
    for (const field of CLASSIFICATION_FIELDS)
      if (p[field]) this.log(p.id, '', PROPOSAL_FIELD_LABELS[field], '', p[field], meta);
  }

  addDepartment(id: string, department: string, meta: ChangeMeta = {}): Progress {
    const row: Progress = {
      id,
      department,
      stage: '未提示' as DeptState,
      presentedOn: '',
      consultedOn: '',
      doneOn: '',
      removalReason: '',
      requestState: '',
      answerKind: '',
      answerComment: '',
      answeredBy: '',
      answeredOn: '',
      proposedDate: '',
    };
    this.state.progress.push(row);
    this.newProgress.push(row);
    this.newProgressKeys.add(progressKey(id, department));
    this.index(row);
    this.log(id, department, HISTORY_EVENTS.departmentAdded, '', department, meta);
    return row;
  }

  addConsultation(c: Consultation, meta: ChangeMeta = {}) {
    this.state.consultations.push(c);
    this.newConsultations.push(c);
    this.log(
      c.id,
      c.department,
      HISTORY_EVENTS.consultation,
      '',
      `${c.recordId} ${c.summary.slice(0, 100)}`,
      meta,
    );
  }
}
