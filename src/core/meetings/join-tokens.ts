/**
 * Join tokens: compact HS256 JWTs (jose) that say who may join which meeting with which role.
 * They are bearer credentials for a few minutes; single use is enforced by the ledger, not here.
 * Every claim has a bounded length (no names: the display name is kept server-side in the join
 * grant), so a token is never longer than `MAX_ISSUED_TOKEN_LENGTH` and a join link always fits
 * a Discord link button (see `MAX_PUBLIC_URL_LENGTH`).
 * @see https://datatracker.ietf.org/doc/html/rfc8725 (JWT best current practices)
 */
import { createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
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
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
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
  // A KeyObject, built once: jose would otherwise import raw key bytes on every sign and verify.
  return createSecretKey(new Uint8Array(hkdfSync('sha256', secret, '', 'kaltura-discord join link v1', 32)));
}

export async function signJoinToken(
  claims: Omit<JoinClaims, 'issuedAt' | 'expiresAt'>,
  options: { readonly key: KeyObject; readonly now: number; readonly ttlMs: number },
): Promise<{ token: string; expiresAt: number }> {
  const iat = Math.floor(options.now / 1000);
  const exp = Math.floor((options.now + options.ttlMs) / 1000);
  const token = await new SignJWT({
    mid: claims.meetingId,
    gid: claims.guildId,
    role: claims.role,
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.userId)
    .setJti(claims.tokenId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(options.key);
  return { token, expiresAt: exp * 1000 };
}

/** Checks shape, signature, audience and expiry (against the injected time); throws JoinLinkError. */
export async function verifyJoinToken(token: string, options: { readonly key: KeyObject; readonly now: number }): Promise<JoinClaims> {
  if (token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) throw new JoinLinkError('malformed');
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, options.key, {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: ['sub', 'jti', 'iat', 'exp'],
      currentDate: new Date(options.now),
    }));
  } catch (err) {
    throw new JoinLinkError(failureOf(err), { cause: err });
  }
  return parseClaims(payload);
}

function failureOf(err: unknown): 'malformed' | 'bad-signature' | 'expired' {
  if (err instanceof errors.JWTExpired) return 'expired';
  // Signed with our key but for another audience or issuer: not a join link we issued.
  if (err instanceof errors.JWSSignatureVerificationFailed || err instanceof errors.JWTClaimValidationFailed) return 'bad-signature';
  // An edited header (alg none, HS512…) is tampering, not damage in transit.
  if (err instanceof errors.JOSEAlgNotAllowed) return 'bad-signature';
  return 'malformed';
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
