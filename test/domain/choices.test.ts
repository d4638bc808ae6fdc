import { describe, expect, it } from 'vitest';
import { choiceProblem, choicesOf } from '../../src/domain/choices';

const lists = {
  perspectives: ['市民の目線', '高齢者の目線'],
  userCategories: ['行政手続きの場面等'],
  staffCategories: ['業務効率に関すること'],
  endReasons: ['認識の誤り'],
  implementation: ['未着手', '実施中'],
};

describe('choiceProblem: one check of 設定 lists for every path', () => {
  it('accepts what 設定 lists, for the kind', () => {
    expect(choiceProblem(lists, 'perspective', 'ユーザーの困りごと', '高齢者の目線')).toBeNull();
    expect(choiceProblem(lists, 'category', '職員の困りごと', '業務効率に関すること')).toBeNull();
    expect(choiceProblem(lists, 'implementation', '職員の困りごと', '実施中')).toBeNull();
    expect(choiceProblem(lists, 'endReason', 'ユーザーの困りごと', '')).toBeNull();
  });

  it('refuses, naming the field and listing 設定', () => {
    expect(choiceProblem(lists, 'category', '職員の困りごと', '行政手続きの場面等')).toBe(
      '場面・分類は「業務効率に関すること」から選んでください(設定の一覧)。',
    );
    expect(choiceProblem(lists, 'category', 'ユーザーの困りごと', '')).toBe('場面・分類を選んでください。');
    expect(choiceProblem(lists, 'perspective', '職員の困りごと', '市民の目線')).toBe(
      '目線はユーザーの困りごとだけに付けます。',
    );
    expect(choiceProblem(lists, 'endReason', '職員の困りごと', 'その他')).toMatch(
      /^終了理由は「認識の誤り」/,
    );
    expect(
      choiceProblem({ ...lists, implementation: [] }, 'implementation', '職員の困りごと', '完了'),
    ).toMatch(/実施状況の一覧が設定にありません/);
  });

  it('offers a 目線 only to user proposals', () => {
    expect(choicesOf(lists, 'perspective', '職員の困りごと')).toEqual([]);
    expect(choicesOf(lists, 'perspective', 'ユーザーの困りごと')).toEqual(lists.perspectives);
  });
});
