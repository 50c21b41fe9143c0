import { requiredObject } from '../action-params';
import { apiError } from '../api-error';
import { ERR } from '../error-catalog';
import { applyPager, sortByOrder, splitCsv, toText } from '../list-query';
import { isPlainObject, type Params } from '../request-params';
import type { ActionContext, ServiceDefinition } from '../service-definition';
import type { MediaEntry } from '../types';
import { evaluate, validateTree, type Highlight } from './esearch-item-match';
import { HIDDEN_MODERATION } from './media-filter';

/**
 * elasticsearch_esearch.searchEntry (§5.3, §7.13). Entitlement is not applied (every KS sees the
 * partner's entries); objectStatuses defaults to READY and, as in media.list, entries pending
 * moderation or rejected are hidden. Without an orderBy, results come newest
 * first, standing in for Elastic's relevance score.
 */

const SORT_FIELDS: Record<string, (e: MediaEntry) => number | string | undefined> = {
  created_at: (e) => e.createdAt,
  updated_at: (e) => e.updatedAt,
  name: (e) => e.name,
  plays: (e) => e.plays,
  views: (e) => e.views,
  last_played_at: (e) => e.lastPlayedAt,
};

function orderByText(params: Params): string {
  const orderBy = isPlainObject(params.orderBy) ? params.orderBy : {};
  const items = Array.isArray(orderBy.orderItems) ? orderBy.orderItems.filter(isPlainObject) : [];
  const clauses = items.map((i) => `${toText(i.sortOrder) === 'asc' ? '+' : '-'}${toText(i.sortField) ?? ''}`);
  return clauses.length > 0 ? clauses.join(',') : '-created_at';
}

function searchEntry(params: Params, { state }: ActionContext): Record<string, unknown> {
  if (!state.esearch) throw apiError(ERR.SERVICE_FORBIDDEN, 'elasticsearch_esearch->searchEntry');
  const searchParams = requiredObject(params, 'searchParams');
  const operator = isPlainObject(searchParams.searchOperator) ? searchParams.searchOperator : undefined;
  const statuses = splitCsv(searchParams.objectStatuses).map(Number);
  const allowedStatuses = statuses.length > 0 ? statuses : [2];
  const ids = [...splitCsv(searchParams.objectId), ...splitCsv(searchParams.objectIds)];
  if (operator) validateTree(operator);
  const hits: Array<{ entry: MediaEntry; highlights: Highlight[] }> = [];
  for (const entry of state.store.entries.values()) {
    if (!allowedStatuses.includes(entry.status) || HIDDEN_MODERATION.includes(entry.moderationStatus)) continue;
    if (ids.length > 0 && !ids.includes(entry.id)) continue;
    const outcome = operator ? evaluate(operator, entry, state.store.categories) : { ok: true, highlights: [] };
    if (outcome.ok) hits.push({ entry, highlights: outcome.highlights });
  }
  const sorted = sortByOrder(hits, orderByText(searchParams), Object.fromEntries(
    Object.entries(SORT_FIELDS).map(([name, read]) => [name, (hit: { entry: MediaEntry }) => read(hit.entry)]),
  ));
  const objects = applyPager(sorted, params.pager).map(({ entry, highlights }) => ({
    object: entry,
    ...(highlights.length > 0 ? { highlight: highlights } : {}),
    itemsData: [],
    objectType: 'KalturaESearchEntryResult',
  }));
  return { totalCount: hits.length, objects, objectType: 'KalturaESearchEntryResponse' };
}

export const esearchService: ServiceDefinition = {
  id: 'elasticsearch_esearch',
  actions: [{ name: 'searchEntry', auth: 'ks', run: searchEntry }],
};
