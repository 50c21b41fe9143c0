import type { RESTPostAPIChannelMessageJSONBody } from 'discord-api-types/v10';
import type { MediaEntry } from '../../core/ports/media-library';
import { clip } from '../interactions/reply';
import { watchButton, watchTogetherButton } from './video-buttons';
import { formatVideoDuration, thumbnailOf, videoDescription, videoOwner, videoTitle } from './video-labels';

const COLOR = 0x3498db;

/**
 * The public video card `/kaltura share` posts: title, description, thumbnail and length, and
 * buttons that each member presses for themselves (Watch: a personal link; Watch together: the
 * Activity). Nothing on it plays anything or carries a secret. Mentions never ping; the sharer's
 * name is in the footer, which Discord shows as plain text (no markdown, no mentions).
 * @see https://discord.com/developers/docs/resources/message#embed-object-embed-limits
 */
export function toVideoCard(
  entry: MediaEntry,
  options: { readonly sharedBy: string; readonly watchTogether: boolean; readonly nonce?: string },
): RESTPostAPIChannelMessageJSONBody {
  const description = videoDescription(entry, 1000);
  const owner = videoOwner(entry);
  const thumbnail = thumbnailOf(entry);
  return {
    embeds: [
      {
        title: videoTitle(entry),
        ...(description ? { description } : {}),
        color: COLOR,
        ...(thumbnail ? { thumbnail } : {}),
        fields: [{ name: 'Length', value: formatVideoDuration(entry.durationSeconds), inline: true }, ...(owner ? [{ name: 'Owner', value: owner, inline: true }] : [])],
        footer: { text: clip(`Shared by ${options.sharedBy}`, 2048) },
      },
    ],
    components: [{ type: 1, components: [watchButton(entry.id), ...(options.watchTogether ? [watchTogetherButton(entry.id)] : [])] }],
    allowed_mentions: { parse: [] },
    ...(options.nonce ? { nonce: options.nonce, enforce_nonce: true } : {}),
  };
}
