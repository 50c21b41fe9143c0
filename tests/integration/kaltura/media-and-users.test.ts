import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { KalturaConfig } from '../../../src/config/config-types';
import { createKaltura, type Kaltura } from '../../../src/kaltura/create-kaltura';
import { KalturaAPIError } from '../../../src/kaltura/errors';
import { startFakeKaltura, type FakeKaltura } from '../../fakes/kaltura/index';
import { catchError, configFor, countCalls, createCapturingLogger, expectNoSecrets, FAST_RETRY } from './helpers';

const logger = createCapturingLogger();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(() => expectNoSecrets(logger.lines, ['abcdef0123456789abcdef0123456789']));

async function setup(fakeOpts: { esearch?: boolean } = {}, config: Partial<KalturaConfig> = {}, cdnUrl?: string) {
  const fake: FakeKaltura = await startFakeKaltura(fakeOpts);
  const kaltura: Kaltura = createKaltura({ config: configFor(fake, config), logger, retry: FAST_RETRY, ...(cdnUrl && { cdnUrl }) });
  cleanups.push(() => fake.close(), () => kaltura.close());
  return { fake, kaltura };
}

describe('media search', () => {
  it('uses eSearch when the account has it', async () => {
    const { fake, kaltura } = await setup({ esearch: true });
    const hit = fake.addEntry({ name: 'Intro lecture', description: 'week 1', duration: 600, userId: 'discord_1' });
    fake.addEntry({ name: 'Other talk' });
    fake.addEntry({ name: 'Lecture draft', status: 4 });
    const res = await kaltura.media.search({ query: 'lecture' });
    expect(res.via).toBe('esearch');
    expect(res.entries.map((e) => e.id)).toEqual([hit.id]);
    expect(res.entries[0]).toMatchObject({ name: 'Intro lecture', durationSeconds: 600, ownerId: 'discord_1', ready: true });
    expect(countCalls(fake, 'elasticsearch_esearch', 'searchEntry')).toBe(1);
    expect(countCalls(fake, 'media', 'list')).toBe(0);
  });

  it('on auto, falls back to media.list with freeText when eSearch is forbidden, and remembers', async () => {
    const { fake, kaltura } = await setup({ esearch: false });
    const hit = fake.addEntry({ name: 'Intro lecture' });
    fake.addEntry({ name: 'Other' });
    const first = await kaltura.media.search({ query: 'lecture', limit: 5 });
    const second = await kaltura.media.search({ query: 'lecture' });
    for (const r of [first, second]) {
      expect(r.via).toBe('list');
      expect(r.entries.map((e) => e.id)).toEqual([hit.id]);
    }
    expect(countCalls(fake, 'elasticsearch_esearch', 'searchEntry')).toBe(1);
    const list = fake.requests.find((r) => r.service === 'media' && r.action === 'list')!;
    expect(list.params.filter).toMatchObject({ freeText: 'lecture', statusEqual: '2' });
    expect(list.params.pager).toMatchObject({ pageSize: 5, pageIndex: 1 });
    expect(logger.lines.some((l) => l.includes('eSearch is not available'))).toBe(true);
  });

  it('with search: esearch, reports a forbidden eSearch instead of falling back', async () => {
    const { fake, kaltura } = await setup({ esearch: false }, { search: 'esearch' });
    const err = await catchError(kaltura.media.search({ query: 'x' }));
    expect(err).toBeInstanceOf(KalturaAPIError);
    expect(err).toMatchObject({ code: 'SERVICE_FORBIDDEN', service: 'eSearch', action: 'searchEntry' });
    expect(countCalls(fake, 'media', 'list')).toBe(0);
  });

  it('with search: list, never calls eSearch', async () => {
    const { fake, kaltura } = await setup({ esearch: true }, { search: 'list' });
    fake.addEntry({ name: 'Intro lecture' });
    expect((await kaltura.media.search({ query: 'lecture' })).via).toBe('list');
    expect(countCalls(fake, 'elasticsearch_esearch', 'searchEntry')).toBe(0);
  });
});

describe('media entries and URLs', () => {
  it('gets an entry and builds v7 embed, thumbnail and watch URLs on the given CDN', async () => {
    const { fake, kaltura } = await setup({}, { playerUiConfId: 4711 }, 'http://cdn.test');
    const e = fake.addEntry({ name: 'Talk', duration: 42 });
    const got = await kaltura.media.getEntry(e.id);
    expect(got).toMatchObject({ id: e.id, name: 'Talk', durationSeconds: 42, ready: true });
    expect(got!.embedUrl).toBe(`http://cdn.test/p/${fake.partnerId}/embedPlaykitJs/uiconf_id/4711?iframeembed=true&entry_id=${e.id}`);
    expect(got!.watchUrl).toBe(got!.embedUrl);
    expect(got!.thumbnailUrl).toBe(`http://cdn.test/p/${fake.partnerId}/thumbnail/entry_id/${e.id}`);
  });

  it('returns undefined for a missing entry (ENTRY_ID_NOT_FOUND) and for ids that are not entry ids', async () => {
    const { fake, kaltura } = await setup();
    expect(await kaltura.media.getEntry('0_missing1')).toBeUndefined();
    expect(fake.requests.at(-1)?.errorCode).toBe('ENTRY_ID_NOT_FOUND');
    const before = fake.requests.length;
    expect(await kaltura.media.getEntry('../../etc')).toBeUndefined();
    expect(fake.requests.length).toBe(before);
  });
});

describe('user upsert', () => {
  const member = { discordId: '80351110224678912', displayName: 'Ana Lee https://spam.example', username: 'ana', avatarUrl: 'https://cdn.discordapp.com/avatars/1/a.png' };

  it('adds a new member as discord_<snowflake> with names cleaned of URLs', async () => {
    const { fake, kaltura } = await setup();
    expect(await kaltura.members.upsertMember(member)).toEqual({ userId: 'discord_80351110224678912', created: true });
    expect(fake.store.users.get('discord_80351110224678912')).toMatchObject({ screenName: 'ana', firstName: 'Ana', lastName: 'Lee', thumbnailUrl: member.avatarUrl });
  });

  it('updates an existing member (DUPLICATE_USER_BY_ID → update)', async () => {
    const { fake, kaltura } = await setup();
    await kaltura.members.upsertMember(member);
    expect(await kaltura.members.upsertMember({ ...member, displayName: 'Ana Maria Lee', avatarUrl: 'javascript:alert(1)' })).toEqual({ userId: 'discord_80351110224678912', created: false });
    expect(fake.store.users.get('discord_80351110224678912')).toMatchObject({ firstName: 'Ana', lastName: 'Maria Lee', thumbnailUrl: member.avatarUrl });
    expect(fake.requests.filter((r) => r.service === 'user').map((r) => `${r.action}:${r.errorCode ?? 'ok'}`)).toEqual(['add:ok', 'add:DUPLICATE_USER_BY_ID', 'update:ok']);
  });

  it('handles concurrent upserts of the same new member', async () => {
    const { fake, kaltura } = await setup();
    const results = await Promise.all([1, 2, 3].map(() => kaltura.members.upsertMember(member)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(fake.store.users.size).toBe(1);
  });

  it('adds again when the user disappears between add and update (INVALID_USER_ID)', async () => {
    const { fake, kaltura } = await setup();
    await kaltura.members.upsertMember(member);
    // the fake records a call before running it: delete the user as the update comes in
    const realPush = fake.requests.push.bind(fake.requests);
    let deleted = false;
    fake.requests.push = (...items) => {
      for (const item of items) {
        if (item.service === 'user' && item.action === 'update' && !deleted) {
          deleted = true;
          fake.store.users.delete('discord_80351110224678912');
        }
      }
      return realPush(...items);
    };
    const res = await kaltura.members.upsertMember(member);
    fake.requests.push = realPush;
    expect(res).toEqual({ userId: 'discord_80351110224678912', created: true });
    expect(fake.requests.filter((r) => r.service === 'user').slice(1).map((r) => `${r.action}:${r.errorCode ?? 'ok'}`)).toEqual(['add:DUPLICATE_USER_BY_ID', 'update:INVALID_USER_ID', 'add:ok']);
  });

  it('refuses an id that is not a snowflake', async () => {
    const { kaltura } = await setup();
    await expect(kaltura.members.upsertMember({ discordId: 'x,y', displayName: 'x' })).rejects.toThrow(RangeError);
  });
});
