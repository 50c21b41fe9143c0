/**
 * The bot's effective permissions in a channel, computed as Discord does: @everyone and the
 * member's roles, administrator short-circuits, then the channel's overwrites in order —
 * @everyone, the member's roles (denies then allows, combined), the member itself.
 * Not modelled: the guild owner (a bot rarely owns its guild) and timeouts.
 * @see https://discord.com/developers/docs/topics/permissions#permission-overwrites
 */

export const PERMISSION = {
  ADMINISTRATOR: 1n << 3n,
  VIEW_CHANNEL: 1n << 10n,
  SEND_MESSAGES: 1n << 11n,
  EMBED_LINKS: 1n << 14n,
  READ_MESSAGE_HISTORY: 1n << 16n,
  SEND_MESSAGES_IN_THREADS: 1n << 38n,
} as const;

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
}

const ALL = (1n << 64n) - 1n;

export function effectivePermissions(p: PermissionInputs): bigint {
  const held = [p.guildId, ...p.memberRoleIds];
  let perms = held.reduce((acc, id) => acc | BigInt(p.roles.get(id) ?? '0'), 0n);
  if (perms & PERMISSION.ADMINISTRATOR) return ALL;
  const apply = (ow: { allow: bigint; deny: bigint } | undefined) => {
    if (ow) perms = (perms & ~ow.deny) | ow.allow;
  };
  const bits = (ow: Overwrite) => ({ allow: BigInt(ow.allow), deny: BigInt(ow.deny) });
  const everyone = p.overwrites.find((o) => o.type === 0 && o.id === p.guildId);
  apply(everyone && bits(everyone));
  const roleSet = new Set(p.memberRoleIds);
  let allow = 0n;
  let deny = 0n;
  for (const o of p.overwrites) {
    if (o.type !== 0 || !roleSet.has(o.id)) continue;
    allow |= BigInt(o.allow);
    deny |= BigInt(o.deny);
  }
  apply({ allow, deny });
  const member = p.overwrites.find((o) => o.type === 1 && o.id === p.memberId);
  apply(member && bits(member));
  return perms;
}

const NAMES: readonly [bigint, string][] = [
  [PERMISSION.VIEW_CHANNEL, 'View Channel'],
  [PERMISSION.SEND_MESSAGES, 'Send Messages'],
  [PERMISSION.SEND_MESSAGES_IN_THREADS, 'Send Messages in Threads'],
  [PERMISSION.EMBED_LINKS, 'Embed Links'],
  [PERMISSION.READ_MESSAGE_HISTORY, 'Read Message History'],
];

/** What a notifier needs: in a thread, Send Messages in Threads replaces Send Messages. */
export function requiredPermissions(thread: boolean): bigint {
  return PERMISSION.VIEW_CHANNEL | (thread ? PERMISSION.SEND_MESSAGES_IN_THREADS : PERMISSION.SEND_MESSAGES) | PERMISSION.EMBED_LINKS | PERMISSION.READ_MESSAGE_HISTORY;
}

/** The names of the required permissions that `have` lacks, in Discord's settings order. */
export function missingPermissions(have: bigint, required: bigint): string[] {
  return NAMES.filter(([bit]) => required & bit && !(have & bit)).map(([, name]) => name);
}
