/**
 * Who can see what in a server, answered by the chat platform's adapter from what it already
 * knows (Discord: the gateway cache of roles and channel overwrites), so the core can keep a
 * meeting to the members who can see its channel and decide roles by that channel's permissions.
 */
export interface ChannelMember {
  readonly id: string;
  /** Role ids, without the @everyone role. */
  readonly roleIds: readonly string[];
  /**
   * Already known to be in the channel if it is a private thread (checked when a join link was
   * issued): who is in a private thread is not something the adapter can always tell.
   */
  readonly threadMember?: boolean;
}

export interface ChannelAccess {
  /**
   * The member's permission bitfield in the channel (for a thread: as its parent, and a private
   * thread only for those who may manage threads, its known members and `threadMember`), overwrites applied, `0n` when they cannot view
   * it; `undefined` when the server or the channel is unknown (deleted, or hidden from the bot).
   */
  permissionsIn(guildId: string, channelId: string, member: ChannelMember): bigint | undefined;
  /**
   * Asks the platform about a channel `permissionsIn` does not know (Discord: an archived thread is
   * not in the gateway cache after a restart, or after a few hours); resolves within a few seconds
   * whatever happens, never rejects. Used where an answer can wait (redeeming a join link).
   */
  load?(guildId: string, channelId: string): Promise<void>;
}
