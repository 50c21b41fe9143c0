import { createHash, randomBytes } from 'node:crypto';
import { optionalNumber, optionalText, requiredObject, requiredText, writableFields } from '../action-params';
import { apiError } from '../api-error';
import { ERR } from '../error-catalog';
import { DEFAULT_SESSION_DURATION } from '../fake-state';
import { encodeKsV2, formatPrivileges, parsePrivileges } from '../ks-codec';
import { applyPager, toText } from '../list-query';
import type { Params } from '../request-params';
import type { ActionContext, ServiceDefinition } from '../service-definition';
import type { AppTokenRecord, HashType } from '../types';
import { listResponse } from '../wire-format';
import { sessionInfo } from './session-service';

/** Keys the server reserves; a caller may not add them through startSession's sessionPrivileges. */
const RESERVED_PRIVILEGES = new Set([
  'edit', 'sview', 'list', 'download', 'downloadasset', 'edituser', 'editplaylist', 'view', 'widget', 'setrole',
  'privacycontext', 'disableentitlement', 'disableentitlementforentry', 'enableentitlement', 'actionslimit',
  'iprestrict', 'urirestrict', 'sessionid', 'apptoken', 'limitentry', 'reftime', 'preview', 'enablecategorymoderation',
]);

const NODE_HASH: Record<HashType, string> = { MD5: 'md5', SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' };

function findToken(ctx: ActionContext, id: string): AppTokenRecord {
  const token = ctx.state.appTokens.get(id);
  if (!token || token.status === 3) throw apiError(ERR.APP_TOKEN_ID_NOT_FOUND, id);
  return token;
}

/**
 * §3.4 / AppTokenService::startSessionAction, in the server's order: unknown id, not active,
 * hash of (the KS sent with this call + token), expired. Token-level type and user override
 * the caller's; extra privileges are kept only for keys neither reserved nor already set.
 */
function startSession(params: Params, ctx: ActionContext): Record<string, unknown> {
  const { state } = ctx;
  const id = requiredText(params, 'id');
  const tokenHash = requiredText(params, 'tokenHash');
  const token = findToken(ctx, id);
  if (token.status !== 2) throw apiError(ERR.APP_TOKEN_NOT_ACTIVE, id);
  const expected = createHash(NODE_HASH[token.hashType]).update((ctx.ksString ?? '') + token.token, 'utf8').digest('hex');
  if (expected !== tokenHash) throw apiError(ERR.INVALID_APP_TOKEN_HASH);
  let tokenExpiry = token.sessionDuration;
  if (token.expiry !== undefined) {
    tokenExpiry = Math.min(tokenExpiry, token.expiry - state.now());
    if (tokenExpiry < 0) throw apiError(ERR.APP_TOKEN_EXPIRED, id);
  }
  const expiry = Math.min(optionalNumber(params, 'expiry') || tokenExpiry, tokenExpiry);
  const type = token.sessionType ?? optionalNumber(params, 'type') ?? 0;
  const userId = token.sessionUserId ?? optionalText(params, 'userId') ?? '';

  const privileges = new Map([['sessionid', id], ['apptoken', id]]);
  for (const [key, value] of parsePrivileges(token.sessionPrivileges ?? '')) if (!privileges.has(key)) privileges.set(key, value);
  for (const [key, value] of parsePrivileges(optionalText(params, 'sessionPrivileges') ?? '')) {
    // kSessionUtils::retrieveAllowedAppSessionPrivileges: a key the token sets to `*` (any of its
    // `/`-separated values) may be narrowed by the caller, reserved or not
    const wildcard = privileges.get(key)?.split('/').includes('*') ?? false;
    if (wildcard || (!RESERVED_PRIVILEGES.has(key.toLowerCase()) && !privileges.has(key))) privileges.set(key, value);
  }
  const fields = { partnerId: state.partnerId, userId, type, expiresAt: state.now() + expiry, privileges: formatPrivileges(privileges) };
  const ks = encodeKsV2(state.adminSecret, fields);
  return sessionInfo(state, ks, { ...fields, version: 2, privilegeMap: privileges, random: '' });
}

function add(params: Params, ctx: ActionContext): AppTokenRecord {
  const input = writableFields(requiredObject(params, 'appToken'), ['id', 'token', 'partnerId', 'createdAt', 'updatedAt', 'status']);
  const now = ctx.state.now();
  const hashType = (toText(input.hashType) ?? 'SHA1') as HashType;
  if (!(hashType in NODE_HASH)) throw apiError(ERR.INVALID_ENUM_VALUE, hashType, 'hashType', 'KalturaAppTokenHashType');
  const record: AppTokenRecord = {
    ...input,
    id: `0_${randomBytes(6).toString('hex').slice(0, 8)}`,
    token: randomBytes(16).toString('hex'),
    partnerId: ctx.state.partnerId,
    createdAt: now,
    updatedAt: now,
    status: 2,
    hashType,
    sessionDuration: optionalNumber(input, 'sessionDuration') ?? DEFAULT_SESSION_DURATION,
    ...(optionalNumber(input, 'sessionType') !== undefined ? { sessionType: optionalNumber(input, 'sessionType') } : {}),
    ...(optionalNumber(input, 'expiry') !== undefined ? { expiry: optionalNumber(input, 'expiry') } : {}),
    objectType: 'KalturaAppToken',
  };
  ctx.state.appTokens.set(record.id, record);
  return record;
}

export const appTokenService: ServiceDefinition = {
  id: 'apptoken',
  actions: [
    { name: 'startSession', auth: 'ks', run: startSession },
    { name: 'add', auth: 'admin', run: add },
    { name: 'get', auth: 'admin', run: (params, ctx) => findToken(ctx, requiredText(params, 'id')) },
    {
      name: 'list',
      auth: 'admin',
      run: (params, ctx) => {
        const tokens = [...ctx.state.appTokens.values()].filter((t) => t.status !== 3);
        return listResponse('KalturaAppTokenListResponse', applyPager(tokens, params.pager), tokens.length);
      },
    },
    {
      name: 'delete',
      auth: 'admin',
      run: (params, ctx) => {
        const token = findToken(ctx, requiredText(params, 'id'));
        token.status = 3;
        token.updatedAt = ctx.state.now();
        return undefined;
      },
    },
  ],
};
