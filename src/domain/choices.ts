// The lists a person picks from (目線, 場面・分類, 終了理由, 実施状況). 設定 is their one source:
// labels.ts holds only the defaults setup writes there. Every path that takes such a value (the
// sidebar, a typed or pasted cell, an import, the dropdowns) asks this module, with 設定's lists.
import type { Kind } from './labels';
import type { Settings } from './model';

export type ChoiceLists = Settings['lists'];
export type ChoiceField = 'category' | 'perspective' | 'endReason' | 'implementation';

export const CHOICE_LABELS: Record<ChoiceField, string> = {
  category: '場面・分類',
  perspective: '目線',
  endReason: '終了理由',
  implementation: '実施状況',
};

export function categoriesOf(lists: ChoiceLists, kind: Kind | string): string[] {
  if (kind === 'ユーザーの困りごと') return lists.userCategories;
  if (kind === '職員の困りごと') return lists.staffCategories;
  return [];
}

/** The values a field accepts for a proposal of this kind; blank is accepted where the field is optional. */
export function choicesOf(lists: ChoiceLists, field: ChoiceField, kind: Kind | string): string[] {
  switch (field) {
    case 'category':
      return categoriesOf(lists, kind);
    case 'perspective':
      return kind === 'ユーザーの困りごと' ? lists.perspectives : [];
    case 'endReason':
      return lists.endReasons;
    case 'implementation':
      return lists.implementation;
  }
}

const quoted = (xs: readonly string[]) => `「${xs.join('」「')}」`;

/**
 * Why `value` cannot go into `field` of a proposal of `kind`, in Japanese naming the field, or null.
 * Blank is fine except for 場面・分類; whether blank is allowed at that moment (a 検討終了 needs a
 * reason) is the transitions' business.
 */
export function choiceProblem(
  lists: ChoiceLists,
  field: ChoiceField,
  kind: Kind | string,
  value: string,
): string | null {
  const label = CHOICE_LABELS[field];
  if (value === '') return field === 'category' ? `${label}を選んでください。` : null;
  if (field === 'perspective' && kind !== 'ユーザーの困りごと')
    return '目線はユーザーの困りごとだけに付けます。';
  const allowed = choicesOf(lists, field, kind);
  if (allowed.includes(value)) return null;
  return allowed.length
    ? `${label}は${quoted(allowed)}から選んでください(設定の一覧)。`
    : `${label}の一覧が設定にありません。事務局に設定を確認してもらってください。`;
}
