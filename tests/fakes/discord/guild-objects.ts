import type {
  APIInteractionGuildMember,
  APIRole,
  APITextChannel,
  APIUser,
  ChannelFlags,
  GatewayGuildCreateDispatchData,
  GuildMemberFlags,
  GuildSystemChannelFlags,
  Locale,
  RoleFlags,
  UserFlags,
} from 'discord-api-types/v10';
import type { FakeChannelSeed, FakeGuildSeed, FakeMember, FakeRoleSeed } from './types';

/**
 * The guild-side objects the fake sends: roles, channels, GUILD_CREATE, interaction members.
 * Fields discord.js does not read are still filled in so payloads type-check as the real thing.
 * @see https://discord.com/developers/docs/events/gateway-events#guild-create
 */

export const PERMISSIONS = {
  ADMINISTRATOR: 1n << 3n,
  VIEW_CHANNEL: 1n << 10n,
  SEND_MESSAGES: 1n << 11n,
  EMBED_LINKS: 1n << 14n,
  ATTACH_FILES: 1n << 15n,
  READ_MESSAGE_HISTORY: 1n << 16n,
  USE_EXTERNAL_EMOJIS: 1n << 18n,
  MANAGE_GUILD: 1n << 5n,
  MANAGE_THREADS: 1n << 34n,
  MANAGE_EVENTS: 1n << 33n,
  SEND_MESSAGES_IN_THREADS: 1n << 38n,
  USE_APPLICATION_COMMANDS: 1n << 31n,
  /** Every bit Discord defines today (up to 1<<50); what an administrator resolves to. */
  ALL: (1n << 51n) - 1n,
} as const;

export const DEFAULT_APP_PERMISSIONS =
  PERMISSIONS.VIEW_CHANNEL |
  PERMISSIONS.SEND_MESSAGES |
  PERMISSIONS.EMBED_LINKS |
  PERMISSIONS.ATTACH_FILES |
  PERMISSIONS.READ_MESSAGE_HISTORY |
  PERMISSIONS.USE_EXTERNAL_EMOJIS |
  PERMISSIONS.USE_APPLICATION_COMMANDS;

export interface GuildRecord {
  id: string;
  name: string;
  ownerId: string;
  preferredLocale: string;
  roles: APIRole[];
  channelIds: string[];
  joinedAt: string;
}

export function toRole(seed: FakeRoleSeed, index: number): APIRole {
  return {
    id: seed.id,
    name: seed.name,
    color: seed.color ?? 0,
    colors: { primary_color: seed.color ?? 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: seed.position ?? index,
    permissions: String(seed.permissions ?? '0'),
    managed: false,
    mentionable: seed.mentionable ?? false,
    flags: 0 as RoleFlags,
  };
}

/** Guild roles with @everyone (id = guild id) first, added when the seed leaves it out. */
export function guildRoles(guild: FakeGuildSeed): APIRole[] {
  const seeds = [...(guild.roles ?? [])];
  if (!seeds.some((r) => r.id === guild.id)) seeds.unshift({ id: guild.id, name: '@everyone', permissions: '0', position: 0 });
  return seeds.map((seed, i) => toRole(seed, seed.id === guild.id ? 0 : i));
}

const THREAD_CHANNEL_TYPES = new Set([10, 11, 12]);

/**
 * A guild channel as Discord sends it. A thread (type 10/11/12) carries `thread_metadata` and no
 * overwrites of its own: it inherits its parent's.
 * @see https://discord.com/developers/docs/resources/channel#channel-object
 * @see https://discord.com/developers/docs/topics/threads#permissions
 */
export function toChannel(seed: FakeChannelSeed, guildId: string, position: number): APITextChannel {
  const isThread = THREAD_CHANNEL_TYPES.has(seed.type ?? 0);
  if (isThread && !seed.parentId) throw new Error(`fake Discord: thread ${seed.id} needs a parentId`);
  if (isThread && seed.permissionOverwrites?.length) throw new Error(`fake Discord: thread ${seed.id} cannot have overwrites (threads inherit their parent's)`);
  const overwrites = (seed.permissionOverwrites ?? []).map((o) => ({ id: o.id, type: o.type, allow: String(o.allow ?? '0'), deny: String(o.deny ?? '0') }));
  const threadFields = isThread
    ? {
        owner_id: '1000000000000000001',
        member_count: seed.memberIds?.length ?? 1,
        message_count: 0,
        total_message_sent: 0,
        thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: '2024-01-15T10:00:00.000000+00:00', locked: false },
      }
    : {};
  return {
    ...threadFields,
    id: seed.id,
    // Other text-based types (5 announcement, 15 forum…) have this shape too, near enough for discord.js.
    type: (seed.type ?? 0) as APITextChannel['type'],
    guild_id: guildId,
    name: seed.name,
    position,
    permission_overwrites: overwrites as APITextChannel['permission_overwrites'],
    nsfw: false,
    parent_id: seed.parentId ?? null,
    topic: seed.topic ?? null,
    last_message_id: null,
    last_pin_timestamp: null,
    rate_limit_per_user: 0,
    flags: 0 as ChannelFlags,
  };
}

export function toUser(member: Pick<FakeMember, 'id' | 'username' | 'globalName'>): APIUser {
  return {
    id: member.id,
    username: member.username,
    global_name: member.globalName ?? null,
    discriminator: '0',
    avatar: null,
    public_flags: 0 as UserFlags,
  };
}

/** `permissions`: the member's set in the invoking channel (permissions.ts computes it). */
export function toInteractionMember(member: FakeMember, permissions: bigint): APIInteractionGuildMember {
  return {
    user: toUser(member),
    roles: [...(member.roles ?? [])],
    permissions: permissions.toString(),
    nick: member.nick ?? null,
    avatar: null,
    banner: null,
    joined_at: '2024-01-15T10:00:00.000000+00:00',
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: member.timedOutUntil ?? null,
  };
}

export function toGuildCreate(guild: GuildRecord, channels: APITextChannel[], memberCount: number): GatewayGuildCreateDispatchData {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    icon_hash: null,
    splash: null,
    discovery_splash: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    roles: guild.roles,
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0 as GuildSystemChannelFlags,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: guild.preferredLocale as Locale,
    public_updates_channel_id: null,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    hub_type: null,
    safety_alerts_channel_id: null,
    incidents_data: null,
    joined_at: guild.joinedAt,
    large: false,
    unavailable: false,
    member_count: memberCount,
    voice_states: [],
    members: [],
    // Threads travel in their own list, with `parent_id`.
    channels: channels.filter((c) => !THREAD_CHANNEL_TYPES.has(c.type)),
    threads: channels.filter((c) => THREAD_CHANNEL_TYPES.has(c.type)) as unknown as GatewayGuildCreateDispatchData['threads'],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}
