import type { MediaEntry } from '../../core/ports/media-library';
import { clipEscaped, markdownSafe, markdownSafeLines } from './meeting-labels';

/** `0:42`, `12:05`, `1:02:03`: how video players show a length. */
export function formatVideoDuration(seconds: number): string {
  const s = Number.isFinite(seconds) ? Math.max(0, Math.round(seconds)) : 0;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/** Kaltura text (names, descriptions) is written by whoever uploaded: escaped like member text, then clipped. */
export const videoTitle = (entry: MediaEntry, max = 256): string => clipEscaped(markdownSafe(entry.name.trim() || entry.id), max);

export const videoDescription = (entry: MediaEntry, max: number): string | undefined =>
  entry.description?.trim() ? clipEscaped(markdownSafeLines(entry.description.trim()), max) : undefined;

/**
 * Who owns the entry: a member the bot created the Kaltura user for (`discord_<snowflake>`) is
 * shown as a mention (messages never ping), anyone else by their Kaltura user id as plain text.
 */
export function videoOwner(entry: MediaEntry): string | undefined {
  const owner = entry.ownerId?.trim();
  if (!owner) return undefined;
  const member = /^discord_(\d{17,20})$/.exec(owner);
  return member ? `<@${member[1]}>` : clipEscaped(markdownSafe(owner), 200);
}

/**
 * An embed image URL Discord will fetch: http(s) only and within the embed URL limit, else none
 * (a bad URL would make Discord refuse the whole message).
 */
export function thumbnailOf(entry: MediaEntry): { url: string } | undefined {
  const url = entry.thumbnailUrl;
  return /^https?:\/\//i.test(url ?? '') && url.length <= 2048 ? { url } : undefined;
}
