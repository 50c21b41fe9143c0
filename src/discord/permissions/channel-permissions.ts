/**
 * Discord's permission computation over plain data (no discord.js), in the documented order:
 * base = @everyone role | the member's roles (the owner and ADMINISTRATOR get everything); in a
 * channel, the @everyone overwrite (deny then allow), the member's role overwrites together
 * (deny then allow), the member's own overwrite (deny then allow); without VIEW_CHANNEL nothing
 * else applies.
 * @see https://discord.com/developers/docs/topics/permissions#permission-overwrites
 * @see https://discord.com/developers/docs/topics/permissions#implicit-permissions
 */

export const DISCORD_PERMISSION = {
  administrator: 1n << 3n,
  viewChannel: 1n << 10n,
  manageThreads: 1n << 34n,
} as const;

/** Every permission bit, what an administrator or the owner has. */
export const ALL_PERMISSIONS = (1n << 64n) - 1n;

export interface PermissionOverwrite {
  readonly id: string;
  /** 0 role, 1 member. */
  readonly type: 0 | 1;
  readonly allow: bigint;
  readonly deny: bigint;
}

export interface GuildPermissionData {
  readonly guildId: string;
  readonly ownerId: string;
  /** Role id -> permissions; the @everyone role's id is the guild id. */
  readonly rolePermissions: ReadonlyMap<string, bigint>;
}

export interface PermissionMember {
  readonly id: string;
  readonly roleIds: readonly string[];
}

export function basePermissions(guild: GuildPermissionData, member: PermissionMember): bigint {
  if (member.id === guild.ownerId) return ALL_PERMISSIONS;
  let bits = guild.rolePermissions.get(guild.guildId) ?? 0n;
  for (const id of member.roleIds) bits |= guild.rolePermissions.get(id) ?? 0n;
  return bits & DISCORD_PERMISSION.administrator ? ALL_PERMISSIONS : bits;
}

export function channelPermissions(guild: GuildPermissionData, overwrites: readonly PermissionOverwrite[], member: PermissionMember): bigint {
  const base = basePermissions(guild, member);
  if (base & DISCORD_PERMISSION.administrator) return ALL_PERMISSIONS;
  let bits = base;
  const everyone = overwrites.find((o) => o.type === 0 && o.id === guild.guildId);
  if (everyone) bits = (bits & ~everyone.deny) | everyone.allow;
  const held = new Set(member.roleIds);
  let allow = 0n;
  let deny = 0n;
  for (const o of overwrites) {
    if (o.type === 0 && o.id !== guild.guildId && held.has(o.id)) {
      allow |= o.allow;
      deny |= o.deny;
    }
  }
  bits = (bits & ~deny) | allow;
  const own = overwrites.find((o) => o.type === 1 && o.id === member.id);
  if (own) bits = (bits & ~own.deny) | own.allow;
  return bits & DISCORD_PERMISSION.viewChannel ? bits : 0n;
}
