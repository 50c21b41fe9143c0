/**
 * Notification text: admin-written templates with named placeholders, filled with values
 * that members wrote (titles, display names). Those values are escaped so that they show as
 * written and cannot mention anyone, hide a link behind other text or restyle the message.
 * Mentions built by us (`<@id>`) never ping either: messages go out with no allowed mentions.
 * @see https://discord.com/developers/docs/reference#message-formatting
 */

export const PLACEHOLDERS = ['title', 'kind', 'host', 'hostName', 'url', 'duration', 'member', 'channel'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** Values ready to insert (escaped, or built by us). A known placeholder without a value renders empty. */
export type TemplateValues = Partial<Record<Placeholder, string>>;

/** Discord's limit for `content`. */
export const MAX_CONTENT_LENGTH = 2000;

const PLACEHOLDER = /\{([A-Za-z]+)\}/g;
const isPlaceholder = (name: string): name is Placeholder => (PLACEHOLDERS as readonly string[]).includes(name);

/** Fills `{name}` placeholders; unknown ones (`{foo}`, `{ title }`) stay as written. Clipped to 2000 characters. */
export function renderTemplate(template: string, values: TemplateValues): string {
  return clipContent(template.replace(PLACEHOLDER, (whole, name: string) => (isPlaceholder(name) ? (values[name] ?? '') : whole)));
}

/**
 * Member-written text made inert: markdown punctuation is backslash-escaped (Discord shows
 * `\X` as `X` for any punctuation), so `<@&1>`, `[x](y)`, `**`, `||` and headings render
 * literally; `@everyone`/`@here` get a zero-width space; line breaks become spaces.
 */
export function escapeText(text: string): string {
  return text
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .replace(/[\\*_~`|<>[\]()#-]/g, '\\$&')
    .replace(/@(everyone|here)/gi, '@\u200b$1');
}

/** A mention of a user or channel by id; anything that is not a snowflake renders empty. */
export const userMention = (id: string): string => (/^\d{1,20}$/.test(id) ? `<@${id}>` : '');
export const channelMention = (id: string): string => (/^\d{1,20}$/.test(id) ? `<#${id}>` : '');

/** At most `max` UTF-16 units (never more code points than Discord counts), ending in `…` when cut. */
export function clipContent(text: string, max = MAX_CONTENT_LENGTH): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1); // do not split a surrogate pair
  return `${cut}…`;
}

/** `45 s`, `12 min`, `1 h`, `1 h 5 min`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}
