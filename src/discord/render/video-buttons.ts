import type { APIButtonComponentWithCustomId } from 'discord-api-types/v10';
import { customId } from './custom-ids';

/**
 * The video library's buttons. Each brings back only its entry id; what the clicker may see is
 * decided again at click time (a public card's buttons are pressed by anyone in the channel).
 * Styles: 1 primary, 2 secondary.
 * @see https://discord.com/developers/docs/components/reference#button
 */
export const WATCH_TOGETHER_LABEL = 'Watch together';

export const watchButton = (entryId: string): APIButtonComponentWithCustomId => ({ type: 2, style: 1, label: 'Watch', custom_id: customId.watch(entryId) });

export const watchTogetherButton = (entryId: string, n?: number): APIButtonComponentWithCustomId => ({
  type: 2,
  style: 2,
  label: n === undefined ? WATCH_TOGETHER_LABEL : `${WATCH_TOGETHER_LABEL} #${n}`,
  custom_id: customId.together(entryId),
});

export const shareButton = (entryId: string, n: number): APIButtonComponentWithCustomId => ({ type: 2, style: 1, label: `Share #${n}`, custom_id: customId.share(entryId) });
