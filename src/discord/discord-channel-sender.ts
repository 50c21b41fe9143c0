import { Routes, type REST } from 'discord.js';
import type { APIMessage, RESTPostAPIChannelMessageJSONBody } from 'discord-api-types/v10';
import type { ChannelSender, OutgoingMessage } from '../core/ports/channel-sender';
import { toDiscordUpstreamError } from './discord-upstream-error';
import { clip } from './interactions/reply';
import { isEntryId } from './render/custom-ids';
import { watchTogetherButton } from './render/video-buttons';

export interface ChannelMessageOptions {
  /** Show "Watch together" where a message offers it (the Activity is set up). Default true: a click explains when it is not. */
  readonly watchTogether?: boolean;
}

/** The neutral outgoing message as Discord JSON: never pings, replies without failing if the card is gone. */
export function toChannelMessage(message: OutgoingMessage, nonce: string, options: ChannelMessageOptions = {}): RESTPostAPIChannelMessageJSONBody {
  const together = options.watchTogether !== false && isEntryId(message.watchTogether?.entryId) ? [watchTogetherButton(message.watchTogether.entryId)] : [];
  const links = (message.linkButtons ?? []).slice(0, 5 - together.length);
  const buttons = [
    ...links.map((b) => ({ type: 2 as const, style: 5 as const, label: clip(b.label, 80), url: b.url })),
    ...together,
  ];
  return {
    content: clip(message.content, 2000),
    allowed_mentions: { parse: [] },
    nonce,
    enforce_nonce: true,
    ...(message.replyToMessageId ? { message_reference: { message_id: message.replyToMessageId, fail_if_not_exists: false } } : {}),
    ...(buttons.length ? { components: [{ type: 1, components: buttons }] } : {}),
  };
}

/**
 * Channel messages the bot sends on its own (notifications), over REST with the bot token.
 * `enforce_nonce` makes Discord answer a repeated nonce with the message it already created, so
 * the outbox can retry after a crash without posting twice. discord.js queues per route and
 * waits out 429s by itself.
 * @see https://discord.com/developers/docs/resources/message#create-message
 */
export function createDiscordChannelSender(rest: REST, options: ChannelMessageOptions = {}): ChannelSender {
  return {
    async send(channelId, message, nonce) {
      try {
        const sent = (await rest.post(Routes.channelMessages(channelId), { body: toChannelMessage(message, nonce, options) })) as APIMessage;
        return sent.id;
      } catch (err) {
        throw toDiscordUpstreamError(err, 'post a notification');
      }
    },
  };
}
