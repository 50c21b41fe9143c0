import type { MeetingKind } from '../../core/ports/meeting-provider';
import { escapeText } from '../../core/notifications/render-template';

export const KIND_LABEL: Record<MeetingKind, string> = {
  meeting: 'Meeting',
  webinar: 'Webinar',
  classroom: 'Virtual classroom',
};

/** `<t:…:f>` renders in each member's own time zone and language. */
export const discordTime = (ms: number, style: 'f' | 't' | 'R' | 'F' = 'f') => `<t:${Math.floor(ms / 1000)}:${style}>`;

export function formatMinutes(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/**
 * Member-written text (titles, descriptions, names) shown as written, on one line, wherever
 * Discord renders markdown (content, embed titles and descriptions): every markdown character is
 * backslash-escaped, so no masked link (`[Free Nitro](https://…)`), mention (`<@…>`, `<@&…>`,
 * `<#…>`), heading, quote or styling can be made of it, and `@everyone`/`@here` are broken with a
 * zero-width space. The same rule as notification placeholders (`escapeText`). discord.js'
 * `escapeMarkdown` is not enough: it leaves masked links, mentions, `<`/`>` and `@everyone` alone by default.
 * Clip before escaping (a cut escape would escape our own markup). Not for button labels or
 * autocomplete names: those are plain text already and would show the backslashes.
 * @see https://discord.com/developers/docs/reference#message-formatting
 */
export const markdownSafe = (text: string): string => escapeText(text);

/**
 * Escaped text cut to `max` characters (ending in `…`) without leaving a lone escaping backslash
 * at the end, which would escape the character after it.
 */
export function clipEscaped(escaped: string, max: number): string {
  if (escaped.length <= max) return escaped;
  let cut = escaped.slice(0, max - 1);
  if ((/\\+$/.exec(cut)?.[0].length ?? 0) % 2 === 1) cut = cut.slice(0, -1);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1); // never half a surrogate pair
  return `${cut}…`;
}

/** As `markdownSafe`, keeping the member's line breaks (embed descriptions). */
export const markdownSafeLines = (text: string): string => text.split(/\r?\n/).map(escapeText).join('\n');
