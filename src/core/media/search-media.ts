/**
 * Searching the server's library: `/kaltura search`, the `entry` autocomplete of `/kaltura share`
 * and the Activity's library view. The library is asked for its first `SCAN_LIMIT` matches and
 * only what the member may see is kept, so neither the list nor the count reveals a hidden one.
 */
import type { Actor } from '../meetings/actor';
import type { MediaEntry } from '../ports/media-library';
import { UserError } from '../user-error';
import { within } from './bounded-wait';
import type { MediaSearchAnswer } from './media-service';
import type { MediaContext } from './media-service-deps';
import { categoryIdFor, isListable } from './scoped-media';

/** The most matches looked at per search (Kaltura's page size is at most 500; 50 keeps answers quick). */
export const SCAN_LIMIT = 50;
export const MAX_QUERY_LENGTH = 100;
export const DEFAULT_LIMIT = 10;
/** Discord shows at most 25 autocomplete choices, each name 1..100 characters. */
const MAX_CHOICES = 25;
const MAX_CHOICE_NAME = 100;

function checkedQuery(query: unknown): string {
  if (typeof query !== 'string') throw new UserError('media.query', 'The search text is missing.');
  const trimmed = query.trim();
  if ([...trimmed].length > MAX_QUERY_LENGTH) throw new UserError('media.query', `The search text is longer than ${MAX_QUERY_LENGTH} characters.`);
  return trimmed;
}

function checkedLimit(limit: unknown): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > SCAN_LIMIT) {
    throw new UserError('media.limit', `The number of results must be a whole number from 1 to ${SCAN_LIMIT}.`);
  }
  return limit;
}

async function visibleMatches(ctx: MediaContext, actor: Actor, guildId: string, query: string, waitMs: number): Promise<MediaEntry[]> {
  const categoryId = await within(ctx.categories.categoryFor(guildId), waitMs, 'kaltura').then((c) => c.id);
  const result = await within(ctx.library.searchCategory({ categoryId, query, limit: SCAN_LIMIT }), waitMs, 'kaltura');
  // One read transaction for up to 50 lookups instead of one each (no network inside: visibility is the gateway cache).
  return ctx.store.transaction(async (tx) => {
    const visible: MediaEntry[] = [];
    for (const e of result.entries.slice(0, SCAN_LIMIT)) if (await isListable(ctx, actor, guildId, categoryId, e, { meetings: tx.meetings })) visible.push(e);
    return visible;
  });
}

export async function searchMedia(ctx: MediaContext, actor: Actor, guildId: string, input: { readonly query: string; readonly limit?: number }): Promise<MediaSearchAnswer> {
  const query = checkedQuery(input?.query);
  const limit = checkedLimit(input?.limit);
  const visible = await visibleMatches(ctx, actor, guildId, query, ctx.waitMs);
  return { entries: visible.slice(0, limit), totalCount: visible.length };
}

const truncate = (text: string, max: number): string => {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
};

/** Never throws: a slow or failing library gives no choices (and a log line), since Discord cannot show an error there. */
export async function autocompleteMedia(ctx: MediaContext, actor: Actor, guildId: string, typed: string): Promise<readonly { name: string; value: string }[]> {
  try {
    const query = typeof typed === 'string' ? [...typed.trim()].slice(0, MAX_QUERY_LENGTH).join('') : '';
    const visible = await visibleMatches(ctx, actor, guildId, query, ctx.autocompleteWaitMs);
    return visible.slice(0, MAX_CHOICES).map((e) => ({ name: truncate(e.name.trim() || e.id, MAX_CHOICE_NAME), value: e.id }));
  } catch (err) {
    ctx.logger.warn({ err, guildId }, 'video autocomplete gave no choices: the library did not answer');
    return [];
  }
}
