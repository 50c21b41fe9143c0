import { optionalObject, requiredText } from '../action-params';
import { apiError } from '../api-error';
import { ERR } from '../error-catalog';
import type { FakeState } from '../fake-state';
import type { DecodedKs } from '../ks-codec';
import { applyPager } from '../list-query';
import type { Params } from '../request-params';
import { requireKs, type ActionContext, type ServiceDefinition } from '../service-definition';
import type { MediaEntry } from '../types';
import { listResponse } from '../wire-format';
import { filterEntries, orderEntries } from './media-filter';

/** media.get / media.list (§5.1, §7.12). */

export function findEntry(state: FakeState, entryId: string): MediaEntry {
  const entry = state.store.entries.get(entryId);
  if (!entry || entry.status === 3) throw apiError(ERR.ENTRY_ID_NOT_FOUND, entryId);
  return entry;
}

/**
 * A USER KS lists only that user's entries ([doc] in §5.1) unless it carries
 * `disableentitlement` or `list:*`; an ADMIN KS sees the whole partner.
 */
export function visibleEntries(state: FakeState, ks: DecodedKs): MediaEntry[] {
  const all = [...state.store.entries.values()];
  const seesAll = ks.type >= 2 || ks.privilegeMap.has('disableentitlement') || ks.privilegeMap.get('list') === '*';
  return seesAll ? all : all.filter((e) => e.userId === ks.userId);
}

function list(params: Params, ctx: ActionContext): Record<string, unknown> {
  const filter = optionalObject(params, 'filter');
  const matches = orderEntries(filterEntries(visibleEntries(ctx.state, requireKs(ctx)), filter), filter.orderBy);
  return listResponse('KalturaMediaListResponse', applyPager(matches, params.pager), matches.length);
}

export const mediaService: ServiceDefinition = {
  id: 'media',
  actions: [
    { name: 'get', auth: 'ks', run: (params, { state }) => findEntry(state, requiredText(params, 'entryId')) },
    { name: 'list', auth: 'ks', run: list },
  ],
};
