import { readFileSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { KalturaConfig } from '../../../src/config/config-types';
import { createKaltura, type Kaltura } from '../../../src/kaltura/create-kaltura';
import { KalturaTransportError } from '../../../src/kaltura/errors';
import { decodeKs, FIXTURE_VIDEO, startFakeKaltura, type AppTokenSeed, type FakeKaltura } from '../../fakes/kaltura/index';
import { catchError, configFor, createCapturingLogger, errorText, expectNoSecrets, FAST_RETRY } from './helpers';

/** A member's playback: a KS good for one entry only, for a while, and a URL a browser can play. */

const logger = createCapturingLogger();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(() => expectNoSecrets(logger.lines, ['abcdef0123456789abcdef0123456789']));

const CAT = 41;
const VIDEO = readFileSync(FIXTURE_VIDEO);
const USER = 'discord_80351110224678912';

async function setup(opts: { appToken?: AppTokenSeed } = {}) {
  const clock = { nowS: 1_900_000_000 };
  const fake: FakeKaltura = await startFakeKaltura({ now: () => clock.nowS, ...(opts.appToken && { appTokens: [opts.appToken] }) });
  const base = configFor(fake);
  const config: KalturaConfig = opts.appToken
    ? { ...base, adminSecret: undefined, appToken: { id: opts.appToken.id, token: opts.appToken.token, hashType: 'SHA1' } }
    : base;
  const kaltura: Kaltura = createKaltura({ config, logger, retry: FAST_RETRY, cdnUrl: fake.url, clock: { now: () => clock.nowS * 1000 } });
  cleanups.push(() => fake.close(), () => kaltura.close());
  const video = fake.addEntry({ name: 'Talk', categoryIds: [CAT], video: true }).id;
  const other = fake.addEntry({ name: 'Other talk', categoryIds: [CAT], video: true }).id;
  return { fake, kaltura, clock, video, other };
}

const manifestUrl = (fake: FakeKaltura, entryId: string, ks: string) =>
  `${fake.url}/p/${fake.partnerId}/sp/${fake.partnerId}00/playManifest/entryId/${entryId}/format/url/protocol/http/ks/${ks}/a.mp4`;

describe('playback', () => {
  it('returns the final flavor URL (redirect followed), playable with ranges, a poster and the KS expiry', async () => {
    const { fake, kaltura, clock, video } = await setup();
    const playback = await kaltura.media.playback(video, { userId: USER, ttlSeconds: 900 });
    expect(playback.entryId).toBe(video);
    expect(playback.expiresAt.getTime()).toBe((clock.nowS + 900) * 1000);
    expect(playback.sources).toHaveLength(1);
    const [source] = playback.sources;
    expect(source!.mimeType).toBe('video/mp4');
    expect(source!.url.startsWith(`${fake.url}/p/${fake.partnerId}/sp/${fake.partnerId}00/serveFlavor/entryId/${video}/`)).toBe(true);
    expect(fake.deliveries.map((d) => [d.route, d.status])).toEqual([['playManifest', 302], ['serveFlavor', 206]]);

    const seek = await fetch(source!.url, { headers: { Range: 'bytes=500000-500099' } });
    expect([seek.status, seek.headers.get('content-type')]).toEqual([206, 'video/mp4']);
    expect(Buffer.from(await seek.arrayBuffer()).equals(VIDEO.subarray(500000, 500100))).toBe(true);

    expect(playback.posterUrl).toBe(`${fake.url}/p/${fake.partnerId}/thumbnail/entry_id/${video}/width/640/ks/${fake.deliveries[0]!.ksString}`);
    expect((await fetch(playback.posterUrl)).headers.get('content-type')).toBe('image/jpeg');
    expect(fake.deliveries.at(-1)).toMatchObject({ route: 'thumbnail', status: 200, ks: { userId: USER } });
  });

  it('issues a USER KS for that member that views that one entry only, with the playback-only role', async () => {
    const { fake, kaltura, video, other } = await setup();
    await kaltura.media.playback(video, { userId: USER, ttlSeconds: 900 });
    const sent = fake.deliveries[0]!;
    const decoded = decodeKs(sent.ksString!, fake.adminSecret);
    expect(decoded.ok && decoded.ks).toMatchObject({ type: 0, userId: USER, partnerId: fake.partnerId });
    expect(sent.ks!.privileges).toEqual({ sview: video, disableentitlementforentry: video, setrole: 'PLAYBACK_BASE_ROLE' });

    const replay = await fetch(manifestUrl(fake, other, sent.ksString!), { redirect: 'manual' });
    expect([replay.status, replay.headers.get('x-kaltura')]).toEqual([404, 'error-3']);
    const same = await fetch(manifestUrl(fake, video, sent.ksString!), { redirect: 'manual' });
    expect(same.status).toBe(302);
  });

  it('stops working when the KS expires', async () => {
    const { fake, kaltura, clock, video } = await setup();
    const playback = await kaltura.media.playback(video, { userId: USER, ttlSeconds: 120 });
    const ks = fake.deliveries[0]!.ksString!;
    clock.nowS += 121;
    const manifest = await fetch(manifestUrl(fake, video, ks), { redirect: 'manual' });
    expect([manifest.status, manifest.headers.get('x-kaltura')]).toEqual([404, 'error-7']);
    const flavor = await fetch(playback.sources[0]!.url, { headers: { Range: 'bytes=0-0' } });
    expect([flavor.status, flavor.headers.get('x-kaltura')]).toEqual([404, 'error-7']);
    // a new playback works again
    expect((await kaltura.media.playback(video, { userId: USER, ttlSeconds: 120 })).sources).toHaveLength(1);
  });

  it('reports a refusal as an upstream error that names Kaltura’s reason and never the KS or URL', async () => {
    const { fake, kaltura } = await setup();
    const image = fake.addEntry({ name: 'Slides', categoryIds: [CAT], mediaType: 2, video: true }).id;
    const err = await catchError(kaltura.media.playback(image, { userId: USER, ttlSeconds: 900 }));
    expect(err).toBeInstanceOf(KalturaTransportError);
    expect(err).toMatchObject({ failure: 'http', status: 404, service: 'playManifest', retryable: false });
    expect((err as Error).message).toContain('error-12');
    expectNoSecrets([errorText(err)], [fake.adminSecret]);
    expect(errorText(err)).not.toContain('/ks/');
  });

  it('refuses bad input before minting anything', async () => {
    const { fake, kaltura, video } = await setup();
    const bad: Array<[string, { userId: string; ttlSeconds: number }]> = [
      ['1_../x', { userId: USER, ttlSeconds: 900 }],
      [video, { userId: '', ttlSeconds: 900 }],
      [video, { userId: 'discord_1,setrole:adminRole', ttlSeconds: 900 }],
      [video, { userId: USER, ttlSeconds: 0 }],
      [video, { userId: USER, ttlSeconds: 90.5 }],
      [video, { userId: USER, ttlSeconds: 86_401 }],
    ];
    for (const [entryId, options] of bad) await expect(kaltura.media.playback(entryId, options)).rejects.toThrow(RangeError);
    expect(fake.deliveries).toEqual([]);
  });

  it('gives up when the adapter closes while the CDN does not answer', async () => {
    const { fake, kaltura, video } = await setup();
    fake.inject({ kind: 'hang' }, { service: 'playManifest' });
    const pending = catchError(kaltura.media.playback(video, { userId: USER, ttlSeconds: 900 }));
    // close once the request hangs in the fake (bounded: the resolution itself gives up after 3 s)
    while (fake.deliveries.length === 0) await new Promise((r) => setTimeout(r, 5));
    expect(fake.deliveries[0]).toMatchObject({ route: 'playManifest', entryId: video, fault: 'hang' });
    await kaltura.close();
    expect(await pending).toMatchObject({ name: 'KalturaTransportError', failure: 'network', retryable: false });
  });
});

describe('playback with an app token', () => {
  it('narrows a token’s sview:* to the entry (kSessionUtils::retrieveAllowedAppSessionPrivileges)', async () => {
    const { fake, kaltura, video } = await setup({ appToken: { id: '0_tok1', token: 'a'.repeat(32), sessionPrivileges: 'sview:*' } });
    const playback = await kaltura.media.playback(video, { userId: USER, ttlSeconds: 900 });
    expect(playback.sources[0]!.url).toContain(`/serveFlavor/entryId/${video}/`);
    expect(fake.deliveries[0]!.ks).toMatchObject({ type: 0, userId: USER, privileges: expect.objectContaining({ sview: video }) });
  });

  it('fails visibly when the token cannot grant sview', async () => {
    const { kaltura, video } = await setup({ appToken: { id: '0_tok2', token: 'b'.repeat(32) } });
    expect(await catchError(kaltura.media.playback(video, { userId: USER, ttlSeconds: 900 }))).toMatchObject({ failure: 'http', status: 404 });
  });
});
