// "Is this already in the register?": character bigrams compared with the Dice coefficient, which
// works for Japanese (no word spaces) and ignores punctuation, spaces and width differences.

const normalise = (s: string) =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s、。・,.!?！？「」『』()（）【】\-ー~〜]/g, '');

export function bigrams(s: string): Map<string, number> {
  const t = normalise(s);
  const out = new Map<string, number>();
  if (t.length === 1) out.set(t, 1);
  for (let i = 0; i < t.length - 1; i++) {
    const g = t.slice(i, i + 2);
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

/** Dice coefficient of two texts' bigram multisets: 1 for the same text, 0 for nothing shared. */
export function similarity(a: string, b: string): number {
  const x = bigrams(a);
  const y = bigrams(b);
  let size = 0;
  let shared = 0;
  for (const n of x.values()) size += n;
  for (const n of y.values()) size += n;
  for (const [g, n] of x) shared += Math.min(n, y.get(g) ?? 0);
  return size === 0 ? 0 : (2 * shared) / size;
}

export interface SimilarHit {
  id: string;
  title: string;
  painPoint: string;
  score: number;
}

/** Proposals whose title or pain point is close to the new one's, best first. */
export function findSimilar(
  draft: { title: string; painPoint: string },
  existing: readonly { id: string; title: string; painPoint: string }[],
  threshold = 0.5,
  limit = 3,
): SimilarHit[] {
  return existing
    .map((p) => ({
      id: p.id,
      title: p.title,
      painPoint: p.painPoint,
      score: Math.max(
        draft.title ? similarity(draft.title, p.title) : 0,
        draft.painPoint ? similarity(draft.painPoint, p.painPoint) : 0,
      ),
    }))
    .filter((h) => h.score >= threshold)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit);
}
