/**
 * The media service over the real Kaltura adapter talking to the wire-level fake Kaltura: a
 * server's search and share see only its category, a hidden recording stays hidden, another
 * server's entry gets no KS, and a watch link plays the real video once — over both storage engines.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createMediaService } from '../../../src/core/media/create-media-service';
import type { ChannelAccess } from '../../../src/core/ports/channel-access';
import type { GuildCategories } from '../../../src/core/ports/guild-categories';
import { createKaltura } from '../../../src/kaltura/create-kaltura';
import { startFakeKaltura } from '../../fakes/kaltura/index';
import { openTestStore, STORE_DRIVERS, type StoreDriver } from '../../helpers/stores';
import { useTempDirs } from '../../helpers/temp-dir';
import { configFor, createCapturingLogger, expectNoSecrets, FAST_RETRY } from '../kaltura/helpers';

const GUILD_A = '1200000000000000001';
const GUILD_B = '1200000000000000002';
const CAT = { [GUILD_A]: 61, [GUILD_B]: 62 } as Record<string, number>;
const OPEN = '1300000000000000001';
const STAFF_ONLY = '1300000000000000002';
const STAFF = '1400000000000000001';
const VIEW = 1n << 10n;
const ana = { id: '1500000000000000001', displayName: 'Ana', roleIds: [], permissions: 0n };
const bea = { id: '1500000000000000002', displayName: 'Bea', roleIds: [STAFF], permissions: 0n };

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const tempDir = useTempDirs();

async function setup(driver: StoreDriver) {
  const logger = createCapturingLogger();
  const fake = await startFakeKaltura();
  const kaltura = createKaltura({ config: configFor(fake), logger, retry: FAST_RETRY, cdnUrl: fake.url });
  const opened = await openTestStore(driver, { dir: tempDir() });
  cleanups.push(() => fake.close(), () => kaltura.close(), () => opened.close());
  const categories: GuildCategories = {
    categoryFor: (g) => Promise.resolve({ id: CAT[g]!, fullName: `kaltura-discord>${g}`, source: 'stored' }),
    describe: () => Promise.resolve(undefined),
    checkAssignable: () => Promise.resolve({ ok: false, reason: 'not-found' }),
  };
  const access: ChannelAccess = {
    permissionsIn: (g, c, m) => (g !== GUILD_A ? undefined : c === OPEN ? VIEW : c === STAFF_ONLY ? (m.roleIds.includes(STAFF) ? VIEW : 0n) : undefined),
  };
  const { store } = opened;
  const service = createMediaService({
    library: kaltura.media,
    categories,
    access,
    store,
    meetings: { listLive: async () => [], issueJoinLink: () => Promise.reject(new Error('not used')) },
    links: { secret: 'a-links-secret-of-at-least-32-characters', ttlMs: 5 * 60_000, publicUrl: 'https://bot.example' },
    clock: { now: () => Date.now() },
    logger,
  });
  const template = fake.addEntry({ name: 'Standup template', categoryIds: [CAT[GUILD_A]!], status: 7 }).id;
  const ids = {
    lecture: fake.addEntry({ name: 'Lecture one', categoryIds: [CAT[GUILD_A]!], video: true }).id,
    recording: fake.addEntry({ name: 'Lecture standup recording', categoryIds: [CAT[GUILD_A]!], video: true, rootEntryId: template }).id,
    elsewhere: fake.addEntry({ name: 'Lecture of server B', categoryIds: [CAT[GUILD_B]!], video: true }).id,
  };
  await store.meetings.insert({ id: 'm_staffstaffstaffs', guildId: GUILD_A, channelId: STAFF_ONLY, hostId: bea.id, hostName: 'Bea', kind: 'meeting', title: 'Standup', durationMinutes: 30, record: true, status: 'ended', createdAt: 1, templateEntryId: template, version: 0, cardVersion: 0 });
  return { fake, service, ids, logger };
}

describe.each(STORE_DRIVERS)('the video library over the fake Kaltura (%s)', (driver) => {
  it("searches only the server's category and hides the recording of a channel the member cannot see", async () => {
    const { service, ids } = await setup(driver);
    const forAna = await service.search(ana, GUILD_A, { query: 'lecture' });
    expect([forAna.entries.map((e) => e.id), forAna.totalCount]).toEqual([[ids.lecture], 1]);
    const forBea = await service.search(bea, GUILD_A, { query: 'lecture' });
    expect([forBea.entries.map((e) => e.id).sort(), forBea.totalCount]).toEqual([[ids.lecture, ids.recording].sort(), 2]);
  });

  it("refuses another server's entry and a hidden recording like unknown ones, and Kaltura is never asked to play them", async () => {
    const { fake, service, ids } = await setup(driver);
    for (const id of [ids.elsewhere, ids.recording, '0_nosuchid']) {
      await expect(service.issueWatchLink(ana, GUILD_A, id)).rejects.toMatchObject({ id: 'media.unknown' });
    }
    expect(fake.deliveries.filter((d) => d.route === 'playManifest')).toEqual([]);
  });

  it('plays the real video through a watch link once', async () => {
    const { fake, service, ids, logger } = await setup(driver);
    const { url } = await service.issueWatchLink(ana, GUILD_A, ids.lecture);
    const token = url.slice('https://bot.example/v/'.length);
    const { entry, playback } = await service.redeemWatchLink(token);
    expect(entry.id).toBe(ids.lecture);
    const res = await fetch(playback.sources[0]!.url, { headers: { range: 'bytes=0-99' }, signal: AbortSignal.timeout(5_000) });
    expect([res.status, res.headers.get('content-type')]).toEqual([206, 'video/mp4']);
    await res.arrayBuffer();
    await expect(service.redeemWatchLink(token)).rejects.toMatchObject({ name: 'WatchLinkError', reason: 'used' });
    expect(fake.deliveries.filter((d) => d.route === 'playManifest').map((d) => d.entryId)).toEqual([ids.lecture]);
    expectNoSecrets(logger.lines, [token]);
  });
});
