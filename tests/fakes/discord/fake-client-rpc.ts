import type { FakeDiscord } from './types';

/**
 * The fake Discord client's answers that need the fake Discord (POST /__fake-discord/rpc from the
 * parent page). Shapes are the SDK's response schemas (embedded-app-sdk 2.5
 * `output/generated/schemas.mjs`, `schema/responses.mjs`); error codes its RPCErrorCodes.
 */

export interface OpenedLink {
  readonly url: string;
  readonly userId: string;
  readonly at: number;
}

export interface RpcCall {
  readonly userId: string;
  readonly instanceId: string;
  readonly cmd: string;
  readonly args: Record<string, unknown>;
}

export type RpcAnswer = { data: unknown } | { error: { code: number; message: string } };

const rpcError = (code: number, message: string): RpcAnswer => ({ error: { code, message } });
const INVALID_PAYLOAD = 4000;
const INVALID_COMMAND = 4002;
const INVALID_CLIENTID = 4007;
const INVALID_TOKEN = 4009;

/** The SDK's participant: `avatar` only when a string (null is allowed here, but absent is what Discord sends for none). */
function participant(user: { id: string; username: string; global_name?: string | null; avatar?: string | null }) {
  return {
    id: user.id,
    username: user.username,
    global_name: user.global_name ?? null,
    discriminator: '0',
    ...(typeof user.avatar === 'string' ? { avatar: user.avatar } : {}),
    flags: 0,
    bot: false,
  };
}

export async function answerRpc(discord: FakeDiscord, applicationId: string, call: RpcCall, opened: OpenedLink[]): Promise<RpcAnswer> {
  switch (call.cmd) {
    case 'AUTHORIZE': {
      // The consent is taken as given; the code is a real one for this page's user.
      if (call.args.client_id !== applicationId) return rpcError(INVALID_CLIENTID, 'Invalid client id');
      if (call.args.response_type !== 'code') return rpcError(INVALID_PAYLOAD, 'response_type must be "code"');
      const scope = call.args.scope;
      if (!Array.isArray(scope) || scope.length === 0 || !scope.every((s) => typeof s === 'string')) return rpcError(INVALID_PAYLOAD, 'scope must be a non-empty list');
      return { data: { code: discord.mintAuthorizationCode(call.userId, scope as string[]) } };
    }
    case 'AUTHENTICATE': {
      const token = call.args.access_token;
      if (typeof token !== 'string' || token === '') return rpcError(INVALID_PAYLOAD, 'access_token is required');
      const res = await fetch(`${discord.apiBaseUrl}/v10/oauth2/@me`, { headers: { authorization: `Bearer ${token}`, 'user-agent': 'DiscordBot (fake-discord-client, 1.0)' }, signal: AbortSignal.timeout(5_000) });
      if (!res.ok) return rpcError(INVALID_TOKEN, 'Invalid access token');
      const info = (await res.json()) as { scopes: string[]; expires: string; user?: { id: string; username: string; global_name?: string | null }; application: { id: string; name: string } };
      // A token of another user or app does not authenticate this client (stricter reading).
      if (info.application.id !== applicationId || info.user?.id !== call.userId) return rpcError(INVALID_TOKEN, 'Access token does not belong to this user');
      return {
        data: {
          access_token: token,
          user: { id: info.user.id, username: info.user.username, discriminator: '0', global_name: info.user.global_name ?? null, public_flags: 0 },
          scopes: info.scopes,
          expires: info.expires,
          application: { id: info.application.id, name: info.application.name, description: '', icon: null },
        },
      };
    }
    case 'GET_ACTIVITY_INSTANCE_CONNECTED_PARTICIPANTS':
      return { data: { participants: (discord.activityInstance(call.instanceId)?.participants ?? []).map(participant) } };
    case 'OPEN_EXTERNAL_LINK': {
      const url = call.args.url;
      if (typeof url !== 'string' || !/^https?:\/\//.test(url)) return rpcError(INVALID_PAYLOAD, 'url must be an http(s) URL');
      opened.push({ url, userId: call.userId, at: Date.now() });
      return { data: { opened: true } };
    }
    default:
      return rpcError(INVALID_COMMAND, `fake Discord client: command ${call.cmd} is not modelled`);
  }
}
