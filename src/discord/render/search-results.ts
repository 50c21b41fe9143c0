import type { APIEmbed } from 'discord-api-types/v10';
import { SCAN_LIMIT } from '../../core/media/search-media';
import type { MediaEntry } from '../../core/ports/media-library';
import type { Reply } from '../interactions/reply';
import { discordTime, markdownSafe } from './meeting-labels';
import { shareButton, watchTogetherButton } from './video-buttons';
import { formatVideoDuration, thumbnailOf, videoDescription, videoOwner, videoTitle } from './video-labels';

/** Results shown at most: one action row each, and a message holds five rows. */
export const MAX_RESULTS = 5;

function resultEmbed(entry: MediaEntry, n: number): APIEmbed {
  const description = videoDescription(entry, 300);
  const owner = videoOwner(entry);
  const thumbnail = thumbnailOf(entry);
  return {
    title: `#${n} ${videoTitle(entry, 240)}`,
    ...(description ? { description } : {}),
    ...(thumbnail ? { thumbnail } : {}),
    fields: [
      { name: 'Length', value: formatVideoDuration(entry.durationSeconds), inline: true },
      ...(owner ? [{ name: 'Owner', value: owner, inline: true }] : []),
      ...(Number.isFinite(entry.createdAt?.getTime()) ? [{ name: 'Added', value: discordTime(entry.createdAt.getTime(), 'R'), inline: true }] : []),
    ],
  };
}

/**
 * `/kaltura search` as the member sees it (ephemeral): a line saying how many of this server's
 * videos match (the count the library service gives, which counts only what this member may
 * see), one embed per video, and per video a row with Share and, when the Activity is set up,
 * Watch together. Five results of ≤ ~700 characters stay far below the 6000-character total.
 */
export function toSearchResults(query: string, answer: { readonly entries: readonly MediaEntry[]; readonly totalCount: number }, options: { readonly watchTogether: boolean }): Reply {
  const shown = answer.entries.slice(0, MAX_RESULTS);
  const asked = `“${markdownSafe(query)}”`;
  if (shown.length === 0) {
    return { ephemeral: true, content: `No video in this server’s library matches ${asked}. Try other words, or fewer of them.` };
  }
  const total = Math.max(answer.totalCount, shown.length);
  const count =
    total > shown.length
      ? `The ${shown.length} best of ${total >= SCAN_LIMIT ? `${SCAN_LIMIT} or more` : total} videos matching ${asked}`
      : `${shown.length === 1 ? 'One video matches' : `${shown.length} videos match`} ${asked}`;
  return {
    ephemeral: true,
    content: `${count}. **Share** posts it in this channel for everyone${options.watchTogether ? '; **Watch together** opens it in an Activity here' : ''}.`,
    embeds: shown.map((e, i) => resultEmbed(e, i + 1)),
    components: shown.map((e, i) => ({
      type: 1 as const,
      components: [shareButton(e.id, i + 1), ...(options.watchTogether ? [watchTogetherButton(e.id, i + 1)] : [])],
    })),
  };
}
