// The effective stage (※1), derived from the departments' stages and the PT's 判断: never typed.
import type { DeptState, Stage } from './labels';
import type { Progress, Proposal } from './model';

export interface DeptStageRow {
  department: string;
  stage: DeptState;
}

export interface EffectiveStage {
  stage: Stage;
  /** The department whose stage decided the count (※1), '' when the 判断 or nothing decided. */
  decidingDepartment: string;
}

/**
 * ③ once a 判断 is recorded; otherwise the most advanced department among ①/② (※1: the one whose
 * consultation has gone furthest); otherwise ④ when a department is at ④; otherwise 未提示.
 */
export function effectiveStage(depts: readonly DeptStageRow[], judgment: string): EffectiveStage {
  if (judgment) return { stage: '③', decidingDepartment: '' };
  // One pass (a summary asks this for every proposal): the first department at the best rank.
  let best: DeptStageRow | undefined;
  for (const d of depts) if (RANK[d.stage] > (best ? RANK[best.stage] : 0)) best = d;
  return best
    ? { stage: best.stage as Stage, decidingDepartment: best.department }
    : { stage: '未提示', decidingDepartment: '' };
}

/** ② beats ① beats ④; the rest do not count. */
const RANK: Record<DeptState, number> = { '②': 3, '①': 2, '④': 1, 未提示: 0, 所管外: 0 };

/** The display columns of 課題一覧, derived from 所管課別進捗 (all rows, or this proposal's) and the 判断. */
export function displayFor(p: Pick<Proposal, 'id' | 'judgment'>, progress: readonly Progress[]) {
  const rows = progress.filter((r) => r.id === p.id && r.stage !== '所管外');
  const eff = effectiveStage(rows, p.judgment);
  return {
    departments: rows.map((r) => `${r.department}(${r.stage})`).join('、'),
    stage: eff.stage,
    decidingDepartment: eff.decidingDepartment,
  };
}
