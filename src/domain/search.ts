// Search as people type it: width (Ｒ７ / R7), case (r7 / R7) and kana (ほけん / ホケン) folded
// alike, and an ID found in any of those forms, with or without its hyphen or leading zero.

/** NFKC (full-width letters and digits, half-width kana), lower case, katakana as hiragana. */
export function foldForSearch(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));
}

const ID_LIKE = /^([a-z])(\d{1,2})[-‐‑‒–—―−ーｰ_]?([a-z])0*(\d{1,6})$/;

/** 'R7-U08', 'r7-u08', 'Ｒ７－Ｕ０８', 'r7u8' → 'r7-u8'; null when the text is no ID. */
export function idKey(s: string): string | null {
  const m = ID_LIKE.exec(foldForSearch(s.trim()));
  return m ? `${m[1]}${Number(m[2])}-${m[3]}${Number(m[4])}` : null;
}

/**
 * Whether every word of `query` is in one of `texts` (folded), or names `id` in any form.
 * A word that names an ID matches that proposal only.
 */
export function makeMatcher(query: string): (id: string, texts: readonly string[]) => boolean {
  const words = foldForSearch(query).split(/\s+/).filter(Boolean);
  const keys = words.map((w) => idKey(w));
  return (id, texts) => {
    if (!words.length) return true;
    const hay = foldForSearch(`${id} ${texts.join(' ')}`);
    const own = idKey(id);
    return words.every((w, i) => {
      const key = keys[i];
      if (key) return key === own;
      return hay.includes(w);
    });
  };
}
