// One transitions table for every path that changes a stage: the sidebar (to offer choices and to
// validate a save), hand edits, import and answers all ask this table, never a copy of it.
import type { DeptState, Judgment, Role } from './labels';

export type MoveKind = 'forward' | 'removal' | 'correction';

export interface DeptTransition {
  from: DeptState;
  to: DeptState;
  kind: MoveKind;
  /** What the change must carry besides the new stage. */
  requires: readonly ('効力日' | '理由')[];
}

const forward = (from: DeptState, to: DeptState): DeptTransition => ({
  from,
  to,
  kind: 'forward',
  requires: ['効力日'],
});

/** Moves a department may make on a proposal. Anything not listed is refused. */
export const DEPT_TRANSITIONS: readonly DeptTransition[] = [
  forward('未提示', '①'),
  forward('①', '②'),
  forward('①', '④'),
  forward('②', '④'),
  ...(['未提示', '①', '②', '④'] as const).map(
    (from): DeptTransition => ({ from, to: '所管外', kind: 'removal', requires: ['効力日', '理由'] }),
  ),
  ...(
    [
      ['①', '未提示'],
      ['②', '未提示'],
      ['②', '①'],
      ['④', '未提示'],
      ['④', '①'],
      ['④', '②'],
      ['所管外', '未提示'],
      ['所管外', '①'],
      ['所管外', '②'],
      ['所管外', '④'],
    ] as const
  ).map(([from, to]): DeptTransition => ({ from, to, kind: 'correction', requires: ['効力日', '理由'] })),
];

export type JudgmentState = Judgment | '';

export interface JudgmentTransition {
  from: JudgmentState;
  to: JudgmentState;
  kind: MoveKind;
  requires: readonly ('効力日' | '理由' | '終了理由' | '②の所管課' | '提示済み')[];
}

/** The PT's 判断 (※2): continuing needs a consultation (②); ending is allowed any time after presentation. */
export const JUDGMENT_TRANSITIONS: readonly JudgmentTransition[] = [
  { from: '', to: '検討継続', kind: 'forward', requires: ['効力日', '②の所管課'] },
  { from: '', to: '検討終了', kind: 'forward', requires: ['効力日', '終了理由', '提示済み'] },
  { from: '検討継続', to: '検討終了', kind: 'forward', requires: ['効力日', '終了理由'] },
  { from: '検討終了', to: '検討継続', kind: 'correction', requires: ['効力日', '理由', '②の所管課'] },
  { from: '検討継続', to: '', kind: 'correction', requires: ['効力日', '理由'] },
  { from: '検討終了', to: '', kind: 'correction', requires: ['効力日', '理由'] },
];

export const findDeptTransition = (from: DeptState, to: DeptState): DeptTransition | undefined =>
  DEPT_TRANSITIONS.find((t) => t.from === from && t.to === to);

export const findJudgmentTransition = (
  from: JudgmentState,
  to: JudgmentState,
): JudgmentTransition | undefined => JUDGMENT_TRANSITIONS.find((t) => t.from === from && t.to === to);

/** The stages a person in `role` may choose next for a department now at `from` (for forms). */
export function deptChoices(from: DeptState, role: Role): DeptTransition[] {
  return DEPT_TRANSITIONS.filter((t) => t.from === from && (t.kind !== 'correction' || role === '事務局'));
}

export function judgmentChoices(from: JudgmentState, role: Role): JudgmentTransition[] {
  return JUDGMENT_TRANSITIONS.filter(
    (t) => t.from === from && (t.kind !== 'correction' || role === '事務局'),
  );
}

/** A refused move: the message, and the form field it concerns when it is not the move itself. */
export type Refusal = {
  ok: false;
  message: string;
  field?: 'reason' | 'endReason';
  /** Refused for who is asking (a correction is the secretariat's), not for what was asked. */
  forbidden?: boolean;
};
export type Allowed<T> = { ok: true; transition: T };

/** Checks one department move; the message is Japanese and says what would make it allowed. */
const DEPT_STATE_VALUES = ['未提示', '①', '②', '④', '所管外'] as const;

export function checkDeptMove(
  from: DeptState,
  to: DeptState,
  who: { role: Role | null; reason: string },
): Allowed<DeptTransition> | Refusal {
  if (from === to) return { ok: false, message: `段階はすでに「${to}」です。` };
  const t = findDeptTransition(from, to);
  if (!t) {
    // Says what the cell accepts from where it stands, not only what it refused.
    const accepted = deptChoices(from, who.role ?? 'PT')
      .filter((c) => c.kind !== 'removal')
      .map((c) => `「${c.to}」`)
      .join('・');
    const known = (DEPT_STATE_VALUES as readonly string[]).includes(to);
    const refused = known
      ? `段階を「${from}」から「${to}」へは変更できません。`
      : `段階に「${to}」は入力できません(段階は 未提示・①・②・④ のいずれかです)。`;
    return {
      ok: false,
      message: accepted ? `${refused}「${from}」から入力できるのは ${accepted} です。` : refused,
    };
  }
  if (t.kind === 'correction' && who.role !== '事務局') {
    return {
      ok: false,
      forbidden: true,
      message: `「${from}」から「${to}」へ戻す訂正は、事務局がサイドバーから理由を付けて行います。`,
    };
  }
  if (t.requires.includes('理由') && !who.reason.trim()) {
    return {
      ok: false,
      field: 'reason',
      message:
        t.kind === 'removal' ? '所管外とする理由を入力してください。' : '訂正の理由を入力してください。',
    };
  }
  return { ok: true, transition: t };
}

export function checkJudgmentMove(
  from: JudgmentState,
  to: JudgmentState,
  ctx: { role: Role | null; reason: string; endReason: string; deptStates: readonly DeptState[] },
): Allowed<JudgmentTransition> | Refusal {
  if (from === to) return { ok: false, message: `判断はすでに「${to || '未判断'}」です。` };
  const t = findJudgmentTransition(from, to);
  if (!t)
    return {
      ok: false,
      message: `判断を「${from || '未判断'}」から「${to || '未判断'}」へは変更できません。`,
    };
  if (t.kind === 'correction' && ctx.role !== '事務局') {
    return {
      ok: false,
      forbidden: true,
      message: '判断の取り消し・戻しは訂正です。事務局がサイドバーから理由を付けて行います。',
    };
  }
  if (t.requires.includes('理由') && !ctx.reason.trim())
    return { ok: false, field: 'reason', message: '訂正の理由を入力してください。' };
  if (t.requires.includes('終了理由') && !ctx.endReason)
    return { ok: false, field: 'endReason', message: '検討終了には終了理由が必要です。' };
  if (t.requires.includes('②の所管課') && !ctx.deptStates.includes('②')) {
    return { ok: false, message: '検討継続は、協議済み(②)の所管課がある課題だけが選べます。' };
  }
  if (t.requires.includes('提示済み') && !ctx.deptStates.some((s) => s === '①' || s === '②' || s === '④')) {
    return { ok: false, message: '検討終了は、所管課に提示した後に選べます。' };
  }
  return { ok: true, transition: t };
}
