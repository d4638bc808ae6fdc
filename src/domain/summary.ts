// The summary (集計) as numbers: seed page 4's tables and pages 5–6's lists, plus what the
// secretariat needs beyond the seed. Pure: computed from records, never stored.
import type { ChoiceLists } from './choices';
import { daysBetween, type IsoDate } from './dates';
import type { Correction } from './history-entry';
import { idNumber } from './ids';
import { type COUNTED_STAGES, KIND_KEY, KINDS, SENT_OUTSIDE, type Stage } from './labels';
import type { Department, SummaryProgress, SummaryProposal } from './model';
import { effectiveStage } from './stage';

type StageCounts = { '1': number; '2': number; '3': number; '4': number; total: number };

export interface Summary {
  asOf: IsoDate;
  fiscalYear: number;
  projectName: string;
  byKind: { user: number; staff: number; total: number };
  progress: { user: StageCounts; staff: StageCounts; total: StageCounts };
  notPresented: { user: number; staff: number };
  categories: { user: Record<string, number>; staff: Record<string, number> };
  lists: { user: SummaryListRow[]; staff: SummaryListRow[] };
  departments: {
    name: string;
    open: number;
    unsent: number;
    answered: number;
    oldestOpenDays: number;
    /** Requests past their 回答期限 without an answer on `asOf`. */
    overdue: number;
  }[];
  ended: Record<string, number>;
  implementation: Record<string, number>;
  /** Corrections a replay applied by 効力日 (empty for today's register), oldest first. */
  corrections: Correction[];
  /**
   * Published reports (確定) and the changes recorded after them whose 効力日 falls on or before
   * the report's day: set by the server (summary-refresh), footnoted on the tab.
   */
  reported?: import('./published').PublishedReport[];
  /**
   * 「R7継続検討」: the earlier 年度's proposals carried into this one (counted apart, never in the
   * tables above); set by the server when the 年度 was started in the register.
   */
  carriedOver?: import('./fiscal-year').CarriedOver;
}

export interface SummaryListRow {
  no: number;
  id: string;
  painPoint: string;
  title: string;
  stage: Stage;
}

const zeroCounts = (): StageCounts => ({ '1': 0, '2': 0, '3': 0, '4': 0, total: 0 });
const STAGE_KEY: Record<(typeof COUNTED_STAGES)[number], '1' | '2' | '3' | '4'> = {
  '①': '1',
  '②': '2',
  '③': '3',
  '④': '4',
};

/**
 * One more of `key` in a count table. Keys are values people typed or listed in 設定 (a category
 * named "constructor" included): only the table's own entries count, never an inherited property.
 */
export function countIn(table: Record<string, number>, key: string): void {
  const n = ((Object.getOwnPropertyDescriptor(table, key)?.value as number | undefined) ?? 0) + 1;
  // Defined, not assigned: "__proto__" is a key like any other here.
  Object.defineProperty(table, key, { value: n, enumerable: true, writable: true, configurable: true });
}

export interface SummaryInput {
  projectName: string;
  fiscalYear: number;
  asOf: IsoDate;
  /** 設定's lists: the rows of the 場面・分類, 終了理由 and 実施状況 tables, in 設定's order */
  lists: ChoiceLists;
  proposals: readonly SummaryProposal[];
  progress: readonly SummaryProgress[];
  departments: readonly Department[];
  corrections?: readonly Correction[];
  /**
   * 回答期限 of the latest request each department was sent on or before `asOf`, keyed by
   * `${id}\u0000${department}` (domain/deadlines.ts): one past `asOf` at ① without an answer is 期限超過.
   */
  dueDates?: ReadonlyMap<string, IsoDate>;
}

export function buildSummary(input: SummaryInput): Summary {
  const proposals = input.proposals.filter(
    (p) => p.fiscalYear === input.fiscalYear && KINDS.includes(p.kind),
  );
  const byId = new Map<string, SummaryProgress[]>();
  for (const r of input.progress) {
    if (r.stage === '所管外') continue;
    const list = byId.get(r.id) ?? [];
    list.push(r);
    byId.set(r.id, list);
  }
  const s: Summary = {
    asOf: input.asOf,
    fiscalYear: input.fiscalYear,
    projectName: input.projectName,
    byKind: { user: 0, staff: 0, total: 0 },
    progress: { user: zeroCounts(), staff: zeroCounts(), total: zeroCounts() },
    notPresented: { user: 0, staff: 0 },
    categories: {
      user: Object.fromEntries(input.lists.userCategories.map((c) => [c, 0])),
      staff: Object.fromEntries(input.lists.staffCategories.map((c) => [c, 0])),
    },
    lists: { user: [], staff: [] },
    departments: [],
    ended: Object.fromEntries(input.lists.endReasons.map((r) => [r, 0])),
    implementation: Object.fromEntries(input.lists.implementation.map((r) => [r, 0])),
    corrections: [],
  };
  // Listed by kind, then by the number in the ID (sort keys computed once: 10,000 proposals).
  const sorted = proposals
    .map((p) => ({ p, kind: p.kind === KINDS[0] ? 0 : 1, no: idNumber(p.id) }))
    .sort((a, b) => a.kind - b.kind || a.no - b.no);
  for (const { p, no } of sorted) {
    const k = KIND_KEY[p.kind];
    const { stage } = effectiveStage(byId.get(p.id) ?? [], p.judgment);
    s.byKind[k]++;
    s.byKind.total++;
    countIn(s.categories[k], p.category);
    s.lists[k].push({ no, id: p.id, painPoint: p.painPoint, title: p.title, stage });
    if (stage === '未提示') {
      s.notPresented[k]++;
      continue;
    }
    const key = STAGE_KEY[stage];
    s.progress[k][key]++;
    s.progress[k].total++;
    s.progress.total[key]++;
    s.progress.total.total++;
    if (p.judgment === '検討終了') countIn(s.ended, p.endReason || 'その他');
    if (p.judgment === '検討継続' && p.implementation) countIn(s.implementation, p.implementation);
  }
  const counted = new Map(proposals.map((p) => [p.id, p]));
  s.departments = departmentStats(input, counted);
  s.corrections = (input.corrections ?? []).filter((c) => counted.has(c.id));
  return s;
}

/** Per department: consultations open (① or ② with no 判断), requests unsent, answers, longest wait. */
function departmentStats(input: SummaryInput, proposals: Map<string, SummaryProposal>) {
  const empty = (name: string) => ({ name, open: 0, unsent: 0, answered: 0, oldestOpenDays: 0, overdue: 0 });
  const stats = new Map(input.departments.map((d) => [d.name, empty(d.name)]));
  // Few distinct 提示日: each wait is computed once.
  const waits = new Map<string, number>();
  for (const r of input.progress) {
    const p = proposals.get(r.id);
    if (!p) continue;
    let d = stats.get(r.department);
    if (!d) stats.set(r.department, (d = empty(r.department)));
    if (r.answerKind) d.answered++;
    // Unsent: neither sent by the add-on nor presented by hand before it (import, sample).
    if (r.stage === '①' && r.requestState !== '送信済' && r.requestState !== SENT_OUTSIDE) d.unsent++;
    if ((r.stage !== '①' && r.stage !== '②') || p.judgment) continue;
    d.open++;
    if (r.stage === '①' && !r.answerKind && input.dueDates) {
      const due = input.dueDates.get(`${r.id}\u0000${r.department}`);
      if (due && due < input.asOf) d.overdue++;
    }
    // A wait counts from 提示日 only for a request the add-on sent (送信済).
    if (r.stage === '①' && !r.answerKind && r.presentedOn && r.requestState === '送信済') {
      let days = waits.get(r.presentedOn);
      if (days === undefined) waits.set(r.presentedOn, (days = daysBetween(r.presentedOn, input.asOf)));
      if (days > d.oldestOpenDays) d.oldestOpenDays = days;
    }
  }
  return [...stats.values()];
}

export type { SummaryProgress, SummaryProposal } from './model';
