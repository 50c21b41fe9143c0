/**
 * A message the bot posts on its own (not an interaction reply), in a neutral shape the
 * Discord adapter turns into a channel message. Mentions never ping (allowed_mentions: none).
 */
export interface OutgoingMessage {
  readonly content: string;
  /** Reply to this message (e.g. the meeting card) in the same channel. */
  readonly replyToMessageId?: string;
  /** Link buttons, e.g. Watch. */
  readonly linkButtons?: readonly { readonly label: string; readonly url: string }[];
  /**
   * Offer "Watch together" (the Activity) on this Kaltura entry: a button after the link buttons.
   * Optional, so outbox rows queued before it existed still send as they were.
   */
  readonly watchTogether?: { readonly entryId: string };
}

/**
 * Sends channel messages. `nonce` (≤ 25 chars) is sent with `enforce_nonce`, so a retry after a
 * crash between Discord accepting the message and us recording it returns the same message
 * instead of posting twice. Errors are UpstreamErrors: `retryable` for 5xx/network/429, not for
 * missing access, missing permissions, unknown channel.
 */
export interface ChannelSender {
  send(channelId: string, message: OutgoingMessage, nonce: string): Promise<string>;
}
