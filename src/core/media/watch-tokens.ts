/**
 * Watch tokens: compact HS256 JWTs (jose) naming a member, a server and an entry; no names, so a
 * `/v/<token>` link stays short. A bearer credential for `links.ttl`; single use is the ledger's job.
 * Its own key (HKDF info 'kaltura-discord watch link v1'): a join token is never a watch token.
 * @see https://datatracker.ietf.org/doc/html/rfc8725 (JWT best current practices)
 */
import { createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { WatchLinkError } from './media-errors';
import { ENTRY_ID } from './scoped-media';

const ISSUER = 'kaltura-discord';
const AUDIENCE = 'kaltura-discord/watch';
/** base64url of `{"alg":"HS256","typ":"JWT"}`: the only header we issue. */
const HEADER = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9';
/** Issued tokens are at most 376 characters (a unit test signs the longest, within join links' 380); anything longer is not ours. */
export const MAX_WATCH_TOKEN_LENGTH = 512;
const SHAPE = /^eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9\.[A-Za-z0-9_-]{1,400}\.[A-Za-z0-9_-]{43}$/;
const SNOWFLAKE = /^\d{1,20}$/;
const TOKEN_ID = /^[A-Za-z0-9_-]{16,64}$/;

export interface WatchClaims {
  readonly guildId: string;
  readonly userId: string;
  readonly entryId: string;
  readonly tokenId: string;
  /** Epoch ms (whole seconds, as in the token). */
  readonly expiresAt: number;
}

export function watchTokenKey(secret: string): KeyObject {
  return createSecretKey(new Uint8Array(hkdfSync('sha256', secret, '', 'kaltura-discord watch link v1', 32)));
}

export async function signWatchToken(
  claims: Omit<WatchClaims, 'expiresAt'>,
  options: { readonly key: KeyObject; readonly now: number; readonly ttlMs: number },
): Promise<{ token: string; expiresAt: number }> {
  const exp = Math.floor((options.now + options.ttlMs) / 1000);
  const token = await new SignJWT({ gid: claims.guildId, eid: claims.entryId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.userId)
    .setJti(claims.tokenId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(Math.floor(options.now / 1000))
    .setExpirationTime(exp)
    .sign(options.key);
  return { token, expiresAt: exp * 1000 };
}

/** A cheap look at the token's shape, before any crypto: our header, a bounded payload, a 256-bit signature. */
export const looksLikeWatchToken = (token: unknown): token is string =>
  typeof token === 'string' && token.length <= MAX_WATCH_TOKEN_LENGTH && token.startsWith(`${HEADER}.`) && SHAPE.test(token);

/** Checks shape, signature, audience and expiry against the injected time; throws WatchLinkError. */
export async function verifyWatchToken(token: string, options: { readonly key: KeyObject; readonly now: number }): Promise<WatchClaims> {
  if (!looksLikeWatchToken(token)) throw new WatchLinkError('invalid');
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
    throw new WatchLinkError(err instanceof errors.JWTExpired ? 'expired' : 'invalid', { cause: err });
  }
  const { gid, eid, sub, jti, exp } = payload;
  if (
    typeof gid !== 'string' || !SNOWFLAKE.test(gid) ||
    typeof sub !== 'string' || !SNOWFLAKE.test(sub) ||
    typeof eid !== 'string' || !ENTRY_ID.test(eid) ||
    typeof jti !== 'string' || !TOKEN_ID.test(jti) ||
    typeof exp !== 'number'
  ) {
    throw new WatchLinkError('invalid');
  }
  return { guildId: gid, userId: sub, entryId: eid, tokenId: jti, expiresAt: exp * 1000 };
}
