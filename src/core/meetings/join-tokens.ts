/**
 * Join tokens: compact HS256 JWTs (RFC 7519) that say who may join which meeting with which role.
 * They are bearer credentials for a few minutes; single use is enforced by the ledger, not here.
 * Every claim has a bounded length (no names: the display name is kept server-side in the join
 * grant), so a token is never longer than `MAX_ISSUED_TOKEN_LENGTH` and a join link always fits
 * a Discord link button (see `MAX_PUBLIC_URL_LENGTH`).
 * @see https://datatracker.ietf.org/doc/html/rfc8725 (JWT best current practices)
 */
import { createHmac, createSecretKey, hkdfSync, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { MeetingRole } from '../ports/meeting-provider';
import { MEETING_ID } from './meeting-ids';
import { JoinLinkError } from './meeting-service';

const ISSUER = 'kaltura-discord';
const AUDIENCE = 'kaltura-discord/join';
/** Real tokens are ~370 characters; anything much longer is not ours and is not worth parsing. */
export const MAX_TOKEN_LENGTH = 2048;
/**
 * The longest token `signJoinToken` can produce: every claim at its longest (20-digit snowflakes,
 * `moderator`, a 22-character jti, 10-digit times). A unit test signs such a token and checks it.
 */
export const MAX_ISSUED_TOKEN_LENGTH = 380;
/** A Discord link button's `url` holds at most 512 characters. @see https://discord.com/developers/docs/components/reference#button */
export const MAX_LINK_BUTTON_URL_LENGTH = 512;
/** The longest `http.publicUrl` whose join links (`<publicUrl>/j/<token>`) always fit a link button. */
export const MAX_PUBLIC_URL_LENGTH = MAX_LINK_BUTTON_URL_LENGTH - '/j/'.length - MAX_ISSUED_TOKEN_LENGTH;
/** `{"alg":"HS256","typ":"JWT"}`, the header `signJoinToken` always writes (as jose, which wrote earlier tokens, serialised it). */
export const JOIN_TOKEN_HEADER = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9';
/** An HS256 signature is 32 bytes: 43 base64url characters without padding. */
const SIGNATURE_LENGTH = 43;
/** The shortest payload worth decoding (our claims alone take far more). */
const MIN_PAYLOAD_LENGTH = 16;
const SNOWFLAKE = /^\d{1,20}$/;

export interface JoinClaims {
  readonly meetingId: string;
  readonly guildId: string;
  /** Discord id of the member the link was made for. */
  readonly userId: string;
  readonly role: MeetingRole;
  readonly tokenId: string;
  /** Epoch milliseconds (whole seconds, as in the token). */
  readonly issuedAt: number;
  readonly expiresAt: number;
}

/**
 * The HMAC key, derived from `links.secret` with HKDF so that the configured secret is never
 * used raw and other features can derive their own keys from it without sharing one.
 */
export function joinTokenKey(secret: string): KeyObject {
  // A KeyObject, built once: node:crypto would otherwise import raw key bytes on every sign and verify.
  return createSecretKey(new Uint8Array(hkdfSync('sha256', secret, '', 'kaltura-discord join link v1', 32)));
}

export async function signJoinToken(
  claims: Omit<JoinClaims, 'issuedAt' | 'expiresAt'>,
  options: { readonly key: KeyObject; readonly now: number; readonly ttlMs: number },
): Promise<{ token: string; expiresAt: number }> {
  const iat = Math.floor(options.now / 1000);
  const exp = Math.floor((options.now + options.ttlMs) / 1000);
  // The compact JWS (RFC 7515 §7.1) jose's SignJWT wrote, claim for claim, in the same order; signed with
  // synchronous node:crypto because a Join click waits for it (WebCrypto queues each HMAC on the thread pool).
  const payload = { mid: claims.meetingId, gid: claims.guildId, role: claims.role, sub: claims.userId, jti: claims.tokenId, iss: ISSUER, aud: AUDIENCE, iat, exp };
  const signingInput = `${JOIN_TOKEN_HEADER}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  const token = `${signingInput}.${createHmac('sha256', options.key).update(signingInput).digest('base64url')}`;
  return { token, expiresAt: exp * 1000 };
}

/**
 * Why a token cannot be one of ours, from its shape alone (no decoding, no cryptography, no
 * allocation), or undefined when it is worth verifying. Anyone can send garbage to `/j/`, so this
 * runs first: length, alphabet (base64url), three non-empty parts, a signature of HS256's length.
 * A header other than ours is left to `verifyJoinToken`, which tells an edited algorithm
 * (tampering) from damage.
 */
export function joinTokenShapeFailure(token: string): 'malformed' | undefined {
  const length = token.length;
  if (length < JOIN_TOKEN_HEADER.length + MIN_PAYLOAD_LENGTH + SIGNATURE_LENGTH + 2 || length > MAX_TOKEN_LENGTH) return 'malformed';
  let firstDot = -1;
  let secondDot = -1;
  for (let i = 0; i < length; i++) {
    const c = token.charCodeAt(i);
    // A-Z a-z 0-9 - _
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 95) continue;
    if (c !== 46 || secondDot !== -1) return 'malformed';
    if (firstDot === -1) firstDot = i;
    else secondDot = i;
  }
  if (firstDot < 1 || secondDot - firstDot - 1 < MIN_PAYLOAD_LENGTH) return 'malformed';
  // A cut-off or padded link: our signatures are always exactly this long.
  if (length - secondDot - 1 !== SIGNATURE_LENGTH) return firstDot === JOIN_TOKEN_HEADER.length && token.startsWith(JOIN_TOKEN_HEADER) ? 'malformed' : undefined;
  return undefined;
}

/**
 * Checks shape, header, signature (HMAC-SHA256, constant-time compare), issuer, audience and
 * expiry (against the injected time); throws JoinLinkError. Synchronous node:crypto, not jose's
 * WebCrypto path: redemption is the hot path, and the checks are exactly those jose's `jwtVerify`
 * made here before (RFC 7519 §7.2; algorithms pinned to HS256 as RFC 8725 §3.1 asks).
 */
export async function verifyJoinToken(token: string, options: { readonly key: KeyObject; readonly now: number }): Promise<JoinClaims> {
  if (joinTokenShapeFailure(token) !== undefined) throw new JoinLinkError('malformed');
  const firstDot = token.indexOf('.');
  const secondDot = token.indexOf('.', firstDot + 1);
  if (firstDot !== JOIN_TOKEN_HEADER.length || !token.startsWith(JOIN_TOKEN_HEADER)) checkForeignHeader(token.slice(0, firstDot));
  if (token.length - secondDot - 1 !== SIGNATURE_LENGTH) throw new JoinLinkError('bad-signature');
  const expected = createHmac('sha256', options.key).update(token.slice(0, secondDot)).digest();
  if (!timingSafeEqual(expected, Buffer.from(token.slice(secondDot + 1), 'base64url'))) throw new JoinLinkError('bad-signature');
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(token.slice(firstDot + 1, secondDot), 'base64url').toString('utf8'));
  } catch (err) {
    throw new JoinLinkError('malformed', { cause: err });
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new JoinLinkError('malformed');
  return parseClaims(checkRegisteredClaims(payload as Record<string, unknown>, Math.floor(options.now / 1000)));
}

/**
 * A header that is not the one we write: signed by us with another serialisation (`{"alg":"HS256"}`)
 * is still checked; another algorithm (`none`, HS512…) is tampering, not damage in transit.
 */
function checkForeignHeader(segment: string): void {
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch (err) {
    throw new JoinLinkError('malformed', { cause: err });
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new JoinLinkError('malformed');
  const { alg, crit, b64 } = header as Record<string, unknown>;
  if (alg !== 'HS256') throw new JoinLinkError('bad-signature');
  // Extensions we do not implement must make the token invalid (RFC 7515 §4.1.11, RFC 7797 §3).
  if (crit !== undefined || b64 !== undefined) throw new JoinLinkError('malformed');
}

/** RFC 7519 §4.1 checks, after the signature held. Our own token for another use is refused like a forged one. */
function checkRegisteredClaims(p: Record<string, unknown>, nowSeconds: number): Record<string, unknown> {
  const { iss, aud, sub, jti, iat, exp, nbf } = p;
  if (iss !== ISSUER) throw new JoinLinkError('bad-signature');
  if (!(aud === AUDIENCE || (Array.isArray(aud) && aud.includes(AUDIENCE)))) throw new JoinLinkError('bad-signature');
  if (sub === undefined || jti === undefined || typeof iat !== 'number' || typeof exp !== 'number') throw new JoinLinkError('bad-signature');
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > nowSeconds)) throw new JoinLinkError('bad-signature');
  if (exp <= nowSeconds) throw new JoinLinkError('expired');
  return p;
}

/**
 * The signature held, so these only fail if a token of ours has a shape we never issue. Tokens
 * issued before names moved server-side also carry a `name` claim: it is ignored.
 */
function parseClaims(p: Record<string, unknown>): JoinClaims {
  const { mid, gid, sub, role, jti, iat, exp } = p;
  if (
    typeof mid !== 'string' || !MEETING_ID.test(mid) ||
    typeof gid !== 'string' || !SNOWFLAKE.test(gid) ||
    typeof sub !== 'string' || !SNOWFLAKE.test(sub) ||
    (role !== 'moderator' && role !== 'attendee') ||
    typeof jti !== 'string' || jti.length === 0 || jti.length > 64 ||
    typeof iat !== 'number' || typeof exp !== 'number'
  ) {
    throw new JoinLinkError('malformed');
  }
  return { meetingId: mid, guildId: gid, userId: sub, role, tokenId: jti, issuedAt: iat * 1000, expiresAt: exp * 1000 };
}
