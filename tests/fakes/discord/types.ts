import type { APIApplicationCommand, APIMessage, APIUser, RESTPostAPIApplicationCommandsJSONBody } from 'discord-api-types/v10';
import type {
  AutocompleteOptions,
  ClickButtonOptions,
  InteractionHandle,
  InvokeCommandOptions,
  SelectMenuOptions,
} from './interaction-types';

export type * from './interaction-types';

/** Public types of the wire-level fake Discord (see `index.ts` and README.md). */

export interface FakeRoleSeed {
  id: string;
  name: string;
  /** Bitfield; default "0". The @everyone role has the guild's id. */
  permissions?: bigint | string;
  position?: number;
  color?: number;
  mentionable?: boolean;
}

export interface FakeChannelSeed {
  id: string;
  name: string;
  /** Channel type; default 0 (GUILD_TEXT). Component interactions only work in text-based channels. */
  type?: number;
  /** The category, or for a thread (type 10/11/12) the channel it belongs to. */
  parentId?: string;
  topic?: string;
  /**
   * Channel overwrites (`type` 0 role, 1 member; the @everyone role's id is the guild id), sent in
   * GUILD_CREATE and applied to `member.permissions`/`app_permissions`. Threads have none (they
   * inherit their parent's). Default none.
   */
  permissionOverwrites?: readonly { id: string; type: 0 | 1; allow?: bigint | string; deny?: bigint | string }[];
  /** A private thread's (type 12) members. */
  memberIds?: readonly string[];
}

export interface FakeMember {
  id: string;
  username: string;
  globalName?: string | null;
  /** Role ids (not including @everyone). */
  roles?: readonly string[];
  /**
   * The member's permissions in the channel, taken as given; default: computed as Discord does
   * for the invoking channel (@everyone, `roles`, owner, the channel's overwrites; see permissions.ts).
   */
  permissions?: bigint | string;
  nick?: string | null;
  /** `communication_disabled_until` (ISO 8601): timed out until then. Default: not timed out. */
  timedOutUntil?: string;
  /** Interaction `locale`; default "en-US". */
  locale?: string;
}

export interface FakeGuildSeed {
  id: string;
  name: string;
  channels?: readonly FakeChannelSeed[];
  /** Include the @everyone role (id = guild id); one with permissions "0" is added if missing. */
  roles?: readonly FakeRoleSeed[];
  /** Known members, for `GET /guilds/{g}/members/{u}`; members used in interactions are added too. */
  members?: readonly FakeMember[];
  ownerId?: string;
  preferredLocale?: string;
}

export type CommandSeed = RESTPostAPIApplicationCommandsJSONBody & { id?: string };

export interface ChannelMessageLimit {
  limit: number;
  windowMs: number;
}

export interface FakeDiscordOptions {
  applicationId?: string;
  applicationName?: string;
  token?: string;
  /** Default: the application id (as for every bot created since 2021). */
  botId?: string;
  botUsername?: string;
  /** 64 hex characters, as the portal's "Public Key". */
  verifyKey?: string;
  guilds?: readonly FakeGuildSeed[];
  /** Commands that exist before the bot syncs, e.g. an Activity's entry point (`type: 4`). */
  commands?: { global?: readonly CommandSeed[]; guilds?: Readonly<Record<string, readonly CommandSeed[]>> };
  /** HELLO's `heartbeat_interval`; default 1000 ms (Discord sends ~41 250). */
  heartbeatIntervalMs?: number;
  /** Time allowed for the initial callback after INTERACTION_CREATE; default 3000 ms. */
  interactionDeadlineMs?: number;
  /** Lifetime of an interaction token for webhook calls; default 15 minutes. */
  interactionTokenTtlMs?: number;
  /** Default timeout of `InteractionHandle.reply()`; default 10 000 ms. */
  replyTimeoutMs?: number;
  /** Privileged intents the app is approved for (GUILD_MEMBERS 1<<1, GUILD_PRESENCES 1<<8, MESSAGE_CONTENT 1<<15); default all. */
  privilegedIntents?: number;
  /**
   * The bot's guild-level permissions (its managed role); `app_permissions` is this in the invoking
   * channel after the channel's overwrites (@everyone, or the bot's own member overwrite); default
   * view, send, embed, attach, history, external emojis, use commands.
   */
  appPermissions?: bigint | string;
  /**
   * Answer requests without a `DiscordBot ($url, $versionNumber)` User-Agent with Cloudflare's 403 block
   * page, as Discord says it may; default off (every request's `userAgent` is recorded either way).
   */
  requireUserAgent?: boolean;
  /**
   * The portal's Interactions Endpoint URL (`interactions_endpoint_url` of `GET /applications/@me`); default none.
   * While set, interactions are not dispatched over the gateway (they would go to that URL).
   */
  interactionsEndpointUrl?: string | null;
  /** Enforce a per-channel limit on `POST /channels/{c}/messages` (429 when exceeded); default off. */
  channelMessageLimit?: ChannelMessageLimit | false;
  /** The portal's OAuth2 Client Secret that `POST /oauth2/token` requires; default random (read `discord.clientSecret`). */
  clientSecret?: string;
  /** The portal's Activities switch (flag EMBEDDED; LAUNCH_ACTIVITY allowed); default on. */
  activitiesEnabled?: boolean;
}

/** A running Activity instance as the fake knows it (the REST shape is `GET /applications/{app}/activity-instances/{id}`). */
export interface FakeActivityInstance {
  instanceId: string;
  launchId: string;
  guildId: string;
  channelId: string;
  /** Connected users, in joining order. */
  userIds: string[];
  /** The same users as the SDK's participants (`id`, `username`, `global_name`, …). */
  participants: APIUser[];
}

export interface FakeActivityLaunch {
  interactionId: string;
  instanceId: string;
  userId: string;
  at: number;
}

/** Which requests an injected fault applies to: `path` is the decoded path after `/api/v10`. */
export interface RequestMatcher {
  method?: string;
  /** A string matches exactly; a RegExp is tested against the path. */
  path: string | RegExp;
}

export interface RateLimitOptions {
  /** How many matching requests get a 429; default 1. */
  count?: number;
  /** `retry_after`; default 100 ms. Sent as fractional seconds in both body and `Retry-After`. */
  retryAfterMs?: number;
  /** A global limit: `X-RateLimit-Global`, scope "global", `global: true` in the body. */
  global?: boolean;
  /** Default "user" ("global" when `global`). */
  scope?: 'user' | 'global' | 'shared';
}

export interface FailOptions {
  /** How many matching requests fail; default 1. */
  count?: number;
  /** Default 502 (with Cloudflare's HTML page, like a real outage). */
  status?: number;
  /** A JSON body instead of the HTML page, e.g. `{ code: 50013, message: 'Missing Permissions' }`. */
  body?: unknown;
  /** Destroy the socket instead of answering (discord.js sees ECONNRESET). */
  reset?: boolean;
  /** Wait this long before failing (or, with `status` omitted and `reset` false, before answering normally). */
  delayMs?: number;
  /**
   * Apply the delay or reset after the request was carried out instead of before: Discord acted on
   * it (a message exists) but the answer is late or lost, as when a connection dies on the way back.
   */
  afterHandling?: boolean;
}

export interface RecordedRequest {
  method: string;
  /** Decoded path after `/api/v10`, e.g. `/webhooks/1100…/tok/messages/@original`; the same as discord-api-types' `Routes.*`. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON (or multipart `payload_json`); `null` when there was none. */
  // `any` on purpose: a JSON edge that tests read nested fields from.
  body: any;
  files: { field: string; name: string; size: number; contentType: string }[];
  authorization?: string;
  /** The `User-Agent` header as sent (Discord requires `DiscordBot ($url, $versionNumber)`). */
  userAgent?: string;
  at: number;
  /** The status answered; undefined while the request is in flight or when the socket was reset. */
  status?: number;
  /** The Discord error code of an error answer (0 for plain 401/404/405). */
  errorCode?: number;
  /** Set when an injected fault answered instead of the API. */
  injected?: 'rate-limit' | 'fail' | 'reset';
}

export interface IdentifyRecord {
  sessionId: string;
  intents: number;
  shard: [number, number];
  // `any`: IDENTIFY's `properties` as sent.
  properties: any;
  at: number;
}

export interface ResumeRecord {
  sessionId: string;
  seq: number;
  replayed: number;
  at: number;
}

export interface GatewayLog {
  readonly identifies: readonly IdentifyRecord[];
  readonly resumes: readonly ResumeRecord[];
  /** Every frame received from clients, in order. */
  readonly received: readonly { op: number; d: unknown; at: number }[];
  readonly connections: number;
  readonly heartbeats: number;
}

export interface FakeDiscord {
  /** `http://127.0.0.1:P/api` — the bot's `rest.api` / `config.discord.apiBaseUrl`. */
  readonly apiBaseUrl: string;
  readonly gatewayUrl: string;
  readonly applicationId: string;
  readonly token: string;
  readonly botUser: APIUser;
  readonly verifyKey: string;
  readonly requests: readonly RecordedRequest[];
  readonly gateway: GatewayLog;
  readonly interactions: readonly InteractionHandle[];
  /** Errors thrown inside the fake's handlers (answered as 500). */
  readonly internalErrors: readonly Error[];
  /** Resolves once `count` (default 1) IDENTIFYs were answered with READY + GUILD_CREATE. */
  waitForIdentify(opts?: { count?: number; timeoutMs?: number }): Promise<IdentifyRecord>;
  /** Resolves once `count` (default 1) RESUMEs were answered with RESUMED. */
  waitForResume(opts?: { count?: number; timeoutMs?: number }): Promise<ResumeRecord>;
  invokeCommand(opts: InvokeCommandOptions): InteractionHandle;
  autocomplete(opts: AutocompleteOptions): InteractionHandle;
  clickButton(opts: ClickButtonOptions): InteractionHandle;
  selectMenu(opts: SelectMenuOptions): InteractionHandle;
  /** Messages in the channel, oldest first, in their current state (copies). */
  channelMessages(channelId: string): APIMessage[];
  /** Any message the fake knows (channel or ephemeral), current state. */
  message(messageId: string): APIMessage | undefined;
  /** The registered commands of a scope (global when `guildId` is omitted). */
  commands(guildId?: string): APIApplicationCommand[];
  rateLimitNext(match: RequestMatcher, opts?: RateLimitOptions): void;
  failNext(match: RequestMatcher, opts?: FailOptions): void;
  /** Turn the enforced per-channel message limit on (default 5 per 5 s) or off. */
  limitChannelMessages(limit: Partial<ChannelMessageLimit> | false): void;
  /** Answer the channel's routes with 403 50001 Missing Access, or only sends with 50013 Missing Permissions. */
  denyChannel(channelId: string, code?: 50001 | 50013): void;
  allowChannel(channelId: string): void;
  /**
   * A member's (or, with `{ bot: true }`, the bot's) permissions in a channel as Discord computes
   * them: guild roles, owner, the channel's overwrites, a thread's parent (permissions.ts).
   */
  permissionsIn(channelId: string, who: { id: string; roles?: readonly string[] } | { bot: true }): bigint;
  /** Replace a channel's permission overwrites and send CHANNEL_UPDATE, as an admin editing the channel would. */
  setChannelOverwrites(channelId: string, overwrites: NonNullable<FakeChannelSeed['permissionOverwrites']>): void;
  /**
   * Archive (or unarchive) a thread, optionally locked, as its auto-archive or a moderator would;
   * sends THREAD_UPDATE. Then edits in it fail with 50083 and sends unarchive it unless locked.
   */
  archiveThread(channelId: string, opts?: { archived?: boolean; locked?: boolean }): void;
  /** Set or clear the portal's Interactions Endpoint URL (see `FakeDiscordOptions.interactionsEndpointUrl`). */
  setInteractionsEndpointUrl(url: string | null): void;
  /**
   * What the portal checks when the URL is saved (a signed PING → 200 `{"type":1}`, a badly signed one → 401);
   * the problems it would report, empty when it would accept the URL. Deliveries are signed with
   * the key behind `verifyKey` (set `discord.publicKey` to it).
   */
  checkInteractionsEndpoint(url: string): Promise<string[]>;
  /** Drop the bot's gateway socket: abruptly by default (discord.js resumes), or with a close code. */
  dropGatewayConnection(opts?: { code?: number }): void;
  /** Send op 7 RECONNECT (discord.js closes and resumes). */
  sendReconnect(): void;
  /** Send op 9 INVALID_SESSION (`resumable: false` makes discord.js identify again). */
  invalidateSession(resumable: boolean): void;
  /** Send any dispatch event to the bot's session. */
  dispatch(event: string, data: unknown): void;
  /** The OAuth2 client secret the bot must send to `POST /oauth2/token`. */
  readonly clientSecret: string;
  /** Turn the portal's Activities switch on/off (off: flag EMBEDDED cleared, LAUNCH_ACTIVITY refused with 50035). */
  setActivitiesEnabled(enabled: boolean): void;
  /** Start an instance in a guild channel (throws when one already runs there); returns `i-<launch>-gc-<guild>-<channel>`. */
  createActivityInstance(opts: { guildId: string; channelId: string; userIds?: readonly string[] }): string;
  /** Add a user to a running instance (throws for an unknown one); idempotent. */
  joinActivityInstance(instanceId: string, userId: string): void;
  /** Remove a user; the instance ends (404 from then on) when the last one leaves. */
  leaveActivityInstance(instanceId: string, userId: string): void;
  activityInstance(instanceId: string): FakeActivityInstance | undefined;
  /** A user as Discord shows them: a seeded member's name, else `user<last 4 digits>`. */
  user(userId: string): APIUser;
  /** Every LAUNCH_ACTIVITY carried out, oldest first. */
  readonly activityLaunches: readonly FakeActivityLaunch[];
  /** The instance the interaction's LAUNCH_ACTIVITY callback created or joined, if it launched one. */
  launchedActivity(interaction: InteractionHandle | string): string | undefined;
  /**
   * What the Activity's `authorize` RPC yields for this user: a single-use code valid 10 minutes
   * for `POST /oauth2/token`; default scopes `['identify']`; `ttlMs` (default 10 min; 0 = already expired).
   */
  mintAuthorizationCode(userId: string, scopes?: readonly string[], opts?: { ttlMs?: number }): string;
  /** Revoke an access token (as the member de-authorizing the app would): Bearer calls with it answer 401 from now on. */
  revokeAccessToken(accessToken: string): void;
  close(): Promise<void>;
}
