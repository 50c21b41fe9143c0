/** What `links.secret` must have; docs/security.md states the same rule. */
export const LINK_SECRET_RULE = {
  minLength: 32,
  minDistinct: 10,
  minBits: 128,
} as const;

/**
 * A conservative estimate of a secret's strength: length × log2(distinct characters), and 0 for a
 * string that merely repeats a shorter one ("abcabcabc…"). It cannot tell a random string from a
 * clever pattern, but it refuses the usual mistakes (a word typed twice, a row of one character, a
 * short hex string) while every generated secret passes easily: `init`'s 64 base64url characters
 * rate about 380 bits, `openssl rand -hex 32` 256 and `openssl rand -hex 16` 128.
 */
export function estimateSecretBits(secret: string): number {
  const chars = [...secret];
  const distinct = new Set(chars).size;
  if (distinct < 2 || repeatsShorterUnit(chars)) return 0;
  return chars.length * Math.log2(alphabetSize(secret, distinct));
}

/**
 * The distinct characters, except that a hex string counts its whole alphabet of 16: a random
 * 32-character hex key (`openssl rand -hex 16`, 128 bits) rarely shows all 16 digits, and counting
 * only those it shows would refuse most such keys (an operator's existing key at upgrade) by chance.
 */
function alphabetSize(secret: string, distinct: number): number {
  return /^(?:[0-9a-f]+|[0-9A-F]+)$/.test(secret) ? Math.max(distinct, 16) : distinct;
}

/** Why a `links.secret` is refused, or undefined when it is acceptable. */
export function weakLinkSecretReason(secret: string): string | undefined {
  const chars = [...secret];
  const distinct = new Set(chars).size;
  const rule = `at least ${LINK_SECRET_RULE.minLength} characters, ${LINK_SECRET_RULE.minDistinct} different ones, no repeated pattern, about ${LINK_SECRET_RULE.minBits} bits or more (length × log2 of the distinct characters, 16 for a hex string)`;
  const fix = 'generate one with `openssl rand -base64 48` (or let `kaltura-discord init` write it)';
  if (chars.length < LINK_SECRET_RULE.minLength) return `is too short: ${chars.length} characters; needs ${rule}; ${fix}`;
  if (distinct < LINK_SECRET_RULE.minDistinct) return `is too predictable: only ${distinct} different characters; needs ${rule}; ${fix}`;
  const bits = estimateSecretBits(secret);
  if (bits < LINK_SECRET_RULE.minBits) return `is too predictable: about ${Math.floor(bits)} bits; needs ${rule}; ${fix}`;
  return undefined;
}

function repeatsShorterUnit(chars: readonly string[]): boolean {
  const n = chars.length;
  if (n > 1024) return false; // bounded work; a pattern that long is no longer a short one
  for (let period = 1; period <= n / 2; period++) {
    let same = true;
    for (let i = period; i < n && same; i++) same = chars[i] === chars[i - period];
    if (same) return true;
  }
  return false;
}
