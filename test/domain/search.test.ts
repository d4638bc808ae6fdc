// Search folds width, case and kana, and finds an ID in any form.
import { describe, expect, it } from 'vitest';
import { foldForSearch, idKey, makeMatcher } from '../../src/domain/search';

describe('search folding', () => {
  it('folds width, case and katakana to hiragana', () => {
    expect(foldForSearch('Ｒ７－Ｕ０８')).toBe('r7-u08');
    expect(foldForSearch('ホケン')).toBe('ほけん');
    expect(foldForSearch('ﾎｹﾝ')).toBe('ほけん');
  });

  it('reads an ID in any form, and nothing else as one', () => {
    for (const s of ['R7-U08', 'r7-u08', 'Ｒ７－Ｕ０８', 'r7u8', 'R7－U８', 'R7ーU08'])
      expect(idKey(s)).toBe('r7-u8');
    expect(idKey('熱中症')).toBeNull();
    expect(idKey('R7-U')).toBeNull();
  });

  it('matches an ID word to that proposal only, and text words in any kana or width', () => {
    const m = makeMatcher('ｒ７－ｕ０８');
    expect(m('R7-U08', ['電話対応の効率化'])).toBe(true);
    expect(m('R7-U18', ['電話対応の効率化'])).toBe(false);
    expect(m('R7-U80', ['電話対応の効率化'])).toBe(false);
    expect(makeMatcher('チャット')('R7-S05', ['Chat Luckの更なる活用', 'ビジネスちゃっとツール'])).toBe(true);
    expect(makeMatcher('chat luck')('R7-S05', ['Ｃｈａｔ Ｌｕｃｋの更なる活用'])).toBe(true);
    expect(makeMatcher('しんせい 児童')('R7-U05', ['児童関係の申請手続きが手間'])).toBe(false);
    expect(makeMatcher('申請 児童')('R7-U05', ['児童関係の申請手続きが手間'])).toBe(true);
  });
});
