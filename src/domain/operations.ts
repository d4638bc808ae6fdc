// What people can do to the register, as pure functions over a Draft. Every stage change asks the
// transitions table; every refusal is a Japanese message naming the field.

import { type ChoiceField, choiceProblem } from './choices';
import { dateBoundsProblem, fiscalYearLabel, fiscalYearStart, type IsoDate, REIWA_START } from './dates';
import type { Draft } from './draft';
import { sha256Hex } from './hash';
import { type DeptState, type Judgment, KINDS, type Kind, OUT_OF_SCOPE } from './labels';
import type { Consultation, EditableField, Progress, Proposal } from './model';
import { FIELD_LABELS, type FieldErrors } from './schemas';
import { checkDeptMove, checkJudgmentMove, type JudgmentState, type Refusal } from './transitions';

export class Refused extends Error {
  constructor(
    readonly code: 'invalid' | 'stale' | 'forbidden' | 'not_found' | 'busy',
    message: string,
    readonly fieldErrors: FieldErrors = {},
    readonly current?: unknown,
  ) {
    super(message);
  }
}

const invalid = (field: string, message: string): never => {
  throw new Refused('invalid', message, { [field]: message });
};

/** A move the transitions table refused: for the field it names, and 'forbidden' when it is the caller's role. */
const refusedMove = (refusal: Refusal, field: string): never => {
  const at = refusal.field ?? field;
  throw new Refused(refusal.forbidden ? 'forbidden' : 'invalid', refusal.message, { [at]: refusal.message });
};

/** A short fingerprint of a proposal and its departments: what "the version the user saw" means. */
export function proposalVersion(p: Proposal, progress: readonly Progress[]): string {
  const rows = progress
    .filter((r) => r.id === p.id)
    .map((r) =>
      [r.department, r.stage, r.presentedOn, r.consultedOn, r.doneOn, r.removalReason].join('\u0001'),
    )
    .sort();
  return sha256Hex(JSON.stringify([p, rows])).slice(0, 12);
}

function mustFind(draft: Draft, id: string, version?: string): Proposal {
  const p = draft.proposal(id);
  if (!p)
    throw new Refused('not_found', `課題 ${id} が見つかりません。`, { id: `課題 ${id} が見つかりません。` });
  if (version !== undefined && version !== proposalVersion(p, draft.state.progress)) {
    throw new Refused(
      'stale',
      '他の人が更新しました。最新の内容を確認してから、もう一度保存してください。',
      {},
      p,
    );
  }
  return p;
}

/**
 * The days a change to proposal `p` may take effect (効力日, 協議日, 判断日) — decided per field:
 * - never after today: the register records what happened, not what is planned;
 * - never before the first day of the proposal's 年度 (a 令和7年度 proposal is filed, presented,
 *   consulted and decided from 2025-04-01), and never before 令和元年5月1日 whatever the 年度 says;
 *   when 設定's 年度 runs ahead of the calendar (set in March for April), today is still allowed;
 * - `after`, when given, narrows it further: a ② or ④ not before that department's 提示日 (and a
 *   ④ not before its 協議日), a consultation not before the 提示日, a 判断 not before the
 *   proposal's earliest 提示日.
 * Out of bounds is refused with a message naming the field and the bound; `date` undefined is today.
 */
function checkDate(
  draft: Draft,
  p: Proposal,
  field: 'effectiveDate' | 'date',
  date: string | undefined,
  after?: { min: IsoDate; label: string },
): IsoDate {
  const { today } = draft.actor;
  const d = date ?? today;
  const yearStart = fiscalYearStart(p.fiscalYear);
  let min: IsoDate = REIWA_START;
  let minLabel: string | undefined;
  // (ISO days compare as strings: the earlier of the 年度's first day and today)
  let fromYear = yearStart;
  if (today < fromYear) fromYear = today;
  if (fromYear > min) {
    min = fromYear;
    minLabel = fromYear === yearStart ? `${fiscalYearLabel(p.fiscalYear)}の初日` : '今日';
  }
  if (after?.min && after.min > min) {
    min = after.min;
    minLabel = after.label;
  }
  const problem = dateBoundsProblem(FIELD_LABELS[field] ?? field, d, {
    min,
    minLabel,
    max: today,
    maxLabel: '今日',
  });
  if (problem) invalid(field, problem);
  return d;
}

/** The day a move to `stage` may take effect from at the earliest, for this department's row. */
function stageFloor(row: Progress, stage: DeptState): { min: IsoDate; label: string } | undefined {
  if (stage === '④' && row.consultedOn && row.consultedOn >= row.presentedOn)
    return { min: row.consultedOn, label: '協議日' };
  if ((stage === '②' || stage === '④') && row.presentedOn) return { min: row.presentedOn, label: '提示日' };
  return undefined;
}

/** The proposal's earliest 提示日 (any department, 所管外 ones included): a 判断 comes after it. */
function firstPresented(draft: Draft, id: string): { min: IsoDate; label: string } | undefined {
  let first = '';
  for (const r of draft.progressOf(id))
    if (r.presentedOn && (!first || r.presentedOn < first)) first = r.presentedOn;
  return first ? { min: first, label: '最初の提示日' } : undefined;
}

/** A value of a 設定 list (目線, 場面・分類, 終了理由, 実施状況), checked against 設定 as every path does. */
function checkChoice(draft: Draft, field: ChoiceField, kind: Kind, value: string) {
  const problem = choiceProblem(draft.state.settings.lists, field, kind, value);
  if (problem) invalid(field, problem);
}

function checkClassification(draft: Draft, kind: Kind, perspective: string, category: string) {
  checkChoice(draft, 'category', kind, category);
  checkChoice(draft, 'perspective', kind, perspective);
}

function checkDepartment(draft: Draft, name: string, forNew: boolean) {
  const d = draft.state.departments.find((x) => x.name === name);
  if (!d) invalid('department', `所管課「${name}」は所管課シートにありません。`);
  if (forNew && !d!.active) invalid('department', `所管課「${name}」は無効になっています。`);
}

/** What a person fills in to create a proposal: its editable fields and its departments. */
export type NewProposal = Pick<
  Proposal,
  | 'kind'
  | 'painPoint'
  | 'perspective'
  | 'category'
  | 'title'
  | 'solution'
  | 'ptMembers'
  | 'ptContact'
  | 'notes'
> & {
  departments: string[];
};

export function createProposal(
  draft: Draft,
  input: NewProposal,
  id: string,
  opts: { fiscalYear?: number; effective?: string } = {},
): Proposal {
  if (!KINDS.includes(input.kind)) invalid('kind', '種別を選んでください。');
  checkClassification(draft, input.kind, input.perspective, input.category);
  const departments = [...new Set(input.departments)];
  for (const d of departments) checkDepartment(draft, d, true);
  const p: Proposal = {
    id,
    fiscalYear: opts.fiscalYear ?? draft.state.settings.fiscalYear,
    kind: input.kind,
    painPoint: input.painPoint,
    perspective: input.kind === 'ユーザーの困りごと' ? input.perspective : '',
    category: input.category,
    title: input.title,
    solution: input.solution,
    ptMembers: input.ptMembers,
    ptContact: input.ptContact,
    judgment: '',
    judgmentDate: '',
    endReason: '',
    implementation: '',
    notes: input.notes,
  };
  draft.createProposal(p, { effective: opts.effective });
  for (const d of departments) draft.addDepartment(id, d, { effective: opts.effective });
  return p;
}

export function updateProposal(
  draft: Draft,
  id: string,
  /** the version the person saw (a typed cell has none: it is checked against the accepted state) */
  version: string | undefined,
  fields: Partial<Record<EditableField, string>>,
) {
  const p = mustFind(draft, id, version);
  // Only a changed value is checked: an entry later removed from 設定 stays on the proposals that have it.
  for (const field of ['category', 'perspective', 'implementation'] as const) {
    const value = fields[field];
    if (value !== undefined && value !== p[field]) checkChoice(draft, field, p.kind, value);
  }
  if (fields.implementation && p.judgment !== '検討継続')
    invalid('implementation', '実施状況は検討継続と判断した課題に付けます。');
  for (const [field, value] of Object.entries(fields) as [EditableField, string][])
    draft.setProposal(id, field, value);
}

export function addDepartment(draft: Draft, id: string, version: string, department: string) {
  mustFind(draft, id, version);
  checkDepartment(draft, department, true);
  const existing = draft.progress(id, department);
  if (existing?.stage === OUT_OF_SCOPE)
    invalid('department', `「${department}」は所管外として外されています。戻すには事務局の訂正が必要です。`);
  if (existing) invalid('department', `「${department}」はすでにこの課題の所管課です。`);
  draft.addDepartment(id, department);
}

/** Moves one department's stage, keeping its dates consistent with the stage it now has. */
export function setDepartmentStage(
  draft: Draft,
  req: {
    id: string;
    version?: string;
    department: string;
    stage: DeptState;
    effectiveDate?: string;
    reason: string;
  },
) {
  const p = mustFind(draft, req.id, req.version);
  const row = draft.progress(req.id, req.department);
  if (!row) invalid('department', `「${req.department}」はこの課題の所管課ではありません。`);
  // The transitions table decides, for every path: a backward move is a correction (事務局, with a reason).
  const check = checkDeptMove(row!.stage, req.stage, { role: draft.actor.role, reason: req.reason });
  if (!check.ok) refusedMove(check, 'stage');
  const effective = checkDate(draft, p, 'effectiveDate', req.effectiveDate, stageFloor(row!, req.stage));
  const meta = { effective, reason: req.reason };
  const { id, department, stage } = req;
  const after = draft.progressOf(id).map((r) => (r.department === department ? stage : r.stage));
  if (p.judgment === '検討継続' && !after.includes('②') && stage !== '④') {
    invalid('stage', '検討継続の課題には協議済み(②)の所管課が必要です。先に判断を訂正してください。');
  }
  draft.setProgress(id, department, 'stage', stage, meta);
  const dates = datesAfterMove(row!, stage, effective, req.reason);
  for (const [field, value] of Object.entries(dates) as [keyof typeof dates, string][]) {
    draft.setProgress(id, department, field, value, meta);
  }
}

/** The dates a department keeps after a move: those of the stages it has reached, no others. */
function datesAfterMove(
  row: Progress,
  stage: DeptState,
  effective: string,
  reason: string,
): Partial<Pick<Progress, 'presentedOn' | 'consultedOn' | 'doneOn' | 'removalReason'>> {
  if (stage === OUT_OF_SCOPE) return { removalReason: reason };
  return {
    presentedOn: stage === '未提示' ? '' : row.presentedOn || effective,
    consultedOn: stage === '②' ? row.consultedOn || effective : stage === '④' ? row.consultedOn : '',
    doneOn: stage === '④' ? effective : '',
    removalReason: '',
  };
}

export function recordConsultation(
  draft: Draft,
  req: {
    id: string;
    version?: string;
    department: string;
    date: string;
    attendees: string;
    summary: string;
    nextSteps: string;
  },
  recordId: string,
) {
  const p = mustFind(draft, req.id, req.version);
  const row = draft.progress(req.id, req.department);
  if (!row) invalid('department', `「${req.department}」はこの課題の所管課ではありません。`);
  if (row!.stage === '未提示')
    invalid(
      'department',
      `「${req.department}」にはまだ提示していません。提示してから協議を記録してください。`,
    );
  if (row!.stage === OUT_OF_SCOPE)
    invalid('department', `「${req.department}」は所管外として外されています。`);
  checkDate(
    draft,
    p,
    'date',
    req.date,
    row!.presentedOn ? { min: row!.presentedOn, label: '提示日' } : undefined,
  );
  const c: Consultation = {
    recordId,
    id: req.id,
    department: req.department,
    date: req.date,
    attendees: req.attendees,
    summary: req.summary,
    nextSteps: req.nextSteps,
    recordedBy: draft.actor.email,
    recordedAt: draft.actor.recordedAt,
  };
  draft.addConsultation(c, { effective: req.date });
  // Recording a consultation is what moves a department from ① to ②.
  if (row!.stage === '①')
    setDepartmentStage(draft, {
      id: req.id,
      department: req.department,
      stage: '②',
      effectiveDate: req.date,
      reason: '',
    });
}

export function recordJudgment(
  draft: Draft,
  req: {
    id: string;
    version?: string;
    judgment: JudgmentState;
    endReason: string;
    effectiveDate?: string;
    reason: string;
  },
) {
  const p = mustFind(draft, req.id, req.version);
  if (req.judgment === '検討終了' && req.endReason !== p.endReason)
    checkChoice(draft, 'endReason', p.kind, req.endReason);
  if (
    p.judgment === req.judgment &&
    req.judgment === '検討終了' &&
    req.endReason &&
    req.endReason !== p.endReason
  ) {
    // Changing only the reason of an ended study is an ordinary edit.
    draft.setProposal(req.id, 'endReason', req.endReason, {
      effective: checkDate(draft, p, 'effectiveDate', req.effectiveDate, firstPresented(draft, req.id)),
      reason: req.reason,
    });
    return;
  }
  const check = checkJudgmentMove(p.judgment, req.judgment, {
    role: draft.actor.role,
    reason: req.reason,
    endReason: req.endReason,
    deptStates: draft.progressOf(req.id).map((r) => r.stage),
  });
  if (!check.ok) refusedMove(check, 'judgment');
  // A 判断 (or undoing one) is never dated before the proposal was first presented.
  const effective = checkDate(draft, p, 'effectiveDate', req.effectiveDate, firstPresented(draft, req.id));
  const meta = { effective, reason: req.reason };
  draft.setProposal(req.id, 'judgment', req.judgment as Judgment | '', meta);
  draft.setProposal(req.id, 'judgmentDate', req.judgment ? effective : '', meta);
  draft.setProposal(req.id, 'endReason', req.judgment === '検討終了' ? req.endReason : '', meta);
  if (req.judgment !== '検討継続') draft.setProposal(req.id, 'implementation', '', meta);
}
