import type { APIUser, UserFlags } from 'discord-api-types/v10';
import type { FakeState } from './fake-state';
import { toUser } from './guild-objects';
import { ACCESS_TOKEN_TTL_S, bearerGrant, exchangeCode, issueClientToken } from './oauth-store';
import { ok, type RestReply, type RestRequest, type RestRoute } from './rest-route';

/**
 * OAuth2 as an Activity's server uses it: the code exchange and what a Bearer token may read.
 * Errors are OAuth2's, not Discord's JSON errors: `{error, error_description?}` with 400, or 401
 * `invalid_client` when the client's id/secret are wrong (RFC 6749 §5.2); client credentials come
 * as form fields or HTTP Basic (RFC 6749 §2.3.1; Discord's samples use Basic, the Activity
 * samples form fields).
 * @see https://discord.com/developers/docs/topics/oauth2#authorization-code-grant
 * @see https://discord.com/developers/docs/topics/oauth2#client-credentials-grant
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */

const oauthError = (status: number, error: string, description?: string): RestReply => ({
  status,
  body: { error, ...(description ? { error_description: description } : {}) },
});

/** A member of any seeded guild, else a plain user named after the id's tail (tests may mint codes for anyone). */
export function userObject(state: FakeState, userId: string): APIUser {
  for (const [key, member] of state.members) if (key.endsWith(`:${userId}`)) return toUser(member);
  return { id: userId, username: `user${userId.slice(-4)}`, global_name: null, discriminator: '0', avatar: null, public_flags: 0 as UserFlags };
}

function clientCredentials(req: RestRequest, form: Record<string, string>): { id?: string; secret?: string; basic: boolean } {
  const basic = /^Basic (\S+)$/.exec(String(req.headers.authorization ?? ''));
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    // RFC 6749 §2.3.1: id and secret are form-urlencoded before Basic encoding.
    const unform = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    return colon < 0 ? { basic: true } : { id: unform(decoded.slice(0, colon)), secret: unform(decoded.slice(colon + 1)), basic: true };
  }
  return { ...(form.client_id ? { id: form.client_id } : {}), ...(form.client_secret ? { secret: form.client_secret } : {}), basic: false };
}

function token(state: FakeState, req: RestRequest): RestReply {
  const isForm = String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
  const form: Record<string, string> = isForm && req.body && typeof req.body === 'object' ? (req.body as Record<string, string>) : {};
  const client = clientCredentials(req, form);
  if (client.id !== state.applicationId || client.secret !== state.clientSecret) {
    // "If the client attempted to authenticate via the Authorization request header field, the
    // authorization server MUST respond with an HTTP 401 … and include the WWW-Authenticate" (§5.2).
    return { status: 401, body: { error: 'invalid_client' }, ...(client.basic ? { headers: { 'WWW-Authenticate': 'Basic realm="discord"' } } : {}) };
  }
  const now = state.now();
  if (form.grant_type === 'client_credentials') {
    const scope = (form.scope ?? 'identify').split(' ').filter(Boolean);
    return ok({ access_token: issueClientToken(state.oauth, scope, now), token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL_S, scope: scope.join(' ') });
  }
  if (form.grant_type === undefined) return oauthError(400, 'invalid_request', 'Missing "grant_type" in request.');
  if (form.grant_type !== 'authorization_code') return oauthError(400, 'unsupported_grant_type');
  if (!form.code) return oauthError(400, 'invalid_request', 'Missing "code" in request.');
  // The Activity's authorize carries no redirect_uri, so none may be presented (RFC 6749 §4.1.3: it
  // must be identical to the authorization request's): the stricter reading.
  if (form.redirect_uri !== undefined) return oauthError(400, 'invalid_grant', 'Invalid "redirect_uri" in request.');
  const exchanged = exchangeCode(state.oauth, form.code, now);
  if (!exchanged.ok) return oauthError(400, 'invalid_grant', exchanged.description);
  return ok({
    access_token: exchanged.accessToken,
    token_type: 'Bearer',
    expires_in: ACCESS_TOKEN_TTL_S,
    refresh_token: exchanged.refreshToken,
    scope: exchanged.scopes.join(' '),
  });
}

const unauthorized = (): RestReply => ({ status: 401, body: { message: '401: Unauthorized', code: 0 } });

/** GET /users/@me: the bot with its bot token, the member with a Bearer token holding `identify`. */
function currentUser(state: FakeState, req: RestRequest): RestReply {
  if (req.headers.authorization === `Bot ${state.token}`) return ok(state.botUser);
  const grant = bearerGrant(state.oauth, req.headers.authorization, state.now());
  if (!grant) return unauthorized();
  // "identify allows /users/@me without email" (oauth2#shared-resources-oauth2-scopes).
  if (!grant.scopes.includes('identify')) return unauthorized();
  return ok(grant.userId ? userObject(state, grant.userId) : { id: '1000000000000000001', username: 'owner', discriminator: '0', global_name: null, avatar: null });
}

/** GET /oauth2/@me: the token's application, scopes, expiry and (with `identify`) user. @see https://discord.com/developers/docs/topics/oauth2#get-current-authorization-information */
function currentAuthorization(state: FakeState, req: RestRequest): RestReply {
  const grant = bearerGrant(state.oauth, req.headers.authorization, state.now());
  if (!grant) return unauthorized();
  return ok({
    application: { id: state.applicationId, name: state.applicationName, icon: null, description: '', bot_public: true, bot_require_code_grant: false, verify_key: state.verifyKey },
    scopes: [...grant.scopes],
    expires: new Date(grant.expiresAt).toISOString(),
    ...(grant.userId && grant.scopes.includes('identify') ? { user: userObject(state, grant.userId) } : {}),
  });
}

export const oauthRoutes: RestRoute[] = [
  { method: 'POST', template: '/oauth2/token', auth: 'none', handle: token },
  { method: 'GET', template: '/users/@me', auth: 'none', handle: currentUser },
  { method: 'GET', template: '/oauth2/@me', auth: 'none', handle: currentAuthorization },
];
