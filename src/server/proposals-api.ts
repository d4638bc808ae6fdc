// The sidebar's register API: each function checks the caller, validates with zod and either
// writes all of a change or none of it.

import * as z from 'zod/mini';
import { requestDeadlines } from '../domain/deadlines';
import type { Draft } from '../domain/draft';
import { idPrefix, nextId } from '../domain/ids';
import { type DeptState, STAGES } from '../domain/labels';
import type { MailRow } from '../domain/mail';
import type { Progress, Proposal, RegisterState } from '../domain/model';
import {
  addDepartment,
  createProposal,
  proposalVersion,
  Refused,
  recordConsultation,
  recordJudgment,
  setDepartmentStage,
  updateProposal,
} from '../domain/operations';
import {
  addDepartmentSchema,
  consultationSchema,
  createProposalSchema,
  judgmentSchema,
  MAX_TEXT,
  searchSchema,
  setStageSchema,
  updateProposalSchema,
} from '../domain/schemas';
import { makeMatcher } from '../domain/search';
import { findSimilar } from '../domain/similar';
import { displayFor } from '../domain/stage';
import { deptChoices, judgmentChoices } from '../domain/transitions';
import { readHistory } from '../sheets/history';
import { SHEETS } from '../sheets/layout';
import { groupById, NotSetUp } from '../sheets/register';
import { workingCalendar } from './calendar';
import { clockFor } from './clock';
import { scriptProps } from './context';
import { readQueue } from './mail-store';
import { mutate, parseOrRefuse, readAs, type Session } from './mutate';

export interface ProposalView {
  proposal: Proposal;
  version: string;
  stage: string;
  decidingDepartment: string;
  departments: (Progress & { choices: { to: DeptState; kind: string }[] })[];
}

function view(p: Proposal, progress: readonly Progress[], role: string): ProposalView {
  const rows = progress.filter((r) => r.id === p.id);
  const display = displayFor(p, progress);
  return {
    proposal: p,
    version: proposalVersion(p, progress),
    stage: display.stage,
    decidingDepartment: display.decidingDepartment,
    departments: rows.map((r) => ({
      ...r,
      choices: deptChoices(r.stage, role === '事務局' ? '事務局' : 'PT').map((t) => ({
        to: t.to,
        kind: t.kind,
      })),
    })),
  };
}

export function searchProposals(payload?: z.input<typeof searchSchema>) {
  const q = parseOrRefuse(searchSchema, payload ?? {});
  return readAs(({ reg, role }) => {
    const { proposals } = reg.state;
    // Each proposal's departments, grouped once: the search runs over the whole register.
    const progressOf = groupById(reg.state.progress);
    const rowsOf = (id: string) => progressOf.get(id) ?? [];
    const matches = makeMatcher(q.query);
    const hits = proposals.filter((p) => {
      const d = displayFor(p, rowsOf(p.id));
      if (q.kind && p.kind !== q.kind) return false;
      if (q.stage && d.stage !== q.stage) return false;
      if (q.department && !rowsOf(p.id).some((r) => r.department === q.department)) return false;
      return matches(p.id, [p.title, p.painPoint]);
    });
    return {
      role,
      total: hits.length,
      items: hits.slice(0, 200).map((p) => ({
        id: p.id,
        kind: p.kind,
        title: p.title,
        painPoint: p.painPoint,
        ...displayFor(p, rowsOf(p.id)),
      })),
    };
  });
}

const idSchema = z.object({
  id: z.string().check(z.trim(), z.minLength(1, { error: 'IDを指定してください。' })),
});

/**
 * What the sidebar shows of one proposal: the same view when it opens the proposal and after each
 * save (so a save needs no second call). 変更履歴 is apart (proposalHistory): it is the one read that
 * grows with the register's age, so it is read only when a person opens it.
 */
function detailOf(
  reg: { ss: GoogleAppsScript.Spreadsheet.Spreadsheet; state: RegisterState },
  id: string,
  role: string,
  withDeadlines = true,
) {
  const p = reg.state.proposals.find((x) => x.id === id);
  if (!p) throw new Refused('not_found', `課題 ${id} が見つかりません。`);
  return {
    ...view(p, reg.state.progress, role),
    role,
    judgmentChoices: judgmentChoices(p.judgment, role === '事務局' ? '事務局' : 'PT').map((t) => ({
      to: t.to,
      kind: t.kind,
    })),
    /** null after a save: a save sends no request, so the 回答期限 the sidebar holds still stand. */
    deadlines: withDeadlines ? deadlinesOf(reg, id) : null,
    consultations: reg.state.consultations.filter((c) => c.id === id),
  };
}
export type ProposalDetail = ReturnType<typeof detailOf>;

export function getProposal(payload: z.input<typeof idSchema>): ProposalDetail {
  const { id } = parseOrRefuse(idSchema, payload);
  return readAs(({ reg, role }) => detailOf(reg, id, role));
}

/** A proposal's 変更履歴, oldest first (seals left out). */
export function proposalHistory(payload: z.input<typeof idSchema>) {
  const { id } = parseOrRefuse(idSchema, payload);
  return readAs(({ reg }) => {
    if (!reg.state.proposals.some((x) => x.id === id))
      throw new Refused('not_found', `課題 ${id} が見つかりません。`);
    return readHistory(reg.ss.getSheetByName(SHEETS.history)!)
      .filter((h) => h.id === id)
      .map(({ hash: _h, row: _r, ...h }) => h);
  });
}

/** Each department's latest request on a proposal with its 回答期限 (none before setup, or when none was sent). */
function deadlinesOf(
  reg: { ss: GoogleAppsScript.Spreadsheet.Spreadsheet; state: RegisterState },
  id: string,
): Record<string, { sentOn: string; dueDate: string; overdue: boolean; overdueDays: number }> {
  let log: MailRow[];
  try {
    log = readQueue(reg.ss).rows.filter((r) => r.id === id);
  } catch (e) {
    if (e instanceof NotSetUp) return {};
    throw e;
  }
  const today = clockFor(reg.ss).today;
  const out: ReturnType<typeof deadlinesOf> = {};
  for (const d of requestDeadlines(reg.state, log, workingCalendar(), today).values())
    out[d.department] = {
      sentOn: d.sentOn,
      dueDate: d.dueDate,
      overdue: d.overdue,
      overdueDays: d.overdueDays,
    };
  return out;
}

/**
 * After a save: the proposal's detail as it now stands (the draft is committed right after),
 * without re-reading 送信記録 for deadlines no save changes (two read round trips fewer).
 */
const afterSave = ({ reg, draft }: Session, id: string): ProposalDetail =>
  detailOf({ ss: reg.ss, state: draft.state }, id, draft.actor.role ?? 'PT', false);

/**
 * The next number of an ID series (R7-U…, R7-U01-K…): past the highest in the sheet and the
 * highest ever issued (kept beside the secret, so a deleted row's number is not handed out
 * again); recorded as issued only when the commit is whole.
 */
function issueId(draft: Draft, prefix: string, existing: readonly string[]): string {
  const { id, number } = nextId(prefix, existing, Number(scriptProps().getProperty(`ISSUED:${prefix}`) ?? 0));
  draft.issued.set(prefix, number);
  return id;
}

export function createProposalApi(payload: z.input<typeof createProposalSchema>) {
  return mutate(createProposalSchema, payload, (session, input) => {
    const { draft } = session;
    const id = issueId(
      draft,
      idPrefix(draft.state.settings.fiscalYear, input.kind),
      draft.state.proposals.map((p) => p.id),
    );
    createProposal(draft, input, id);
    return afterSave(session, id);
  });
}

/**
 * A sidebar change to one proposal, named by the input's ID: only that proposal's rows are read,
 * `change` decides on the draft, and the answer is the proposal's detail as it now stands.
 */
function saveOne<S extends z.ZodMiniType<{ id: string }>>(
  schema: S,
  payload: unknown,
  change: (draft: Draft, input: z.output<S>) => void,
): ProposalDetail {
  return mutate(
    schema,
    payload,
    (session, input) => {
      change(session.draft, input);
      return afterSave(session, input.id);
    },
    (input) => [input.id],
  );
}

export const updateProposalApi = (payload: z.input<typeof updateProposalSchema>) =>
  saveOne(updateProposalSchema, payload, (draft, input) =>
    updateProposal(draft, input.id, input.version, input.fields),
  );

export const addDepartmentApi = (payload: z.input<typeof addDepartmentSchema>) =>
  saveOne(addDepartmentSchema, payload, (draft, input) =>
    addDepartment(draft, input.id, input.version, input.department),
  );

/**
 * Every move of a department's stage, forward or back: the transitions table decides whether it
 * is a correction (事務局 only, with a reason) or removal (a reason), for this door and a typed cell alike.
 */
export const setDepartmentStageApi = (payload: z.input<typeof setStageSchema>) =>
  saveOne(setStageSchema, payload, (draft, input) => setDepartmentStage(draft, input));

export const recordConsultationApi = (payload: z.input<typeof consultationSchema>) =>
  saveOne(consultationSchema, payload, (draft, input) =>
    recordConsultation(
      draft,
      input,
      issueId(
        draft,
        `${input.id}-K`,
        draft.state.consultations.map((c) => c.recordId),
      ),
    ),
  );

/** Every 判断, made or undone: as for stages, the transitions table says when it is a correction. */
export const recordJudgmentApi = (payload: z.input<typeof judgmentSchema>) =>
  saveOne(judgmentSchema, payload, (draft, input) => recordJudgment(draft, input));

export function getSettingsApi() {
  return readAs(({ reg, role, email }) => ({
    email,
    role,
    today: clockFor(reg.ss).today,
    stages: STAGES,
    settings: reg.state.settings,
    departments: reg.state.departments.filter((d) => d.active).map((d) => d.name),
  }));
}

const similarSchema = z.object({
  title: z._default(z.string().check(z.maxLength(500)), ''),
  painPoint: z._default(z.string().check(z.maxLength(MAX_TEXT)), ''),
});

/** Proposals close to a draft's title or pain point, to warn (not block) before creating. */
export function similarApi(payload?: z.input<typeof similarSchema>) {
  const q = parseOrRefuse(similarSchema, payload ?? {});
  return readAs(({ reg }) => findSimilar(q, reg.state.proposals));
}
