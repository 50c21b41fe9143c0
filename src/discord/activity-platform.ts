import type { ActivityInstance, ActivityMember, ActivityPlatform, ActivityUser } from '../core/ports/activity-platform';
import { callDiscord, errorIdOf, unexpectedAnswer, type DiscordAnswer } from './activity-request';
import { DISCORD_USER_AGENT, discordHeaders } from './discord-headers';
import { DiscordUpstreamError } from './discord-upstream-error';

/**
 * The Activity's view of Discord over REST (`ActivityPlatform`): the OAuth2 code exchange with the
 * client secret (server side only), the user behind an access token, a running Activity instance and
 * a guild member. Every call is bounded (5 s by default) and abandoned when the app stops; Discord's
 * definite "no" is `undefined`, anything else a `DiscordUpstreamError` (retryable for timeouts,
 * 429 and 5xx). Inputs that cannot be valid (not a snowflake, a token with spaces…) are answered
 * `undefined` without asking Discord, so nothing a client sends reaches a URL or header unchecked.
 * @see https://discord.com/developers/docs/activities/how-activities-work (authorize → token → authenticate)
 * @see https://discord.com/developers/docs/topics/oauth2#authorization-code-grant-access-token-exchange-example
 */

export interface ActivityPlatformConfig {
  /** REST base without the version, e.g. `https://discord.com/api`. */
  readonly apiBaseUrl: string;
  readonly token: string;
  readonly applicationId: string;
  /** The portal's OAuth2 Client Secret; without it `exchangeCode` throws (the Activity is off). */
  readonly clientSecret?: string;
}

export interface ActivityPlatformOptions {
  /** Per call; default 5000 ms. */
  readonly timeoutMs?: number;
  /** The app stopping. */
  readonly signal?: AbortSignal;
}

const SNOWFLAKE = /^\d{17,20}$/;
/** OAuth2 codes and tokens are opaque, URL-safe strings; this bounds them without guessing their exact alphabet. */
const OPAQUE = /^[\x21-\x7e]{1,512}$/;
/** `i-<launch_id>-gc-<guild_id>-<channel_id>` (or `-pc-…`); kept permissive but path-safe. */
const INSTANCE_ID = /^[A-Za-z0-9_-]{1,200}$/;

export function createDiscordActivityPlatform(config: ActivityPlatformConfig, options: ActivityPlatformOptions = {}): ActivityPlatform {
  const base = `${config.apiBaseUrl.replace(/\/+$/, '')}/v10`;
  const call = (path: string, init: RequestInit, what: string): Promise<DiscordAnswer> =>
    callDiscord(`${base}${path}`, init, what, { timeoutMs: options.timeoutMs ?? 5_000, ...(options.signal ? { signal: options.signal } : {}) });
  const asBot = { headers: discordHeaders(config.token) };
  /**
   * Bot-token lookups in flight, by what they ask: members opening a watch party together all check
   * the same instance at once, and share one request instead of bursting a route (and its 429s).
   */
  const inFlight = new Map<string, Promise<unknown>>();
  const shared = <T>(key: string, run: () => Promise<T>): Promise<T> => {
    const running = inFlight.get(key);
    if (running) return running as Promise<T>;
    const started = run().finally(() => inFlight.delete(key));
    inFlight.set(key, started);
    return started;
  };

  return {
    /**
     * `POST /oauth2/token`, form-encoded `client_id`, `client_secret`, `grant_type=authorization_code`,
     * `code` — no `redirect_uri`, as the official Activity samples send none. A refused code is
     * `invalid_grant` (RFC 6749 §5.2); `invalid_client` means the configured secret is wrong.
     * @see https://discord.com/developers/docs/topics/oauth2#authorization-code-grant
     */
    async exchangeCode(code) {
      if (!config.clientSecret) throw new DiscordUpstreamError('the Activity is not configured (discord.clientSecret is not set)', false);
      if (typeof code !== 'string' || !OPAQUE.test(code)) return undefined;
      const what = 'exchange the Activity authorization code';
      const answer = await call(
        '/oauth2/token',
        {
          method: 'POST',
          headers: { 'user-agent': DISCORD_USER_AGENT, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ client_id: config.applicationId, client_secret: config.clientSecret, grant_type: 'authorization_code', code }),
        },
        what,
      );
      const { oauth } = errorIdOf(answer.body);
      if (answer.status === 400 && (oauth === 'invalid_grant' || oauth === 'invalid_request')) return undefined;
      if (oauth === 'invalid_client') {
        throw new DiscordUpstreamError(`Discord refused the application's client secret (invalid_client): check discord.clientSecret against the Developer Portal → OAuth2`, false, undefined, answer.status);
      }
      if (answer.status !== 200) throw unexpectedAnswer(answer, what);
      const body = answer.body as { access_token?: unknown; token_type?: unknown; expires_in?: unknown } | undefined;
      if (typeof body?.access_token !== 'string' || !OPAQUE.test(body.access_token) || typeof body.expires_in !== 'number' || !(body.expires_in > 0)) {
        throw new DiscordUpstreamError(`Discord's answer to ${what} was not the expected token`, false, undefined, answer.status);
      }
      return { accessToken: body.access_token, expiresInS: body.expires_in };
    },

    /** `GET /users/@me` with `Authorization: Bearer <token>` (scope `identify`). @see https://discord.com/developers/docs/resources/user#get-current-user */
    async userOf(accessToken) {
      if (typeof accessToken !== 'string' || !OPAQUE.test(accessToken)) return undefined;
      const what = 'read the Activity user';
      const answer = await call('/users/@me', { headers: { 'user-agent': DISCORD_USER_AGENT, authorization: `Bearer ${accessToken}` } }, what);
      if (answer.status === 401) return undefined;
      if (answer.status !== 200) throw unexpectedAnswer(answer, what);
      const user = answer.body as { id?: unknown; username?: unknown; global_name?: unknown; avatar?: unknown } | undefined;
      if (typeof user?.id !== 'string' || !SNOWFLAKE.test(user.id) || typeof user.username !== 'string') {
        throw new DiscordUpstreamError(`Discord's answer to ${what} was not a user`, false, undefined, answer.status);
      }
      return {
        id: user.id,
        username: user.username,
        ...(typeof user.global_name === 'string' && user.global_name !== '' ? { globalName: user.global_name } : {}),
        ...(typeof user.avatar === 'string' ? { avatar: user.avatar } : {}),
      } satisfies ActivityUser;
    },

    /**
     * `GET /applications/{app}/activity-instances/{instance_id}` with the bot token: the running
     * instance, or 404 when it is unknown or over.
     * @see https://discord.com/developers/docs/resources/application#get-application-activity-instance
     */
    async instance(instanceId) {
      if (typeof instanceId !== 'string' || !INSTANCE_ID.test(instanceId)) return undefined;
      return shared(`instance:${instanceId}`, () => readInstance(instanceId));
    },

    /**
     * `GET /guilds/{guild}/members/{user}` with the bot token; a 404 (10007 Unknown Member, or 10004
     * Unknown Guild when the bot left) is "not a member".
     * @see https://discord.com/developers/docs/resources/guild#get-guild-member
     */
    async member(guildId, userId) {
      if (!SNOWFLAKE.test(guildId) || !SNOWFLAKE.test(userId)) return undefined;
      return shared(`member:${guildId}:${userId}`, () => readMember(guildId, userId));
    },
  };

  async function readInstance(instanceId: string): Promise<ActivityInstance | undefined> {
    const what = 'look up the Activity instance';
    const answer = await call(`/applications/${config.applicationId}/activity-instances/${instanceId}`, asBot, what);
    if (answer.status === 404) return undefined;
    if (answer.status !== 200) throw unexpectedAnswer(answer, what);
    const body = answer.body as { instance_id?: unknown; location?: { guild_id?: unknown; channel_id?: unknown }; users?: unknown } | undefined;
    if (body?.instance_id !== instanceId || !Array.isArray(body.users) || !body.users.every((u) => typeof u === 'string')) {
      throw new DiscordUpstreamError(`Discord's answer to ${what} was not that instance`, false, undefined, answer.status);
    }
    const guildId = body.location?.guild_id;
    const channelId = body.location?.channel_id;
    return {
      instanceId,
      ...(typeof guildId === 'string' && SNOWFLAKE.test(guildId) ? { guildId } : {}),
      ...(typeof channelId === 'string' && SNOWFLAKE.test(channelId) ? { channelId } : {}),
      userIds: body.users as string[],
    };
  }

  async function readMember(guildId: string, userId: string): Promise<ActivityMember | undefined> {
    const what = 'look up the member';
    const answer = await call(`/guilds/${guildId}/members/${userId}`, asBot, what);
    if (answer.status === 404) return undefined;
    if (answer.status !== 200) throw unexpectedAnswer(answer, what);
    const body = answer.body as { roles?: unknown; nick?: unknown; user?: { username?: unknown; global_name?: unknown }; communication_disabled_until?: unknown } | undefined;
    if (!Array.isArray(body?.roles) || !body.roles.every((r) => typeof r === 'string') || typeof body.user?.username !== 'string') {
      throw new DiscordUpstreamError(`Discord's answer to ${what} was not a member`, false, undefined, answer.status);
    }
    const name = [body.nick, body.user.global_name, body.user.username].find((n): n is string => typeof n === 'string' && n !== '')!;
    const until = typeof body.communication_disabled_until === 'string' ? Date.parse(body.communication_disabled_until) : NaN;
    return { roleIds: body.roles as string[], displayName: name, ...(until > Date.now() ? { timedOut: true } : {}) };
  }
}
