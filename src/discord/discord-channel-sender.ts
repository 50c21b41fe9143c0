import { Routes, type REST } from 'discord.js';
import type { APIMessage, RESTPostAPIChannelMessageJSONBody } from 'discord-api-types/v10';
import type { ChannelSender, OutgoingMessage } from '../core/ports/channel-sender';
import { toDiscordUpstreamError } from './discord-upstream-error';
import { clip } from './interactions/reply';

/** The neutral outgoing message as Discord JSON: never pings, replies without failing if the card is gone. */
export function toChannelMessage(message: OutgoingMessage, nonce: string): RESTPostAPIChannelMessageJSONBody {
  const buttons = (message.linkButtons ?? []).slice(0, 5);
  return {
    content: clip(message.content, 2000),
    allowed_mentions: { parse: [] },
    nonce,
    enforce_nonce: true,
    ...(message.replyToMessageId ? { message_reference: { message_id: message.replyToMessageId, fail_if_not_exists: false } } : {}),
    ...(buttons.length
      ? { components: [{ type: 1, components: buttons.map((b) => ({ type: 2 as const, style: 5 as const, label: clip(b.label, 80), url: b.url })) }] }
      : {}),
  };
}

/**
 * Channel messages the bot sends on its own (notifications), over REST with the bot token.
 * `enforce_nonce` makes Discord answer a repeated nonce with the message it already created, so
 * the outbox can retry after a crash without posting twice. discord.js queues per route and
 * waits out 429s by itself.
 * @see https://discord.com/developers/docs/resources/message#create-message
 */
export function createDiscordChannelSender(rest: REST): ChannelSender {
  return {
    async send(channelId, message, nonce) {
      try {
        const sent = (await rest.post(Routes.channelMessages(channelId), { body: toChannelMessage(message, nonce) })) as APIMessage;
        return sent.id;
      } catch (err) {
        throw toDiscordUpstreamError(err, 'post a notification');
      }
    },
  };
}
