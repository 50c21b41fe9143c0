import { optionalObject, optionalText, requiredObject, requiredText, writableFields } from '../action-params';
import { apiError } from '../api-error';
import { ERR } from '../error-catalog';
import type { FakeState } from '../fake-state';
import { applyPager, likeMatch, splitCsv, toNumber, toText } from '../list-query';
import type { Params } from '../request-params';
import { requireKs, type ActionContext, type ServiceDefinition } from '../service-definition';
import type { UserRecord } from '../types';
import { listResponse } from '../wire-format';

/** user.add/get/update/delete/list (§6). Status: 0 BLOCKED, 1 ACTIVE, 2 DELETED (deleted users are gone). */

const ID_PATTERN = /^[A-Za-z0-9,!#$%&'*+?^_`{|}~.@-]{1,320}$/;
const EMAIL_PATTERN = /^[\w.+-]+@([\w-]+\.)+[A-Za-z]{2,}$/;
const NAME_FIELDS = ['firstName', 'lastName', 'fullName', 'screenName'] as const;
const READ_ONLY = ['partnerId', 'createdAt', 'updatedAt', 'lastLoginTime', 'roleNames', 'storageSize', 'statusUpdatedAt', 'deletedAt'];

function findUser(state: FakeState, id: string | undefined): UserRecord {
  const user = id === undefined ? undefined : state.store.users.get(id);
  if (!user || user.status === 2) throw apiError(ERR.INVALID_USER_ID);
  return user;
}

function validate(input: Params): void {
  const id = toText(input.id);
  if (id !== undefined && !ID_PATTERN.test(id)) throw apiError(ERR.INVALID_FIELD_VALUE, 'id');
  for (const field of NAME_FIELDS) {
    if (toText(input[field])?.includes('://')) throw apiError(ERR.INVALID_FIELD_VALUE, field);
  }
  const email = toText(input.email);
  if (email !== undefined && email !== '' && !EMAIL_PATTERN.test(email)) throw apiError(ERR.INVALID_FIELD_VALUE, 'email');
}

/** Sending only fullName sets first/last name (split at the first space); screenName keeps 127 characters. */
function normalizeNames(fields: Params): Params {
  const out = { ...fields };
  const full = toText(out.fullName);
  if (full !== undefined && out.firstName === undefined && out.lastName === undefined) {
    const [first = '', ...rest] = full.trim().split(' ');
    out.firstName = first;
    out.lastName = rest.join(' ');
  }
  delete out.fullName;
  const screen = toText(out.screenName);
  if (screen !== undefined) out.screenName = Array.from(screen).slice(0, 127).join('');
  return out;
}

/** KalturaUser on the wire, User fields first, fullName computed on read. */
function present(user: UserRecord): UserRecord {
  const { firstName, lastName, id, partnerId, screenName, email, status, createdAt, updatedAt, objectType, ...rest } = user;
  const fullName = [firstName, lastName].filter((p) => p !== undefined && p !== '').join(' ').trim();
  return { type: 0, isAdmin: false, ...rest, firstName, lastName, id, partnerId, screenName, fullName, email, status, createdAt, updatedAt, objectType };
}

function add(params: Params, { state }: ActionContext): UserRecord {
  const input = requiredObject(params, 'user');
  const id = toText(input.id);
  if (id !== undefined && input.externalId !== undefined) throw apiError(ERR.ID_AND_EXTERNAL_ID_ARE_MUTUALLY_EXCLUSIVE);
  if (id === undefined) throw apiError(ERR.PROPERTY_VALIDATION_CANNOT_BE_NULL, 'KalturaUser::id');
  validate(input);
  const existing = state.store.users.get(id);
  if (existing && existing.status !== 2) throw apiError(ERR.DUPLICATE_USER_BY_ID, id);
  const now = state.now();
  const user: UserRecord = {
    screenName: id,
    ...normalizeNames(writableFields(input, READ_ONLY)),
    id,
    partnerId: state.partnerId,
    status: toNumber(input.status) ?? 1,
    createdAt: now,
    updatedAt: now,
    objectType: 'KalturaUser',
  };
  state.store.users.set(id, user);
  return present(user);
}

/** A USER KS may read only its own user (§6.2). */
function get(params: Params, ctx: ActionContext): UserRecord {
  const ks = requireKs(ctx);
  const userId = optionalText(params, 'userId') ?? ks.userId;
  if (ks.type < 2 && userId !== ks.userId) throw apiError(ERR.CANNOT_RETRIEVE_ANOTHER_USER_USING_NON_ADMIN_SESSION, userId);
  return present(findUser(ctx.state, userId === '' ? undefined : userId));
}

function update(params: Params, { state }: ActionContext): UserRecord {
  const current = findUser(state, requiredText(params, 'userId'));
  const input = requiredObject(params, 'user');
  validate(input);
  const newId = toText(input.id);
  if (newId !== undefined && newId !== current.id) {
    const taken = state.store.users.get(newId);
    if (taken && taken.status !== 2) throw apiError(ERR.DUPLICATE_USER_BY_ID, newId);
    state.store.users.delete(current.id);
  }
  const user: UserRecord = { ...current, ...normalizeNames(writableFields(input, [...READ_ONLY, 'externalId', 'loginEnabled'])), updatedAt: state.now() };
  state.store.users.set(user.id, user);
  return present(user);
}

function remove(params: Params, { state }: ActionContext): UserRecord {
  const user = findUser(state, requiredText(params, 'userId'));
  user.status = 2;
  user.updatedAt = state.now();
  return present(user);
}

function list(params: Params, { state }: ActionContext): Record<string, unknown> {
  const f = optionalObject(params, 'filter');
  const ids = splitCsv(f.idIn);
  const statusFiltered = f.statusEqual !== undefined || f.statusIn !== undefined;
  const statuses = splitCsv(f.statusIn).map(Number);
  const matches = [...state.store.users.values()].filter(
    (u) =>
      (statusFiltered || u.status !== 2) &&
      (f.idEqual === undefined || u.id === toText(f.idEqual)) &&
      (ids.length === 0 || ids.includes(u.id)) &&
      (f.statusEqual === undefined || u.status === toNumber(f.statusEqual)) &&
      (statuses.length === 0 || statuses.includes(u.status)) &&
      (f.screenNameLike === undefined || likeMatch(u.screenName, toText(f.screenNameLike) ?? '')) &&
      (f.emailLike === undefined || likeMatch(u.email, toText(f.emailLike) ?? '')) &&
      (f.firstNameStartsWith === undefined || (u.firstName ?? '').startsWith(toText(f.firstNameStartsWith) ?? '')),
  );
  return listResponse('KalturaUserListResponse', applyPager(matches.map(present), params.pager), matches.length);
}

export const userService: ServiceDefinition = {
  id: 'user',
  actions: [
    { name: 'add', auth: 'admin', run: add },
    { name: 'get', auth: 'ks', run: get },
    { name: 'update', auth: 'admin', run: update },
    { name: 'delete', auth: 'admin', run: remove },
    { name: 'list', auth: 'admin', run: list },
  ],
};
