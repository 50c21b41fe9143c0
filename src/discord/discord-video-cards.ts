import { Routes, type REST } from 'discord.js';
import type { APIMessage } from 'discord-api-types/v10';
import type { MediaEntry } from '../core/ports/media-library';
import { toDiscordUpstreamError } from './discord-upstream-error';
import { toVideoCard } from './render/video-card';

/** Posts the public video card of `/kaltura share` (the handlers' way to reach a channel). */
export interface VideoCards {
  /**
   * The card as a channel message; resolves to its message id. `nonce` (≤ 25 characters) is sent
   * with `enforce_nonce`, so a request discord.js repeats after a lost answer posts one card.
   * Throws DiscordUpstreamError (`isPermission` when the bot may not post there).
   */
  post(channelId: string, entry: MediaEntry, options: { readonly sharedBy: string; readonly watchTogether: boolean; readonly nonce: string }): Promise<string>;
}

/**
 * Over REST with the bot token, as the meeting cards: discord.js queues per route and waits out
 * 429s by itself.
 * @see https://discord.com/developers/docs/resources/message#create-message
 */
export function createDiscordVideoCards(rest: REST): VideoCards {
  return {
    async post(channelId, entry, options) {
      try {
        const message = (await rest.post(Routes.channelMessages(channelId), { body: toVideoCard(entry, options) })) as APIMessage;
        return message.id;
      } catch (err) {
        throw toDiscordUpstreamError(err, 'post the video card');
      }
    },
  };
}
