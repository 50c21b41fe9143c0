import type { RandomBytes } from '../ports/clock';

/** RFC 4648 base32, lower-cased: case-insensitive readers (people, some URL handlers) see the same id. */
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** `m_` followed by 16 base32 characters (80 random bits). */
export const MEETING_ID = /^m_[a-z2-7]{16}$/;

export const isMeetingId = (value: string): boolean => MEETING_ID.test(value);

export function newMeetingId(random: RandomBytes): string {
  let out = '';
  let value = 0;
  let bits = 0;
  for (const byte of random(10)) {
    value = ((value << 8) | byte) & 0xffff; // at most 12 pending bits, so 16 are enough
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return `m_${out}`;
}

/** A join token's `jti`: 128 random bits, base64url. */
export const newTokenId = (random: RandomBytes): string => Buffer.from(random(16)).toString('base64url');
