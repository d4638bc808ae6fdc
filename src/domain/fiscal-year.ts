// Starting a new 年度 in the same register: 設定's 年度 moves on, new proposals get the new year's
// IDs (R8-…), nothing is deleted or renumbered. Every earlier proposal neither ended (検討終了) nor
// done (effective stage ④) is carried over (継続検討): one sealed 変更履歴 row per proposal (項目
// 「継続検討」, 新値 the new 年度), so replays and the as-of view know which were carried when.

import { fiscalYearLabel, parseFiscalYear, shortFiscalYear } from './dates';
import { HISTORY_EVENTS } from './history-entry';
import type { Progress, Proposal } from './model';
import { effectiveStage } from './stage';
import { countIn } from './summary';

/** 項目 of a carry-over row. */
export const CARRY_FIELD = HISTORY_EVENTS.carriedOver;

/** The proposals a new 年度 carries over: of earlier years, neither 検討終了 nor at ④. */
export function carryOverCandidates(
  proposals: readonly Proposal[],
  progress: readonly Progress[],
  newYear: number,
): { proposal: Proposal; stage: string }[] {
  const byId = new Map<string, Progress[]>();
  for (const r of progress) {
    if (r.stage === '所管外') continue;
    const list = byId.get(r.id) ?? [];
    list.push(r);
    byId.set(r.id, list);
  }
  const out: { proposal: Proposal; stage: string }[] = [];
  for (const p of proposals) {
    if (p.fiscalYear >= newYear || p.judgment === '検討終了') continue;
    const { stage } = effectiveStage(byId.get(p.id) ?? [], p.judgment);
    if (stage === '④') continue;
    out.push({ proposal: p, stage });
  }
  return out;
}

/** The carry-over row's 新値: the 年度 carried into (令和8年度). */
export const carryValue = (fiscalYear: number) => fiscalYearLabel(fiscalYear);

/** The 年度 a carry-over row names, or null when the row is not one. */
export const carriedInto = (e: { field: string; new: string }): number | null =>
  e.field === CARRY_FIELD ? parseFiscalYear(e.new) : null;

export interface CarriedOver {
  fromFiscalYear: number;
  /** 「R7継続検討」 */
  label: string;
  total: number;
  /** 検討継続 / 検討終了 / 未判断 */
  byJudgment: Record<string, number>;
  /** 実施状況 (未設定 when blank) */
  byStatus: Record<string, number>;
  ids: string[];
  /** One row per carried-over proposal, for 集計's list (ID order as carried). */
  rows: { id: string; title: string; stage: string; judgment: string; implementation: string }[];
}

/** The carried-over proposals of a 年度, counted by 判断 and by 実施状況 as they stand. */
export function carriedOverSummary(
  fiscalYear: number,
  ids: readonly string[],
  proposals: ReadonlyMap<string, { title: string; judgment: string; implementation: string }>,
  statuses: readonly string[],
  stageOf: (id: string, judgment: string) => string,
): CarriedOver {
  const rows: CarriedOver['rows'] = [];
  const byJudgment: Record<string, number> = { 検討継続: 0, 未判断: 0, 検討終了: 0 };
  const byStatus: Record<string, number> = Object.fromEntries(statuses.map((s) => [s, 0]));
  const listed: string[] = [];
  const seen = new Set<string>();
  for (const id of ids) {
    const p = proposals.get(id);
    if (!p || seen.has(id)) continue;
    seen.add(id);
    listed.push(id);
    rows.push({
      id,
      title: p.title,
      stage: stageOf(id, p.judgment),
      judgment: p.judgment || '未判断',
      implementation: p.implementation,
    });
    const j = p.judgment || '未判断';
    countIn(byJudgment, j);
    const s = p.implementation || '未設定';
    countIn(byStatus, s);
  }
  const from = fiscalYear - 1;
  return {
    fromFiscalYear: from,
    label: `${shortFiscalYear(from)}継続検討`,
    total: listed.length,
    byJudgment,
    byStatus,
    ids: listed,
    rows,
  };
}
