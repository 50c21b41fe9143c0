/**
 * Can the bot post (cards, notifications) in a channel? Answered by the chat adapter (Discord: the
 * channel's overwrites, the bot's roles, a thread's parent), for checks made when an admin chooses a
 * channel and for `/kaltura-admin status`.
 */
export interface BotChannelProblem {
  /** `unknown-channel`: wrong id or deleted; `missing-permissions`: see `missing`; `not-in-server`; `unreadable`: ask again later. */
  readonly kind: 'unknown-channel' | 'missing-permissions' | 'not-in-server' | 'unreadable';
  /** In words, e.g. `missing Embed Links`. */
  readonly detail: string;
  /** Names of the missing permissions, in the platform's own words. */
  readonly missing?: readonly string[];
}

export interface BotChannelAccess {
  /** What keeps the bot from posting in the channel, or undefined when it can. Throws when the platform cannot be asked. */
  problemIn(channelId: string): Promise<BotChannelProblem | undefined>;
}
