/**
 * Can the bot post (cards, notifications) in a channel? Discord's permission computation over REST
 * data — `GET /channels/{id}` (its overwrites; a thread's parent), the bot's member and the guild's
 * roles — shared by `doctor`, `/kaltura-admin settings set-channel` and `/kaltura-admin status`; and
 * the names of what is missing, for `/kaltura start`'s check of `app_permissions`.
 * @see https://discord.com/developers/docs/topics/permissions#permission-overwrites
 * @see https://discord.com/developers/docs/resources/channel#get-channel
 * @see https://discord.com/developers/docs/resources/guild#get-guild-member
 */
import type { BotChannelAccess, BotChannelProblem } from '../core/ports/bot-channel-access';

export const BOT_PERMISSION = {
  ADMINISTRATOR: 1n << 3n,
  VIEW_CHANNEL: 1n << 10n,
  SEND_MESSAGES: 1n << 11n,
  EMBED_LINKS: 1n << 14n,
  READ_MESSAGE_HISTORY: 1n << 16n,
  MANAGE_THREADS: 1n << 34n,
  SEND_MESSAGES_IN_THREADS: 1n << 38n,
} as const;

/** Public, announcement and private threads: permissions come from the parent channel. */
export const THREAD_TYPES: ReadonlySet<number> = new Set([10, 11, 12]);

export interface Overwrite {
  readonly id: string;
  /** 0 role, 1 member. */
  readonly type: number;
  readonly allow: string;
  readonly deny: string;
}

export interface PermissionInputs {
  readonly guildId: string;
  readonly memberId: string;
  readonly memberRoleIds: readonly string[];
  /** Every guild role: id -> permission bitfield (a decimal string, as Discord sends it). */
  readonly roles: ReadonlyMap<string, string>;
  readonly overwrites: readonly Overwrite[];
  /** In a timeout (`communication_disabled_until` in the future). */
  readonly timedOut?: boolean;
}

const ALL = (1n << 64n) - 1n;

/**
 * @everyone and the member's roles, administrator short-circuits, then the channel's overwrites in
 * order: @everyone, the member's roles (denies then allows, combined), the member itself.
 * A timeout leaves only View Channel and Read Message History (administrators are exempt).
 * Not modelled: the guild owner (a bot rarely owns its guild).
 * @see https://discord.com/developers/docs/topics/permissions#permissions-for-timed-out-members
 */
export function effectivePermissions(p: PermissionInputs): bigint {
  const held = [p.guildId, ...p.memberRoleIds];
  let perms = held.reduce((acc, id) => acc | BigInt(p.roles.get(id) ?? '0'), 0n);
  if (perms & BOT_PERMISSION.ADMINISTRATOR) return ALL;
  const apply = (ow: { allow: bigint; deny: bigint } | undefined) => {
    if (ow) perms = (perms & ~ow.deny) | ow.allow;
  };
  const bits = (ow: Overwrite) => ({ allow: BigInt(ow.allow ?? '0'), deny: BigInt(ow.deny ?? '0') });
  const everyone = p.overwrites.find((o) => o.type === 0 && o.id === p.guildId);
  apply(everyone && bits(everyone));
  const roleSet = new Set(p.memberRoleIds);
  let allow = 0n;
  let deny = 0n;
  for (const o of p.overwrites) {
    if (o.type !== 0 || !roleSet.has(o.id)) continue;
    allow |= BigInt(o.allow ?? '0');
    deny |= BigInt(o.deny ?? '0');
  }
  apply({ allow, deny });
  const member = p.overwrites.find((o) => o.type === 1 && o.id === p.memberId);
  apply(member && bits(member));
  return p.timedOut ? perms & (BOT_PERMISSION.VIEW_CHANNEL | BOT_PERMISSION.READ_MESSAGE_HISTORY) : perms;
}

const NAMES: readonly [bigint, string][] = [
  [BOT_PERMISSION.VIEW_CHANNEL, 'View Channel'],
  [BOT_PERMISSION.SEND_MESSAGES, 'Send Messages'],
  [BOT_PERMISSION.SEND_MESSAGES_IN_THREADS, 'Send Messages in Threads'],
  [BOT_PERMISSION.EMBED_LINKS, 'Embed Links'],
  [BOT_PERMISSION.READ_MESSAGE_HISTORY, 'Read Message History'],
];

/**
 * What posting a card or a notification needs: in a thread, Send Messages in Threads replaces Send
 * Messages ("does not allow sending messages in threads").
 * @see https://discord.com/developers/docs/topics/permissions#permissions-bitwise-permission-flags
 */
export function requiredPermissions(thread: boolean): bigint {
  return BOT_PERMISSION.VIEW_CHANNEL | (thread ? BOT_PERMISSION.SEND_MESSAGES_IN_THREADS : BOT_PERMISSION.SEND_MESSAGES) | BOT_PERMISSION.EMBED_LINKS | BOT_PERMISSION.READ_MESSAGE_HISTORY;
}

/** The names of the required permissions that `have` lacks, in Discord's settings order. */
export function missingPermissions(have: bigint, required: bigint): string[] {
  return NAMES.filter(([bit]) => required & bit && !(have & bit)).map(([, name]) => name);
}

/** "A, B and C". */
export function listNames(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** One REST answer, errors included (`code` is Discord's JSON error code). */
export interface ApiAnswer {
  readonly status: number;
  readonly code?: number;
  readonly body: unknown;
}

export type ApiGet = (path: string) => Promise<ApiAnswer>;

/** Why the bot cannot post in a channel, in words for an admin; `kind` tells a wrong id from missing rights. */
export type ChannelProblem = BotChannelProblem;

export const GRANT_PERMISSIONS_HINT = "open the channel's settings → Permissions, add the bot (or its role) and allow View Channel, Send Messages, Embed Links and Read Message History";

/**
 * What keeps the bot from posting in `channelId`, or undefined when it can. `get` answers a REST
 * path under `/v10` (a raw fetch in the CLI, discord.js's REST in `serve`); answers may be cached.
 */
export async function botChannelProblem(get: ApiGet, botId: string, channelId: string): Promise<ChannelProblem | undefined> {
  const channel = await get(`/channels/${channelId}`);
  if (channel.status === 404 || channel.code === 10003) return { kind: 'unknown-channel', detail: 'does not exist (Unknown Channel)' };
  if (channel.status === 403) return { kind: 'missing-permissions', detail: 'the bot cannot see it (Missing Access 50001): View Channel is missing', missing: ['View Channel'] };
  if (channel.status !== 200) return { kind: 'unreadable', detail: `Discord answered HTTP ${channel.status} for the channel` };
  let target = channel.body as { guild_id?: string; type?: number; parent_id?: string | null; permission_overwrites?: Overwrite[] };
  const thread = THREAD_TYPES.has(target.type ?? 0);
  if (thread && target.parent_id) {
    const parent = await get(`/channels/${target.parent_id}`);
    if (parent.status !== 200) return { kind: 'missing-permissions', detail: `is a thread whose parent channel ${target.parent_id} the bot cannot read (HTTP ${parent.status})`, missing: ['View Channel'] };
    target = parent.body as typeof target;
  }
  const guildId = target.guild_id;
  if (!guildId) return { kind: 'unknown-channel', detail: 'is not a server channel (a DM?)' };
  const [member, roles] = await Promise.all([get(`/guilds/${guildId}/members/${botId}`), get(`/guilds/${guildId}/roles`)]);
  if (member.status !== 200) return { kind: 'not-in-server', detail: `the bot is not a member of its server ${guildId} (HTTP ${member.status})` };
  if (roles.status !== 200) return { kind: 'unreadable', detail: `could not read the server's roles (HTTP ${roles.status})` };
  const { roles: memberRoleIds = [], communication_disabled_until: until } = member.body as { roles?: string[]; communication_disabled_until?: string | null };
  const timedOut = typeof until === 'string' && Date.parse(until) > Date.now();
  const have = effectivePermissions({
    guildId,
    memberId: botId,
    memberRoleIds,
    timedOut,
    roles: new Map(((roles.body as { id: string; permissions: string }[]) ?? []).map((r) => [r.id, r.permissions])),
    overwrites: target.permission_overwrites ?? [],
  });
  const missing = missingPermissions(have, requiredPermissions(thread));
  if (missing.length === 0) return undefined;
  return { kind: 'missing-permissions', detail: `missing ${missing.join(', ')}${timedOut ? ' (the bot is timed out in this server)' : ''}`, missing };
}

/** Memoizes a getter for one check run (the same guild's roles are read once). */
export function cachedGet(get: ApiGet): ApiGet {
  const cache = new Map<string, Promise<ApiAnswer>>();
  return (path) => {
    let answer = cache.get(path);
    if (!answer) cache.set(path, (answer = get(path)));
    return answer;
  };
}

/**
 * The core's `BotChannelAccess` over discord.js's REST client (the bot token; queues and rate
 * limits handled there). The bot's own id is read once from `GET /users/@me`.
 */
export function createBotChannelAccess(rest: { get(route: `/${string}`): Promise<unknown> }): BotChannelAccess {
  const get: ApiGet = async (path) => {
    try {
      return { status: 200, body: await rest.get(path as `/${string}`) };
    } catch (err) {
      const e = err as { status?: unknown; code?: unknown; rawError?: unknown };
      if (typeof e.status !== 'number') throw err; // not an answer from Discord (network, abort)
      return { status: e.status, ...(typeof e.code === 'number' ? { code: e.code } : {}), body: e.rawError };
    }
  };
  let botId: Promise<string> | undefined;
  const me = () =>
    (botId ??= get('/users/@me').then((a) => {
      if (a.status !== 200) throw new Error(`Discord answered HTTP ${a.status} for the bot user`);
      return String((a.body as { id: string }).id);
    })).catch((err: unknown) => {
      botId = undefined;
      throw err;
    });
  return {
    async problemIn(channelId) {
      return botChannelProblem(cachedGet(get), await me(), channelId);
    },
  };
}
