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

export function toChannel(seed: FakeChannelSeed, guildId: string, position: number): APITextChannel {
  return {
    id: seed.id,
    // Other text-based types (5 announcement, 15 forum…) have this shape too, near enough for discord.js.
    type: (seed.type ?? 0) as APITextChannel['type'],
    guild_id: guildId,
    name: seed.name,
    position,
    permission_overwrites: [],
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

/** The member's permissions: explicit, else @everyone plus their roles (administrator means all). */
export function memberPermissions(guild: GuildRecord, member: FakeMember): bigint {
  if (member.permissions !== undefined) return BigInt(member.permissions);
  const held = new Set([guild.id, ...(member.roles ?? [])]);
  const bits = guild.roles.filter((r) => held.has(r.id)).reduce((acc, r) => acc | BigInt(r.permissions), 0n);
  return bits & PERMISSIONS.ADMINISTRATOR ? PERMISSIONS.ALL : bits;
}

export function toInteractionMember(guild: GuildRecord, member: FakeMember): APIInteractionGuildMember {
  return {
    user: toUser(member),
    roles: [...(member.roles ?? [])],
    permissions: memberPermissions(guild, member).toString(),
    nick: member.nick ?? null,
    avatar: null,
    banner: null,
    joined_at: '2024-01-15T10:00:00.000000+00:00',
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
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
    channels,
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}
