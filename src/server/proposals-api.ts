// The sidebar's register API: each function checks the caller, validates with zod and either
// writes all of a change or none of it.

import * as z from 'zod';
import { requestDeadlines } from '../domain/deadlines';
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
import { deptChoices, judgmentChoices } from '../domain/transitions';
import { readHistory } from '../sheets/history';
import { SHEETS } from '../sheets/layout';
import { displayFor, groupById, NotSetUp } from '../sheets/register';
import { workingCalendar } from './calendar';
import { clockFor } from './clock';
import { scriptProps } from './context';
import { readQueue } from './mail-store';
import { mutate, parseOrRefuse, readAs } from './mutate';

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

export function searchProposals(payload: unknown) {
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

export function getProposal(payload: unknown) {
  const { id } = parseOrRefuse(
    z.object({ id: z.string().trim().min(1, { error: 'IDを指定してください。' }) }),
    payload,
  );
  return readAs(({ reg, role }) => {
    const p = reg.state.proposals.find((x) => x.id === id);
    if (!p) throw new Refused('not_found', `課題 ${id} が見つかりません。`);
    const history = readHistory(reg.ss.getSheetByName(SHEETS.history)!).filter((h) => h.id === id);
    return {
      ...view(p, reg.state.progress, role),
      role,
      judgmentChoices: judgmentChoices(p.judgment, role === '事務局' ? '事務局' : 'PT').map((t) => ({
        to: t.to,
        kind: t.kind,
      })),
      deadlines: deadlinesOf(reg, id),
      consultations: reg.state.consultations.filter((c) => c.id === id),
      history: history.map(({ hash: _h, row: _r, ...h }) => h),
      // 回答期限 of each request the add-on sent and the department has not answered yet.
      dueDates: Object.fromEntries(
        reg.state.progress
          .filter(
            (r) =>
              r.id === id &&
              (r.stage === '①' || r.stage === '②') &&
              r.presentedOn &&
              r.requestState === '送信済' &&
              !r.answerKind,
          )
          .map((r) => [
            r.department,
            workingCalendar().addWorkingDays(r.presentedOn, reg.state.settings.answerDays),
          ]),
      ) as Record<string, string>,
    };
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

export function createProposalApi(payload: unknown) {
  return mutate(createProposalSchema, payload, ({ draft }, input) => {
    const prefix = idPrefix(draft.state.settings.fiscalYear, input.kind);
    const { id, number } = nextId(
      prefix,
      draft.state.proposals.map((p) => p.id),
      Number(scriptProps().getProperty(`ISSUED:${prefix}`) ?? 0),
    );
    createProposal(draft, input, id);
    draft.issued.set(prefix, number);
    return view(draft.proposal(id)!, draft.state.progress, draft.actor.role ?? 'PT');
  });
}

/** A change to one proposal, named in its input: only that proposal's rows are read. */
const byId = (input: { id: string }) => [input.id];

const afterSave = (draft: import('../domain/draft').Draft, id: string) =>
  view(draft.proposal(id)!, draft.state.progress, draft.actor.role ?? 'PT');

export function updateProposalApi(payload: unknown) {
  return mutate(
    updateProposalSchema,
    payload,
    ({ draft }, input) => {
      updateProposal(draft, input.id, input.version, input.fields);
      return afterSave(draft, input.id);
    },
    byId,
  );
}

export function addDepartmentApi(payload: unknown) {
  return mutate(
    addDepartmentSchema,
    payload,
    ({ draft }, input) => {
      addDepartment(draft, input.id, input.version, input.department);
      return afterSave(draft, input.id);
    },
    byId,
  );
}

export function setDepartmentStageApi(payload: unknown) {
  return mutate(
    setStageSchema,
    payload,
    ({ draft }, input) => {
      setDepartmentStage(draft, input);
      return afterSave(draft, input.id);
    },
    byId,
  );
}

export function recordConsultationApi(payload: unknown) {
  return mutate(
    consultationSchema,
    payload,
    ({ draft }, input) => {
      // Numbers are never reused: past the highest in 協議記録 and the highest ever issued (kept
      // beside the secret, so a deleted row's number is not handed out again).
      const prefix = `${input.id}-K`;
      const { id: recordId, number } = nextId(
        prefix,
        draft.state.consultations.map((c) => c.recordId),
        Number(scriptProps().getProperty(`ISSUED:${prefix}`) ?? 0),
      );
      draft.issued.set(prefix, number);
      recordConsultation(draft, input, recordId);
      return afterSave(draft, input.id);
    },
    byId,
  );
}

export function recordJudgmentApi(payload: unknown) {
  return mutate(
    judgmentSchema,
    payload,
    ({ draft }, input) => {
      recordJudgment(draft, input);
      return afterSave(draft, input.id);
    },
    byId,
  );
}

const correctionSchema = z.discriminatedUnion('target', [
  setStageSchema.extend({ target: z.literal('stage') }),
  judgmentSchema.extend({ target: z.literal('judgment') }),
]);

/** Corrections (backward moves, undoing a 判断): secretariat only, reason required. */
export function correctApi(payload: unknown) {
  return mutate(
    correctionSchema,
    payload,
    ({ draft }, input) => {
      if (draft.actor.role !== '事務局') throw new Refused('forbidden', '訂正は事務局だけが行えます。');
      if (!input.reason.trim())
        throw new Refused('invalid', '訂正の理由を入力してください。', {
          reason: '訂正の理由を入力してください。',
        });
      if (input.target === 'stage') setDepartmentStage(draft, input, { correctionOnly: true });
      else recordJudgment(draft, input, { correctionOnly: true });
      return afterSave(draft, input.id);
    },
    byId,
  );
}

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

/** Proposals close to a draft's title or pain point, to warn (not block) before creating. */
export function similarApi(payload: unknown) {
  const q = parseOrRefuse(
    z.object({ title: z.string().max(500).default(''), painPoint: z.string().max(MAX_TEXT).default('') }),
    payload ?? {},
  );
  return readAs(({ reg }) => findSimilar(q, reg.state.proposals));
}
