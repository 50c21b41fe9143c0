/**
 * Activity session tokens: HS256 JWTs signed and verified synchronously with node:crypto (jose's
 * API is async, and the sync server verifies a session on every WebSocket hello). The header is
 * fixed, so `alg` is never read from the token; the signature is compared in constant time.
 * Own key (HKDF info 'kaltura-discord activity session v1'). A unit test checks jose accepts ours.
 * @see https://datatracker.ietf.org/doc/html/rfc7519 and rfc8725
 */
import { createHmac, createSecretKey, hkdfSync, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { ActivitySession } from './media-service';

const ISSUER = 'kaltura-discord';
const AUDIENCE = 'kaltura-discord/activity';
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
/** Real tokens are ~500 characters (a 64-character name in 4-byte characters at most); the sync hello frame holds 2 KB. */
export const MAX_SESSION_TOKEN_LENGTH = 1200;
const SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/;
const SNOWFLAKE = /^\d{1,20}$/;
export const INSTANCE_ID = /^[A-Za-z0-9_-]{1,128}$/;
/** Sessions last an hour; the client opens a new one before then (or after a reload). */
export const SESSION_TTL_MS = 60 * 60_000;
const MAX_NAME = 64;

export function sessionTokenKey(secret: string): KeyObject {
  return createSecretKey(new Uint8Array(hkdfSync('sha256', secret, '', 'kaltura-discord activity session v1', 32)));
}

const sign = (key: KeyObject, input: string): Buffer => createHmac('sha256', key).update(input).digest();

/** Discord names are at most 32 characters; cut by code points, never in half a pair. */
export const shortName = (name: string): string => [...name].slice(0, MAX_NAME).join('');

export function signSessionToken(session: Omit<ActivitySession, 'expiresAt'>, options: { readonly key: KeyObject; readonly now: number }): { token: string; session: ActivitySession } {
  const iat = Math.floor(options.now / 1000);
  const exp = Math.floor((options.now + SESSION_TTL_MS) / 1000);
  const payload = {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: session.userId,
    gid: session.guildId,
    ...(session.channelId !== undefined && { cid: session.channelId }),
    iid: session.instanceId,
    nm: shortName(session.displayName),
    iat,
    exp,
  };
  const input = `${HEADER}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  const token = `${input}.${sign(options.key, input).toString('base64url')}`;
  return { token, session: { ...session, displayName: payload.nm, expiresAt: exp * 1000 } };
}

/** The session, or undefined for anything forged, expired, malformed or not ours. Never throws. */
export function verifySessionToken(token: unknown, options: { readonly key: KeyObject; readonly now: number }): ActivitySession | undefined {
  if (typeof token !== 'string' || token.length > MAX_SESSION_TOKEN_LENGTH || !SHAPE.test(token) || !token.startsWith(`${HEADER}.`)) return undefined;
  const cut = token.lastIndexOf('.');
  const expected = sign(options.key, token.slice(0, cut));
  const given = Buffer.from(token.slice(cut + 1), 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(token.slice(HEADER.length + 1, cut), 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { iss, aud, sub, gid, cid, iid, nm, iat, exp } = payload as Record<string, unknown>;
  if (
    iss !== ISSUER || aud !== AUDIENCE ||
    typeof sub !== 'string' || !SNOWFLAKE.test(sub) ||
    typeof gid !== 'string' || !SNOWFLAKE.test(gid) ||
    (cid !== undefined && (typeof cid !== 'string' || !SNOWFLAKE.test(cid))) ||
    typeof iid !== 'string' || !INSTANCE_ID.test(iid) ||
    typeof nm !== 'string' || [...nm].length > MAX_NAME ||
    typeof iat !== 'number' || typeof exp !== 'number' || !Number.isFinite(exp)
  ) {
    return undefined;
  }
  // Expired (RFC 7519 §4.1.4: "on or after"), or longer-lived than we ever issue (not ours).
  if (options.now >= exp * 1000 || exp - iat > SESSION_TTL_MS / 1000) return undefined;
  return { userId: sub, guildId: gid, ...(cid !== undefined && { channelId: cid }), instanceId: iid, displayName: nm, expiresAt: exp * 1000 };
}
