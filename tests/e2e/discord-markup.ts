/**
 * Reads message text the way Discord's client renders it, enough to tell whether member-written
 * text stayed text: a backslash before any punctuation makes that character literal, and what is
 * left may form masked links `[text](url)`, mentions `<@id>` `<@!id>` `<@&id>` `<#id>` `</cmd:id>`,
 * and `@everyone`/`@here` (a zero-width space breaks them).
 * @see https://discord.com/developers/docs/reference#message-formatting
 * @see https://support.discord.com/hc/en-us/articles/210298617 (Markdown Text 101: backslash escapes, masked links)
 */

const ESCAPED = /\\([^0-9A-Za-z\s])/g;
const LIVE = [/\[[^\]\n]*\]\(\s*<?https?:\/\/[^)\s]*>?\s*\)/g, /<@[!&]?\d+>/g, /<#\d+>/g, /<\/[^>:\n]+:\d+>/g, /@(?:everyone|here)/g];

/** The live markup Discord would render in `text` (escaped characters are replaced so they match nothing). */
export function liveMarkup(text: string): string[] {
  const masked = text.replace(ESCAPED, '\u0000');
  return LIVE.flatMap((re) => masked.match(re) ?? []);
}

/** The text as a member sees it: escapes removed, zero-width spaces dropped. */
export function shownText(text: string): string {
  return text.replace(ESCAPED, '$1').replace(/\u200b/g, '');
}
