// The register's vocabulary: every label a user sees in a cell, a list or a header lives here once.

export const KINDS = ['ユーザーの困りごと', '職員の困りごと'] as const;
export type Kind = (typeof KINDS)[number];
export const KIND_CODE: Record<Kind, 'U' | 'S'> = { ユーザーの困りごと: 'U', 職員の困りごと: 'S' };
export const KIND_KEY: Record<Kind, 'user' | 'staff'> = {
  ユーザーの困りごと: 'user',
  職員の困りごと: 'staff',
};

export const PERSPECTIVES = ['市民の目線', '子育て世代の目線', '民間事業者の目線', '社会状況'] as const;
export const CATEGORIES: Record<Kind, readonly string[]> = {
  ユーザーの困りごと: ['行政手続きの場面等', '公共の場等'],
  職員の困りごと: ['業務効率に関すること', '働き方・働きがい・働く環境に関すること', '両方'],
};

/** A department's stage on one proposal (所管課別進捗). ③ is never a department's: it is the PT's 判断. */
export const DEPT_STAGES = ['未提示', '①', '②', '④'] as const;
export type DeptStage = (typeof DEPT_STAGES)[number];
/** A department removed as not responsible keeps its row (history and answers stay), marked so. */
export const OUT_OF_SCOPE = '所管外' as const;
export type DeptState = DeptStage | typeof OUT_OF_SCOPE;

export const JUDGMENTS = ['検討継続', '検討終了'] as const;
export type Judgment = (typeof JUDGMENTS)[number];
export const END_REASONS = ['認識の誤り', '解決が望めない', 'その他'] as const;
export const IMPLEMENTATION_STATES = ['未着手', '予算化検討中', '実施中', '完了'] as const;

/** The effective stage of a proposal (※1): ③ is the PT's 判断; 未提示 is counted apart. */
export const STAGES = ['未提示', '①', '②', '③', '④'] as const;
export type Stage = (typeof STAGES)[number];
export const COUNTED_STAGES = ['①', '②', '③', '④'] as const;
export type CountedStage = (typeof COUNTED_STAGES)[number];

/** Labels as on seed page 4 (column heads) and pages 5–6 (進捗状況). */
export const STAGE_HEADINGS: Record<CountedStage, string> = {
  '①': '① 所管課に課題(提案)を提示した段階 ※協議はこれから開始',
  '②': '② PTと所管課で提案の協議を行った段階',
  '③': '③ PTにおいて、検討継続or検討終了(※2)の判断が終わった段階',
  '④': '④ 既に所管課で対応済のもの(①~③除く)',
};
export const STAGE_LIST_LABELS: Record<Stage, string> = {
  未提示: '未提示',
  '①': '①所管課に課題を提示した段階',
  '②': '②PTと所管課で協議を行った段階',
  '③': '③PTにおいて判断が終わった段階',
  '④': '④既に所管課で対応済みのもの',
};

export const ROLES = ['事務局', 'PT'] as const;
export type Role = (typeof ROLES)[number];

/** Where a change came from, as written in 変更履歴's 経路. */
export const PATHS = ['サイドバー', '直接編集', '回答ページ', '取込', 'トリガー', '初期設定'] as const;
export type ChangePath = (typeof PATHS)[number];

export const ANSWER_KINDS = ['協議に応じる', '既に対応済み・対応予定', '所管外', 'その他'] as const;

/**
 * 依頼状態 of a presentation made before or outside the add-on (import, sample): sent by hand,
 * never 未送信, and not waited on (waits count only for requests the add-on sent: 送信済).
 */
export const SENT_OUTSIDE = '台帳外で送付済' as const;
