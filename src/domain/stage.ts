// The effective stage (※1), derived from the departments' stages and the PT's 判断: never typed.
import type { DeptState, Stage } from './labels';

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
  for (const stage of ['②', '①', '④'] as const) {
    const d = depts.find((x) => x.stage === stage);
    if (d) return { stage, decidingDepartment: d.department };
  }
  return { stage: '未提示', decidingDepartment: '' };
}
