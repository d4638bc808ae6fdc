// The pure judge of a hand edit (domain/hand-edit): what is accepted, what goes back and why.
import { describe, expect, it } from 'vitest';
import { progressKey } from '../../src/domain/draft';
import { type EditedCell, judgeEdit } from '../../src/domain/hand-edit';
import { CATEGORIES, END_REASONS, IMPLEMENTATION_STATES, PERSPECTIVES } from '../../src/domain/labels';
import type { Progress, Proposal, RegisterState } from '../../src/domain/model';

const proposal: Proposal = {
  id: 'R7-U01',
  fiscalYear: 2025,
  kind: 'ユーザーの困りごと',
  painPoint: '待ち時間',
  perspective: '市民の目線',
  category: '行政手続きの場面等',
  title: '予約',
  solution: '',
  ptMembers: '',
  ptContact: '',
  judgment: '',
  judgmentDate: '',
  endReason: '',
  implementation: '',
  notes: '',
};
const dept: Progress = {
  id: 'R7-U01',
  department: '市民課',
  stage: '①',
  presentedOn: '2025-10-01',
  consultedOn: '',
  doneOn: '',
  removalReason: '',
  requestState: '送信済',
  answerKind: '',
  answerComment: '',
  answeredBy: '',
  answeredOn: '',
  proposedDate: '',
};
const state: RegisterState = {
  settings: {
    projectName: 'P',
    fiscalYear: 2025,
    answerDays: 10,
    reminderDays: 5,
    escalationDays: 5,
    digest: false,
    secretariat: [],
    pt: [],
    ptContact: '',
    webAppUrl: '',
    lists: {
      perspectives: [...PERSPECTIVES],
      userCategories: [...CATEGORIES.ユーザーの困りごと],
      staffCategories: [...CATEGORIES.職員の困りごと],
      endReasons: [...END_REASONS],
      implementation: [...IMPLEMENTATION_STATES],
    },
  },
  proposals: [proposal],
  progress: [dept],
  consultations: [],
  departments: [{ name: '市民課', shortName: '', emails: '', active: true }],
};
const accepted = {
  proposals: new Map([[proposal.id, proposal]]),
  progress: new Map([[progressKey(dept.id, dept.department), dept]]),
};
const actor = (role: 'PT' | '事務局' | null, email = 'pt@example.jp') => ({
  email,
  role,
  path: '直接編集' as const,
  today: '2025-11-25',
  recordedAt: '2025-11-25T15:00:00+09:00',
});
const typed = (key: string, now: string, was: string, department = ''): EditedCell => ({
  row: 2,
  col: 5,
  key,
  id: 'R7-U01',
  department,
  was,
  now,
});
const judge = (table: 'proposals' | 'progress', cell: EditedCell, role: 'PT' | '事務局' | null = 'PT') =>
  judgeEdit({
    table,
    state,
    accepted,
    cells: [cell],
    actor: actor(role),
    whole: false,
    dateKeys: new Set(['presentedOn', 'consultedOn']),
  });

describe('judgeEdit', () => {
  it('accepts a forward stage typed by a PT member, dated today, and says so on the cell', () => {
    const v = judge('progress', typed('stage', '②', '①', '市民課'));
    expect(v.putBacks).toEqual([]);
    expect(v.draft!.history.map((h) => [h.field, h.old, h.new])).toContainEqual(['段階', '①', '②']);
    expect(v.told[0]!.note).toContain('効力日 R7.11.25(今日)');
    expect([...v.changed]).toEqual(['2:5']);
  });

  it('puts back a backward move, a date typed by hand and a display column, each saying why', () => {
    expect(judge('progress', typed('stage', '未提示', '①', '市民課')).putBacks[0]).toMatchObject({
      value: '①',
      note: expect.stringContaining('事務局がサイドバーから理由を付けて'),
    });
    expect(
      judge('progress', typed('presentedOn', '2025-01-01', '2025-10-01', '市民課')).putBacks[0],
    ).toMatchObject({
      value: '2025-10-01',
      note: '日付はサイドバーの操作や訂正で記録されます。',
    });
    expect(judge('proposals', typed('stage', '④', '①')).putBacks[0]).toMatchObject({
      value: '①',
      note: expect.stringContaining('アドオンが書き込みます'),
    });
  });

  it('checks a typed list value against 設定, as every path does', () => {
    const v = judge('proposals', typed('category', '窓口', '行政手続きの場面等'));
    expect(v.putBacks[0]).toMatchObject({
      value: '行政手続きの場面等',
      note: expect.stringContaining('設定の一覧'),
    });
    expect(v.draft!.history).toEqual([]);
    expect(judge('proposals', typed('notes', 'メモ', '')).draft!.history.map((h) => h.field)).toEqual([
      '備考',
    ]);
  });

  it('accepts nothing from someone with no role, and lets the server commit nothing', () => {
    const v = judge('proposals', typed('notes', 'メモ', ''), null);
    expect(v.draft).toBeNull();
    expect(v.putBacks[0]).toMatchObject({ value: '', note: expect.stringContaining('権限がありません') });
  });
});
