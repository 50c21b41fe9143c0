import { randomBytes } from 'node:crypto';

/**
 * The fake's OAuth2 grants: authorization codes (what the Activity's `authorize` RPC returns) and
 * the access tokens they are exchanged for.
 * - A code lives 10 minutes and is single use; a code presented twice is refused and the token
 *   issued for it is revoked (RFC 6749 §4.1.2: "A maximum authorization code lifetime of 10 minutes
 *   is RECOMMENDED … If an authorization code is used more than once, the authorization server MUST
 *   deny the request and SHOULD revoke … all tokens previously issued based on that authorization code").
 * - Access tokens live 604 800 s (7 days), as Discord's token response says (`expires_in: 604800`).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 * @see https://discord.com/developers/docs/topics/oauth2#authorization-code-grant-access-token-response
 */

export const CODE_TTL_MS = 10 * 60_000;
export const ACCESS_TOKEN_TTL_S = 604_800;

export interface AuthorizationCode {
  readonly userId: string;
  readonly scopes: readonly string[];
  readonly expiresAt: number;
  used: boolean;
  /** The access token issued for it (revoked when the code is replayed). */
  issued?: string;
}

export interface AccessGrant {
  /** Undefined for a client_credentials token (the app's owner, not a member). */
  readonly userId?: string;
  readonly scopes: readonly string[];
  readonly expiresAt: number;
  revoked: boolean;
}

export interface OAuthStore {
  readonly codes: Map<string, AuthorizationCode>;
  readonly tokens: Map<string, AccessGrant>;
}

export const createOAuthStore = (): OAuthStore => ({ codes: new Map(), tokens: new Map() });

/** Random, URL-safe, the length of Discord's (30 characters): nothing a test could guess. */
const opaque = () => randomBytes(23).toString('base64url').slice(0, 30);

export function mintCode(store: OAuthStore, userId: string, scopes: readonly string[], now: number, ttlMs = CODE_TTL_MS): string {
  const code = opaque();
  store.codes.set(code, { userId, scopes: [...scopes], expiresAt: now + ttlMs, used: false });
  return code;
}

export type Exchange = { ok: true; accessToken: string; refreshToken: string; scopes: readonly string[] } | { ok: false; description: string };

export function exchangeCode(store: OAuthStore, code: string, now: number): Exchange {
  const grant = store.codes.get(code);
  if (!grant) return { ok: false, description: 'Invalid "code" in request.' };
  if (grant.used) {
    const issued = grant.issued ? store.tokens.get(grant.issued) : undefined;
    if (issued) issued.revoked = true;
    return { ok: false, description: 'Invalid "code" in request.' };
  }
  grant.used = true;
  if (now >= grant.expiresAt) return { ok: false, description: 'Invalid "code" in request.' };
  const accessToken = opaque();
  store.tokens.set(accessToken, { userId: grant.userId, scopes: grant.scopes, expiresAt: now + ACCESS_TOKEN_TTL_S * 1000, revoked: false });
  grant.issued = accessToken;
  return { ok: true, accessToken, refreshToken: opaque(), scopes: grant.scopes };
}

export function issueClientToken(store: OAuthStore, scopes: readonly string[], now: number): string {
  const token = opaque();
  store.tokens.set(token, { scopes: [...scopes], expiresAt: now + ACCESS_TOKEN_TTL_S * 1000, revoked: false });
  return token;
}

/** The live grant behind `Authorization: Bearer <token>`, or undefined (unknown, expired, revoked). */
export function bearerGrant(store: OAuthStore, authorization: string | undefined, now: number): (AccessGrant & { token: string }) | undefined {
  const match = /^Bearer (\S+)$/.exec(authorization ?? '');
  const grant = match?.[1] ? store.tokens.get(match[1]) : undefined;
  if (!grant || grant.revoked || now >= grant.expiresAt) return undefined;
  return { ...grant, token: match![1]! };
}
