/**
 * The Discord member acting, as the interaction payload describes them (role ids and the
 * member's computed permissions in that channel). Never names: roles are matched by id.
 */
export interface Actor {
  readonly id: string;
  /** Server nickname, else global name, else username. */
  readonly displayName: string;
  readonly roleIds: readonly string[];
  /**
   * Discord permission bitfield of the member in `channelId` (Discord computes it for the channel
   * the interaction came from); about any other channel it says nothing (see meeting-visibility.ts).
   */
  readonly permissions: bigint;
  /** The channel `permissions` were computed for; absent: unknown, so they apply to no channel. */
  readonly channelId?: string;
  /**
   * Timed out in the server when the interaction arrived (`communication_disabled_until` in the
   * future): every permission but View Channel and Read Message History is lost, in every channel
   * (see `duringTimeout`).
   */
  readonly timedOut?: boolean;
  readonly avatarUrl?: string;
}

/** Discord permission bits the policy reads. @see https://discord.com/developers/docs/topics/permissions */
export const PERMISSION = {
  administrator: 1n << 3n,
  manageGuild: 1n << 5n,
  viewChannel: 1n << 10n,
  readMessageHistory: 1n << 16n,
  manageEvents: 1n << 33n,
} as const;

export const hasPermission = (actor: Actor, bit: bigint): boolean =>
  (actor.permissions & PERMISSION.administrator) !== 0n || (actor.permissions & bit) !== 0n;

/**
 * "Timed out members will temporarily lose all permissions except VIEW_CHANNEL and
 * READ_MESSAGE_HISTORY. Owners and admin users with ADMINISTRATOR permissions are exempt" (the owner's
 * computed set includes ADMINISTRATOR). Applied whether or not Discord already did (stricter).
 * @see https://discord.com/developers/docs/topics/permissions#permissions-for-timed-out-members
 */
export const duringTimeout = (permissions: bigint, timedOut: boolean | undefined): bigint =>
  timedOut && (permissions & PERMISSION.administrator) === 0n ? permissions & (PERMISSION.viewChannel | PERMISSION.readMessageHistory) : permissions;
