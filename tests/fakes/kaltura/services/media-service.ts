import { optionalObject, requiredObject, requiredText, writableFields } from '../action-params';
import { apiError } from '../api-error';
import { ERR } from '../error-catalog';
import type { FakeState } from '../fake-state';
import type { DecodedKs } from '../ks-codec';
import { applyPager, splitCsv, toText } from '../list-query';
import { copiedFromTemplate, createMediaEntry } from '../media-entries';
import type { Params } from '../request-params';
import { requireKs, type ActionContext, type ServiceDefinition } from '../service-definition';
import type { MediaEntry } from '../types';
import { listResponse } from '../wire-format';
import { findCategory } from './category-service';
import { filterEntries, isMediaType, orderEntries } from './media-filter';

/** media.add / get / list / delete (§5.1, §7.12; kaltura/server api_v3/services/MediaService.php). */

export function findEntry(state: FakeState, entryId: string): MediaEntry {
  const entry = state.store.entries.get(entryId);
  if (!entry || entry.status === 3) throw apiError(ERR.ENTRY_ID_NOT_FOUND, entryId);
  return entry;
}

/** media.get: a playlist or room is not a media entry (MediaService::getAction → ENTRY_ID_NOT_FOUND). */
function findMediaEntry(state: FakeState, entryId: string): MediaEntry {
  const entry = findEntry(state, entryId);
  if (!isMediaType(entry)) throw apiError(ERR.ENTRY_ID_NOT_FOUND, entryId);
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

/** KalturaMediaEntry fields the caller cannot set (@readonly in KalturaBaseEntry / KalturaPlayableEntry / KalturaMediaEntry). */
const READ_ONLY = ['id', 'partnerId', 'status', 'moderationStatus', 'createdAt', 'updatedAt', 'rootEntryId', 'thumbnailUrl', 'downloadUrl',
  'plays', 'views', 'lastPlayedAt', 'duration', 'msDuration', 'width', 'height', 'creatorId', 'categories'];

/**
 * media.add: KalturaBaseEntry::validateCategories (every categoriesIds item must exist, else
 * CATEGORY_NOT_FOUND), then KalturaEntryService::add: a `templateEntryId` is read without
 * entitlement or status filter (retrieveByPKNoFilter) and copied with entry::copyTemplate; the
 * given fields then override the copied ones (prepareEntryForInsert). A new entry has no content:
 * status NO_CONTENT (7), so default lists (READY only) do not show it. The owner is the given
 * userId, else the template's, else the KS user. An unknown templateEntryId copies nothing.
 */
function add(params: Params, ctx: ActionContext): MediaEntry {
  const { state } = ctx;
  const input = requiredObject(params, 'entry');
  const categoryIds = splitCsv(input.categoriesIds);
  const categories = categoryIds.map((id) => findCategory(state, Number(id)).fullName);
  const templateId = toText(input.templateEntryId);
  const template = templateId === undefined ? undefined : state.store.entries.get(templateId);
  const ksUser = requireKs(ctx).userId;
  const fields = writableFields(input, READ_ONLY) as Partial<MediaEntry>;
  return createMediaEntry(state, {
    ...(ksUser !== '' ? { userId: ksUser } : {}),
    ...(template ? copiedFromTemplate(template) : {}),
    ...fields,
    ...(categoryIds.length > 0 ? { categoriesIds: categoryIds.join(','), categories: categories.join(',') } : {}),
    name: toText(input.name) ?? (template?.name ?? ''),
    status: 7,
    mediaType: Number(input.mediaType ?? 1),
  });
}

/**
 * media.delete → myEntryUtils::deleteEntry (alpha/apps/kaltura/lib/myEntryUtils.class.php): only
 * this entry becomes DELETED (3); entries created from it (templateEntryId / rootEntryId) are not
 * touched (kObjectDeleteHandler::entryDeleted removes the entry's own assets, category and user
 * entries; only a live stream's recorded VOD is deleted with it). A deleted entry is not found.
 */
function remove(params: Params, { state }: ActionContext): undefined {
  const entry = findEntry(state, requiredText(params, 'entryId'));
  entry.status = 3;
  entry.updatedAt = state.now();
  return undefined;
}

export const mediaService: ServiceDefinition = {
  id: 'media',
  actions: [
    { name: 'add', auth: 'ks', run: add },
    { name: 'get', auth: 'ks', run: (params, { state }) => findMediaEntry(state, requiredText(params, 'entryId')) },
    { name: 'list', auth: 'ks', run: list },
    { name: 'delete', auth: 'ks', run: remove },
  ],
};
