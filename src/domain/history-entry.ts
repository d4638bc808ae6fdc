// 変更履歴's vocabulary in one place: what a history row holds, and every name its 項目 takes (a
// register field's label, or one of the events below). Writers and readers (replay, the accepted
// state, 集計's footnotes) use these names, never their own literals.
import type { Progress, Proposal } from './model';

export interface HistoryEntry {
  recordedAt: string;
  effective: string;
  user: string;
  path: string;
  id: string;
  department: string;
  field: string;
  old: string;
  new: string;
  reason: string;
}

/** 項目 of a changed register field: its column header. */
export const PROPOSAL_FIELD_LABELS = {
  id: 'ID',
  fiscalYear: '年度',
  kind: '種別',
  painPoint: '困りごと',
  perspective: '目線',
  category: '場面・分類',
  title: '課題(提案)名',
  solution: '解決策',
  ptMembers: 'PT担当',
  ptContact: 'PT連絡先',
  judgment: '判断',
  judgmentDate: '判断日',
  endReason: '終了理由',
  implementation: '実施状況',
  notes: '備考',
} as const satisfies Record<keyof Proposal, string>;

export const PROGRESS_FIELD_LABELS = {
  id: 'ID',
  department: '所管課',
  stage: '段階',
  presentedOn: '提示日',
  consultedOn: '協議日',
  doneOn: '対応済日',
  removalReason: '所管外の理由',
  requestState: '依頼状態',
  answerKind: '回答区分',
  answerComment: '回答内容',
  answeredBy: '回答者',
  answeredOn: '回答日',
  proposedDate: '協議希望日',
} as const satisfies Record<keyof Progress, string>;

const byLabel = <K extends string>(labels: Record<K, string>): ReadonlyMap<string, K> =>
  new Map(Object.entries(labels).map(([k, v]) => [v as string, k as K]));
/** The register field a history row's 項目 names (undefined for events). */
export const PROPOSAL_FIELD_OF_LABEL = byLabel<keyof Proposal>(PROPOSAL_FIELD_LABELS);
export const PROGRESS_FIELD_OF_LABEL = byLabel<keyof Progress>(PROGRESS_FIELD_LABELS);

/** 項目 of the history rows that are events rather than one field's change. */
export const HISTORY_EVENTS = {
  /** a proposal created (新値: 種別：題名) */
  created: '作成',
  /** a department added to a proposal */
  departmentAdded: '所管課追加',
  /** a consultation recorded (新値: 記録番号 and the start of its summary) */
  consultation: '協議記録',
  /** a proposal carried into the next 年度 (domain/fiscal-year) */
  carriedOver: '継続検討',
  /** a report published (確定), its figures in 新値 (domain/published) */
  published: '報告確定',
  /** a department's answer to a progress check: 実施状況 before and after, its note in 理由 */
  progressAnswer: '実施状況の回答',
} as const;

/** 項目 of a change to one of 設定's guarded rows (事務局, PTメンバー…) or its 年度. */
export const settingField = (key: string) => `設定:${key}`;

/** 項目 of a hand edit in 所管課 or 協議記録, logged as typed: 所管課:メール, 協議記録:概要(R7-U01-K1). */
export const tableEditField = (sheet: '所管課' | '協議記録', header: string, key: string) =>
  sheet === '所管課' ? `${sheet}:${header}` : `${sheet}:${header}(${key})`;

/** A history row as the replay of 集計 reads it. */
export type ReplayEntry = Pick<
  HistoryEntry,
  'recordedAt' | 'effective' | 'id' | 'department' | 'field' | 'old' | 'new' | 'reason'
>;

/** A backward move or an undone 判断 (secretariat only, with a reason) that the replay applied. */
export type Correction = Omit<ReplayEntry, 'field'> & {
  field: typeof PROGRESS_FIELD_LABELS.stage | typeof PROPOSAL_FIELD_LABELS.judgment;
};

/**
 * 利用者 of a change made on the answer page: the visitor's account where the platform gives it,
 * with the name typed on the form. A typed name that looks like an address is marked unverified,
 * so nobody can write a registered person's address (the secretariat's) as 利用者 — or be given
 * that person's role by it.
 */
export function answererOf(typedName: string, visitor: string): string {
  const name = typedName.includes('@') ? `${typedName}(入力された名前・未確認)` : typedName;
  return visitor ? `${name} <${visitor}>` : name;
}
