import { closest, distance } from 'fastest-levenshtein';

/**
 * The closest valid key to a misspelled one, if it is close enough to be a typo
 * (case-insensitive; at most a third of the word differs).
 */
export function suggestKey(wrong: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const lower = wrong.toLowerCase();
  const byLower = new Map(candidates.map((c) => [c.toLowerCase(), c]));
  const best = closest(lower, [...byLower.keys()]);
  const limit = Math.max(2, Math.ceil(lower.length / 3));
  return distance(lower, best) <= limit ? byLower.get(best) : undefined;
}
