/**
 * Watch together as members live it: Watch together in Discord (LAUNCH_ACTIVITY) → the Activity in
 * the fake Discord client (headless Debian Chromium) opens on the chosen video, lists only this
 * server's library, and three members stay in sync through play, seek, rate and pause. The bounds
 * here are generous behaviour checks (half a second); the accuracy numbers are the benchmark's
 * (bench/watch-sync-bench.ts, docs/benchmarks.md). Last: what never gets a KS.
 */
import { SignJWT, decodeJwt } from 'jose';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useChromium } from '../helpers/chromium';
import { useTempDirs } from '../helpers/temp-dir';
import { openActivity, OTHER, outsider, screenshotForDocs, startActivityHarness, untilState, type ActivityHarness, type OpenedActivity } from './activity-harness';
import { IDS, members } from './meeting-harness';
import { expectInSync } from './sync-spread';

const tempDirs = useTempDirs();
const browser = useChromium();
describe('Watch together, end to end in headless Chromium', () => {
  let a: ActivityHarness;
  let instanceId: string;
  let launchType: number;
  const opened: OpenedActivity[] = [];

  beforeAll(async () => {
    a = await startActivityHarness(tempDirs());
    ({ callbackType: launchType, instanceId } = await a.watchTogether(members.student, a.entries.waves.id));
  }, 120_000);

  afterAll(async () => {
    for (const p of opened) await p.page.close().catch(() => undefined);
    await a?.close();
  }, 30_000);

  async function open(userId: string): Promise<OpenedActivity> {
    const p = await openActivity(await browser(), a.proxy, userId, instanceId);
    opened.push(p);
    return p;
  }

  it('Watch together answers LAUNCH_ACTIVITY and the Activity opens on the chosen video; its library lists only this server’s videos', async () => {
    expect(launchType).toBe(12);
    const sofia = await open(IDS.student);
    await untilState(sofia.activity, (s) => s.entryId === a.entries.waves.id && s.host && s.connection === 'open', 'the launcher hosts the chosen video');
    await sofia.activity.locator('#player-title', { hasText: 'Ocean waves, week 1' }).waitFor({ timeout: 10_000 });

    // The library: this server's two videos, not its image, not the other server's video — not even in the count.
    await sofia.activity.locator('#tab-library').click();
    const listed = sofia.page.waitForResponse((r) => new URL(r.url()).pathname === '/api/library' && !new URL(r.url()).searchParams.get('q'), { timeout: 15_000 });
    await sofia.activity.locator('#library-search').press('Enter'); // the whole library (it was also listed when the Activity opened)
    const answer = (await (await listed).json()) as { entries: { id: string }[]; totalCount: number };
    expect(answer.entries.map((e) => e.id).sort()).toEqual([a.entries.waves.id, a.entries.tides.id].sort());
    expect(answer.totalCount).toBe(2);
    const tiles = sofia.activity.locator('#library-results button[data-entry-id]');
    await tiles.nth(1).waitFor({ timeout: 10_000 });
    expect((await tiles.evaluateAll((els) => els.map((e) => e.getAttribute('data-entry-id')))).sort()).toEqual([a.entries.waves.id, a.entries.tides.id].sort());
    const searched = sofia.page.waitForResponse((r) => new URL(r.url()).pathname === '/api/library' && new URL(r.url()).searchParams.get('q') === 'waves', { timeout: 15_000 });
    await sofia.activity.locator('#library-search').fill('waves');
    await sofia.activity.locator('#library-search').press('Enter');
    const waves = (await (await searched).json()) as { entries: { id: string }[]; totalCount: number };
    expect(waves).toMatchObject({ totalCount: 1, entries: [{ id: a.entries.waves.id }] });
    expect(JSON.stringify(waves)).not.toContain(a.entries.elsewhere.id);
    await sofia.activity.locator('#library-results button[data-entry-id]').nth(1).waitFor({ state: 'detached', timeout: 10_000 });
    // a thumbnail comes through the /kaltura-cdn mapping, like the video
    await expect.poll(() => sofia.activity.locator('#library-results img').evaluate((img: { naturalWidth: number }) => img.naturalWidth), { timeout: 10_000 }).toBeGreaterThan(0);
    await sofia.activity.locator('#library-search').fill('');
    await sofia.activity.locator('#library-search').press('Enter');
    await tiles.nth(1).waitFor({ timeout: 10_000 });
    await screenshotForDocs(sofia.page.locator('#activity'), 'activity-library');
    expect(sofia.problems.errors, sofia.problems.describe()).toEqual([]);
    await sofia.activity.locator('#tab-player').click();
  }, 90_000);

  it('three members stay in sync through play, seek, rate and pause; everyone sees who watches', async () => {
    const sofia = opened[0] ?? (await open(IDS.student));
    const tomas = await open(IDS.teacher);
    const hana = await open(IDS.host);
    const all = [sofia, tomas, hana];
    for (const p of [tomas, hana]) await untilState(p.activity, (s) => s.entryId === a.entries.waves.id && !s.host && s.connection === 'open', 'a member follows the room');

    await sofia.activity.locator('#ctl-play').click();
    for (const p of all) await untilState(p.activity, (s) => s.playing && s.position > 1, 'playing for everyone');
    await expectInSync(all, 'after play');

    await sofia.activity.locator('#ctl-seek').fill('90');
    for (const p of all) await untilState(p.activity, (s) => s.position > 89 && s.position < 100, 'everyone at the host’s seek');
    await expectInSync(all, 'after a seek to 1:30');

    await sofia.activity.locator('#ctl-rate').selectOption('1.5');
    for (const p of all) await untilState(p.activity, (s) => s.rate === 1.5 && s.playing, 'everyone at 1.5x');
    await expectInSync(all, 'at 1.5x');

    await sofia.activity.locator('#presence-list li').nth(2).waitFor({ timeout: 10_000 });
    for (const p of all) expect((await p.activity.locator('#presence-list li .name').allTextContents()).sort()).toEqual(['hana', 'sofia', 'tomas']);
    await screenshotForDocs(tomas.page.locator('#activity'), 'activity-player');

    await sofia.activity.locator('#ctl-play').click(); // pause
    for (const p of all) await untilState(p.activity, (s) => !s.playing, 'paused for everyone');
    const paused = await expectInSync(all, 'paused');
    expect(Math.min(...paused)).toBeGreaterThan(90);
    for (const p of all) expect(p.problems.errors, p.problems.describe()).toEqual([]);
    // Everything the Activity loaded went through the mappings doctor prints: nothing unmapped, no CSP refusal.
    expect(a.proxy.requests.filter((r) => r.refused === 'unmapped')).toEqual([]);
    for (const p of all) expect(p.problems.console.filter((l) => /Content Security Policy|blocked:csp/i.test(l)), p.problems.describe()).toEqual([]);
  }, 120_000);

  it('a forged session, a foreign instance and another server’s video get no KS (API answers and Kaltura’s delivery log)', async () => {
    const api = `${a.h.publicUrl}/activity/api`;
    const post = async (route: string, body: unknown, session?: string) => {
      const res = await fetch(`${api}/${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(session ? { authorization: `Bearer ${session}` } : {}) },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, text, json: JSON.parse(text) as Record<string, unknown> };
    };
    const tokenFor = async (userId: string) => (await post('token', { code: a.h.discord.mintAuthorizationCode(userId) })).json.access_token as string;
    const deliveries = () => a.h.kaltura.deliveries.length;
    const noKs = (text: string) => {
      expect(text).not.toMatch(/djJ8|\/ks\//); // a KS v2 starts with base64('v2|'); a playback URL carries /ks/<KS>
    };

    // A real session for a member in the instance: the control that proves the refusals below are refusals.
    const session = await post('session', { access_token: await tokenFor(IDS.teacher), instance_id: instanceId });
    expect(session.status).toBe(200);
    const real = session.json.session as string;
    const good = await post('playback', { entryId: a.entries.tides.id }, real);
    expect(good.status).toBe(200);
    expect((good.json.sources as { src: string }[])[0]!.src).toMatch(/^\/kaltura-cdn\//);

    const before = deliveries();
    // Forged sessions: a tampered signature, the same claims signed with another key, none at all.
    const [head, payload, sig] = real.split('.');
    const tampered = `${head}.${payload}.${sig!.slice(0, -2)}${sig!.endsWith('AA') ? 'BB' : 'AA'}`;
    const resigned = await new SignJWT(decodeJwt(real)).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('not the bot’s key, but 32+ bytes long!'));
    for (const forged of [tampered, resigned, 'forged', undefined]) {
      const r = await post('playback', { entryId: a.entries.tides.id }, forged);
      expect(r.status, String(forged)).toBe(401);
      expect(r.json.error).toBe('session-invalid');
      noKs(r.text);
    }
    // A foreign instance: one running in the other server (the member is not in it), and this one for the other server's member.
    const foreign = a.h.discord.createActivityInstance({ guildId: OTHER.guild, channelId: OTHER.channel, userIds: [outsider.id] });
    const notIn = await post('session', { access_token: await tokenFor(IDS.teacher), instance_id: foreign });
    expect(notIn.status).toBe(403);
    const outsiderHere = await post('session', { access_token: await tokenFor(outsider.id), instance_id: instanceId });
    expect(outsiderHere.status).toBe(403);
    const made = await post('session', { access_token: await tokenFor(IDS.teacher), instance_id: 'i-1-gc-1-1' });
    expect(made.status).toBe(404);
    for (const r of [notIn, outsiderHere, made]) {
      expect(r.json.session).toBeUndefined();
      noKs(r.text);
    }
    // Another server's video with a real session: unknown, like a made-up one.
    const elsewhere = await post('playback', { entryId: a.entries.elsewhere.id }, real);
    expect(elsewhere).toMatchObject({ status: 404, json: { error: 'media.unknown' } });
    noKs(elsewhere.text);
    // Nothing was delivered for any of these; the other server's video was never played at all.
    expect(deliveries()).toBe(before);
    expect(a.h.kaltura.deliveries.filter((d) => d.entryId === a.entries.elsewhere.id)).toEqual([]);
    // and nothing secret reached the log
    noKs(a.h.logs.text());
    expect(a.h.logs.text()).not.toContain(real);
  });
});

