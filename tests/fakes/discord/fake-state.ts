import { randomBytes } from 'node:crypto';
import type { APIApplicationCommand, APIMessage, APITextChannel, APIUser, UserFlags } from 'discord-api-types/v10';
import { createActivityStore, type ActivityStore } from './activity-instances';
import { DEFAULT_APP_PERMISSIONS, guildRoles, toChannel, type GuildRecord } from './guild-objects';
import type { InteractionRecord } from './interaction-record';
import { createInteractionSigner, type InteractionSigner } from './interaction-signer';
import { createOAuthStore, type OAuthStore } from './oauth-store';
import { RateLimitPlan } from './rate-limit-plan';
import { createSnowflakeFactory } from './snowflake';
import type { FakeDiscordOptions, FakeMember, InteractionHandle, RecordedRequest } from './types';

/** Everything one fake Discord knows; built per instance and passed explicitly (no module state). */

export interface StoredMessage {
  message: APIMessage;
  channelId: string;
  guildId?: string;
  ephemeral: boolean;
  deleted: boolean;
  createdAt: number;
}

export interface ChannelRecord {
  channel: APITextChannel;
  guildId: string;
  messageIds: string[];
  denied?: 50001 | 50013;
  /** A private thread's members (who see it without MANAGE_THREADS). */
  threadMemberIds?: readonly string[];
}

/** What the REST side needs from the gateway: push events to the bot's session. */
export interface GatewayPort {
  dispatch(event: string, data: unknown): void;
  /** Whether the current session identified with this intent bit. */
  hasIntent(bit: number): boolean;
}

export interface FakeSettings {
  heartbeatIntervalMs: number;
  interactionDeadlineMs: number;
  interactionTokenTtlMs: number;
  replyTimeoutMs: number;
  privilegedIntents: number;
  appPermissions: bigint;
  requireUserAgent: boolean;
}

export interface FakeState {
  readonly applicationId: string;
  readonly applicationName: string;
  readonly token: string;
  /** The portal's OAuth2 Client Secret (POST /oauth2/token). */
  readonly clientSecret: string;
  /** The portal's Public Key: the signer's, unless a test gave another (then deliveries fail verification, as they would). */
  readonly verifyKey: string;
  /** Signs HTTP deliveries of interactions with the application's Ed25519 key. */
  readonly signer: InteractionSigner;
  readonly botUser: APIUser;
  readonly settings: FakeSettings;
  readonly guilds: Map<string, GuildRecord>;
  readonly channels: Map<string, ChannelRecord>;
  /** Keyed `${guildId}:${userId}`. */
  readonly members: Map<string, FakeMember>;
  readonly messages: Map<string, StoredMessage>;
  readonly commands: { global: APIApplicationCommand[]; guilds: Map<string, APIApplicationCommand[]> };
  readonly interactions: Map<string, InteractionRecord>;
  readonly interactionsByToken: Map<string, InteractionRecord>;
  readonly handles: InteractionHandle[];
  readonly requests: RecordedRequest[];
  readonly internalErrors: Error[];
  readonly limits: RateLimitPlan;
  readonly oauth: OAuthStore;
  readonly activity: ActivityStore;
  /** Timers to clear on close (deadlines, reply waits). */
  readonly timers: Set<NodeJS.Timeout>;
  gateway: GatewayPort;
  gatewayUrl: string;
  /** The portal's Interactions Endpoint URL; while set, no INTERACTION_CREATE goes over the gateway. */
  interactionsEndpointUrl: string | null;
  nextId(): string;
  now(): number;
}

const ALL_PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15);

export function createFakeState(opts: FakeDiscordOptions): FakeState {
  const now = Date.now;
  const signer = createInteractionSigner(now);
  const applicationId = opts.applicationId ?? '1100000000000000001';
  const guilds = new Map<string, GuildRecord>();
  const channels = new Map<string, ChannelRecord>();
  const members = new Map<string, FakeMember>();
  for (const seed of opts.guilds ?? []) {
    const channelSeeds = seed.channels ?? [];
    guilds.set(seed.id, {
      id: seed.id,
      name: seed.name,
      ownerId: seed.ownerId ?? '1000000000000000001',
      preferredLocale: seed.preferredLocale ?? 'en-US',
      roles: guildRoles(seed),
      channelIds: channelSeeds.map((c) => c.id),
      joinedAt: new Date(now()).toISOString(),
    });
    channelSeeds.forEach((c, i) =>
      channels.set(c.id, { channel: toChannel(c, seed.id, i), guildId: seed.id, messageIds: [], ...(c.memberIds ? { threadMemberIds: [...c.memberIds] } : {}) }),
    );
    for (const member of seed.members ?? []) members.set(`${seed.id}:${member.id}`, member);
  }
  const botId = opts.botId ?? applicationId;
  return {
    applicationId,
    applicationName: opts.applicationName ?? 'Kaltura Meetings',
    token: opts.token ?? `${Buffer.from(botId).toString('base64url')}.GhIjKl.${randomBytes(20).toString('base64url')}`,
    clientSecret: opts.clientSecret ?? randomBytes(24).toString('base64url'),
    verifyKey: opts.verifyKey ?? signer.publicKey,
    signer,
    botUser: {
      id: botId,
      username: opts.botUsername ?? 'Kaltura Meetings',
      discriminator: '0',
      global_name: null,
      avatar: null,
      bot: true,
      flags: 0 as UserFlags,
      public_flags: 0 as UserFlags,
    },
    settings: {
      heartbeatIntervalMs: opts.heartbeatIntervalMs ?? 1000,
      interactionDeadlineMs: opts.interactionDeadlineMs ?? 3000,
      interactionTokenTtlMs: opts.interactionTokenTtlMs ?? 15 * 60_000,
      replyTimeoutMs: opts.replyTimeoutMs ?? 10_000,
      privilegedIntents: opts.privilegedIntents ?? ALL_PRIVILEGED_INTENTS,
      appPermissions: BigInt(opts.appPermissions ?? DEFAULT_APP_PERMISSIONS),
      requireUserAgent: opts.requireUserAgent ?? false,
    },
    guilds,
    channels,
    members,
    messages: new Map(),
    commands: { global: [], guilds: new Map() },
    interactions: new Map(),
    interactionsByToken: new Map(),
    handles: [],
    requests: [],
    internalErrors: [],
    limits: new RateLimitPlan(opts.channelMessageLimit ?? false, now),
    oauth: createOAuthStore(),
    activity: createActivityStore(opts.activitiesEnabled ?? true),
    timers: new Set(),
    gateway: { dispatch: () => undefined, hasIntent: () => false },
    gatewayUrl: '',
    interactionsEndpointUrl: opts.interactionsEndpointUrl ?? null,
    nextId: createSnowflakeFactory(now),
    now,
  };
}

/** A timer that `close()` clears and that does not keep the process alive. */
export function scheduleTimer(state: FakeState, ms: number, run: () => void): NodeJS.Timeout {
  const timer = setTimeout(() => {
    state.timers.delete(timer);
    run();
  }, ms);
  timer.unref();
  state.timers.add(timer);
  return timer;
}

export function cancelTimer(state: FakeState, timer: NodeJS.Timeout): void {
  clearTimeout(timer);
  state.timers.delete(timer);
}
