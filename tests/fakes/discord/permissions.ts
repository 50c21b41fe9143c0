import type { APIOverwrite } from 'discord-api-types/v10';
import type { ChannelRecord, FakeState } from './fake-state';
import { PERMISSIONS, type GuildRecord } from './guild-objects';

/**
 * Discord's permission computation, step by step as its documentation gives it, so that
 * `member.permissions` and `app_permissions` in interaction payloads are the invoker's (and the
 * bot's) set in the invoking channel, overwrites applied, and a test can ask the same question
 * about any other channel. Written independently of the bot's own computation on purpose.
 *
 * @see https://discord.com/developers/docs/topics/permissions#permission-overwrites
 *   base = @everyone role | member's roles; ADMINISTRATOR → all; the owner → all; then, in a
 *   channel: @everyone overwrite (deny, then allow), all role overwrites of the member's roles
 *   together (deny, then allow), the member's own overwrite (deny, then allow).
 * @see https://discord.com/developers/docs/topics/permissions#implicit-permissions
 *   without VIEW_CHANNEL every other permission in the channel is denied; without SEND_MESSAGES,
 *   MENTION_EVERYONE, SEND_TTS_MESSAGES, ATTACH_FILES and EMBED_LINKS are denied.
 * @see https://discord.com/developers/docs/topics/threads#permissions
 *   a thread has no overwrites of its own and inherits its parent's; a private thread is seen
 *   only by its members and by those with MANAGE_THREADS.
 */

const SEND_TTS_MESSAGES = 1n << 12n;
const MENTION_EVERYONE = 1n << 17n;
const MANAGE_THREADS = 1n << 34n;

/** GUILD_PUBLIC_THREAD 11, GUILD_PRIVATE_THREAD 12, GUILD_ANNOUNCEMENT_THREAD 10. */
export const THREAD_TYPES: ReadonlySet<number> = new Set([10, 11, 12]);
const PRIVATE_THREAD = 12;

/** Who is asking: a member's id and role ids (without @everyone). */
export interface PermissionSubject {
  readonly userId: string;
  readonly roleIds: readonly string[];
}

/**
 * Guild-level permissions ("base permissions"). `guildBits`, when given, is the whole guild-level
 * set instead of @everyone plus roles: the bot's, which tests set directly (`appPermissions`).
 */
export function basePermissions(guild: GuildRecord, subject: PermissionSubject, guildBits?: bigint): bigint {
  if (subject.userId === guild.ownerId) return PERMISSIONS.ALL;
  let bits = guildBits ?? BigInt(guild.roles.find((r) => r.id === guild.id)?.permissions ?? '0');
  if (guildBits === undefined) {
    const held = new Set(subject.roleIds);
    for (const role of guild.roles) if (held.has(role.id)) bits |= BigInt(role.permissions);
  }
  return bits & PERMISSIONS.ADMINISTRATOR ? PERMISSIONS.ALL : bits;
}

/** Applies a channel's overwrites to base permissions, in Discord's order. */
export function applyOverwrites(base: bigint, overwrites: readonly APIOverwrite[], guildId: string, subject: PermissionSubject): bigint {
  if (base & PERMISSIONS.ADMINISTRATOR) return PERMISSIONS.ALL;
  let bits = base;
  const everyone = overwrites.find((o) => o.type === 0 && o.id === guildId);
  if (everyone) bits = (bits & ~BigInt(everyone.deny)) | BigInt(everyone.allow);
  let allow = 0n;
  let deny = 0n;
  const held = new Set(subject.roleIds);
  for (const o of overwrites) {
    if (o.type !== 0 || o.id === guildId || !held.has(o.id)) continue;
    allow |= BigInt(o.allow);
    deny |= BigInt(o.deny);
  }
  bits = (bits & ~deny) | allow;
  const own = overwrites.find((o) => o.type === 1 && o.id === subject.userId);
  if (own) bits = (bits & ~BigInt(own.deny)) | BigInt(own.allow);
  return bits;
}

function implicit(bits: bigint): bigint {
  if (bits === PERMISSIONS.ALL) return bits;
  if (!(bits & PERMISSIONS.VIEW_CHANNEL)) return 0n;
  if (!(bits & PERMISSIONS.SEND_MESSAGES)) bits &= ~(MENTION_EVERYONE | SEND_TTS_MESSAGES | PERMISSIONS.ATTACH_FILES | PERMISSIONS.EMBED_LINKS);
  return bits;
}

/** The channel whose overwrites apply: a thread's parent, else the channel itself. */
export function overwriteSource(state: FakeState, record: ChannelRecord): ChannelRecord {
  if (!THREAD_TYPES.has(Number(record.channel.type))) return record;
  const parent = record.channel.parent_id ? state.channels.get(record.channel.parent_id) : undefined;
  if (!parent) throw new Error(`fake Discord: thread ${record.channel.id} has no known parent channel`);
  return parent;
}

/**
 * The subject's permissions in a channel (a thread: its parent's, and a private thread needs
 * membership or MANAGE_THREADS). `guildBits`: the bot's guild-level set (see `botPermissionsIn`).
 */
export function permissionsIn(state: FakeState, channelId: string, subject: PermissionSubject, guildBits?: bigint): bigint {
  const record = state.channels.get(channelId);
  if (!record) throw new Error(`fake Discord: unknown channel ${channelId}`);
  const guild = state.guilds.get(record.guildId);
  if (!guild) throw new Error(`fake Discord: unknown guild ${record.guildId}`);
  const source = overwriteSource(state, record);
  const bits = implicit(applyOverwrites(basePermissions(guild, subject, guildBits), source.channel.permission_overwrites ?? [], guild.id, subject));
  if (Number(record.channel.type) === PRIVATE_THREAD && bits !== PERMISSIONS.ALL && !(bits & MANAGE_THREADS) && !record.threadMemberIds?.includes(subject.userId)) return 0n;
  return bits;
}

/**
 * The bot's permissions in a channel (`app_permissions`): its guild-level set is the fake's
 * `appPermissions` setting (its managed role), then the channel's overwrites as for anyone, then
 * what `denyChannel` took away.
 */
export function botPermissionsIn(state: FakeState, channelId: string, guildBits: bigint = state.settings.appPermissions): bigint {
  const record = state.channels.get(channelId);
  let bits = permissionsIn(state, channelId, { userId: state.botUser.id, roleIds: [] }, guildBits);
  if (record?.denied === 50001) bits &= ~(PERMISSIONS.VIEW_CHANNEL | PERMISSIONS.SEND_MESSAGES);
  if (record?.denied === 50013) bits &= ~PERMISSIONS.SEND_MESSAGES;
  return bits;
}
