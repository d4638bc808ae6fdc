import { describe, expect, it } from 'vitest';
import { findSimilar, similarity } from '../../src/domain/similar';

describe('similar proposals (character bigrams, Dice)', () => {
  it('scores the same text 1, unrelated text near 0, and ignores punctuation and width', () => {
    expect(similarity('本庁案内図が分かりづらい', '本庁案内図が分かりづらい')).toBe(1);
    expect(similarity('本庁案内図が分かりづらい', '公用車のバックモニター')).toBeLessThan(0.1);
    expect(similarity('ＡＩ支払い事務', 'AI支払い事務')).toBe(1);
  });
  it('finds a reworded duplicate of a seed proposal, best first', () => {
    const existing = [
      { id: 'R7-U11', title: '本庁案内図が分かりづらい', painPoint: '本庁案内図が分かりづらい' },
      {
        id: 'R7-U12',
        title: '区役所のサインが分かりづらい',
        painPoint: '区役所内のサイン、表示板が分かりづらい',
      },
      {
        id: 'R7-S09',
        title: '公用車に対するバックモニターの整備',
        painPoint: '公用車にバックモニター設備がなく、不安',
      },
    ];
    const hits = findSimilar(
      { title: '区役所の案内サインが分かりにくい', painPoint: '区役所のサインや表示板が分かりづらい' },
      existing,
    );
    expect(hits.map((h) => h.id)).toEqual(['R7-U12']);
    expect(findSimilar({ title: '熱中症対策', painPoint: '' }, existing)).toEqual([]);
  });
});
