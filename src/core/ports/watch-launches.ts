/**
 * "Watch together" launch intents: the entry a member asked to watch, written to the database
 * before Discord is told to launch the Activity (no Discord or Kaltura call in between), and taken
 * once when that member's Activity opens its session, on whichever instance it lands. The store's
 * activity-launches.ts.
 */
export interface LaunchIntent {
  readonly userId: string;
  readonly guildId: string;
  readonly channelId: string;
  readonly entryId: string;
  /** Epoch ms. */
  readonly at: number;
}

export interface WatchLaunches {
  /**
   * Remembers the member's newest intent for (user, guild, channel) — an earlier one there is
   * replaced — and forgets every intent older than `pruneBefore`, atomically.
   */
  remember(intent: LaunchIntent, pruneBefore: number): Promise<void>;
  /**
   * Removes the member's intent for (user, guild, channel) and returns its entry when it was made
   * at or after `notBefore`; an older one is removed and not returned. Atomic: taken once.
   */
  take(userId: string, guildId: string, channelId: string, notBefore: number): Promise<string | undefined>;
}
