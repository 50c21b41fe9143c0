/**
 * The Watch Together client as members use it: the real app (meeting-harness, Activity on), the
 * fake Discord client + proxy (URL mappings `/` → the bot's /activity, `/kaltura-cdn` → the fake
 * Kaltura's CDN), headless Debian Chromium. What is checked is the client's own behaviour: who
 * may steer, picking a video for everyone, recovering from a refused video source. Sync accuracy,
 * late joiners and network cuts are tests/e2e/video-*.e2e.test.ts.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeActivityProxy, type FakeActivityProxy } from '../fakes/discord/activity-proxy';
import { capturePageProblems, useChromium } from '../helpers/chromium';
import { useTempDirs } from '../helpers/temp-dir';
import { IDS, members, startHarness, type Harness } from './meeting-harness';

const root = path.resolve(__dirname, '../..');
const tempDirs = useTempDirs();
const browser = useChromium();

interface KdState { entryId?: string; playing: boolean; host: boolean; connection: string; position: number }
const kd = (f: FrameLocator) => f.locator('body').evaluate(() => (globalThis as unknown as { kdWatch?: { state(): KdState } }).kdWatch?.state());

/** Waits (bounded) until the page's kdWatch state satisfies `ok`; the last state is in the failure message. */
async function untilState(f: FrameLocator, ok: (s: KdState) => boolean, what: string, timeoutMs = 15_000): Promise<KdState> {
  const deadline = Date.now() + timeoutMs;
  let last: KdState | undefined;
  while (Date.now() < deadline) {
    last = await kd(f);
    if (last && ok(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  const status = await f.locator('#status').textContent().catch(() => '?');
  throw new Error(`${what}: not reached; last kdWatch state ${JSON.stringify(last)}; page status "${status}"`);
}

describe('the Watch Together client with the real app', () => {
  let h: Harness;
  let proxy: FakeActivityProxy;
  let instanceId: string;
  let waves: { id: string };
  let tides: { id: string };
  const pages: Page[] = [];

  beforeAll(async () => {
    // `npm test` builds dist/activity (scripts/bundle.mjs); a targeted run may not have yet.
    if (!fs.existsSync(path.join(root, 'dist/activity/manifest.json'))) {
      await promisify(execFile)(process.execPath, [path.join(root, 'scripts/build-activity.mjs'), '--quiet'], { cwd: root });
    }
    h = await startHarness(tempDirs(), { media: true });
    const search = () => h.discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.student, name: 'kaltura', subcommand: 'search', options: { query: 'w' } });
    await search().reply(); // creates the server's category
    // Hana is a member Discord knows (the fake learns members from their interactions).
    await h.discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.host, name: 'kaltura', subcommand: 'search', options: { query: 'w' } }).reply();
    const category = [...h.kaltura.store.categories.values()].find((c: { fullName: string; status: number }) => c.status === 2 && c.fullName.endsWith(`>${IDS.guild}`)) as { id: number };
    waves = h.kaltura.addEntry({ name: 'Waves <b>week 1</b>', categoryIds: [category.id], video: true });
    tides = h.kaltura.addEntry({ name: 'Tides & currents', categoryIds: [category.id], video: true });
    const found = search();
    await found.reply();
    const together = h.discord.clickButton({ guildId: IDS.guild, channelId: IDS.channel, member: members.student, fromReply: found, customId: `kaltura:together:${waves.id}` });
    expect((await together.acknowledged).type).toBe(12);
    instanceId = h.discord.launchedActivity(together)!;
    proxy = await startFakeActivityProxy({
      discord: h.discord,
      mappings: [{ prefix: '/', target: `${h.publicUrl}/activity` }, { prefix: '/kaltura-cdn', target: h.kaltura.url }],
    });
  }, 90_000);

  afterAll(async () => {
    for (const p of pages) await p.close().catch(() => undefined);
    await proxy?.close();
    await h?.close();
  }, 30_000);

  async function open(userId: string): Promise<{ page: Page; activity: FrameLocator; problems: ReturnType<typeof capturePageProblems> }> {
    const page = await (await browser()).newPage();
    pages.push(page);
    const problems = capturePageProblems(page);
    await page.goto(proxy.frameUrl({ userId, instanceId }));
    return { page, activity: page.frameLocator('#activity'), problems };
  }

  it('the launcher hosts and starts on the video; another member sees who hosts with the controls disabled; the host plays, picks another video for everyone, and a refused source is fetched again', async () => {
    // Sofia clicked Watch together: she is the host and the Activity opens on that video.
    const sofia = await open(IDS.student);
    await untilState(sofia.activity, (s) => s.entryId === waves.id && s.host && s.connection === 'open', 'sofia hosts the launched video');
    await sofia.activity.locator('#player-title', { hasText: 'Waves <b>week 1</b>' }).waitFor({ timeout: 10_000 });
    expect(await sofia.activity.locator('#player-title b').count()).toBe(0); // a title is text, never markup
    expect(await sofia.activity.locator('#ctl-host').textContent()).toBe('You are the host');
    expect(await sofia.activity.locator('#ctl-play').isDisabled()).toBe(false);

    // Hana joins: same video, controls disabled, told who the host is.
    const hana = await open(IDS.host);
    await untilState(hana.activity, (s) => s.entryId === waves.id && !s.host && s.connection === 'open', 'hana follows the room');
    await hana.activity.locator('#ctl-host', { hasText: 'host: sofia' }).waitFor({ timeout: 10_000 });
    for (const id of ['#ctl-play', '#ctl-seek', '#ctl-rate', '#ctl-wait']) expect(await hana.activity.locator(id).isDisabled(), id).toBe(true);
    // Both see both, the host marked.
    for (const p of [sofia, hana]) {
      await p.activity.locator('#presence-list li').nth(1).waitFor({ timeout: 10_000 });
      expect(await p.activity.locator('#presence-list li .name').allTextContents()).toEqual(['sofia', 'hana']);
      expect(await p.activity.locator('#presence-list li').first().locator('.badge').textContent()).toBe('host');
    }
    // Hana's library is browse-only.
    await hana.activity.locator('#tab-library').click();
    await hana.activity.locator(`#library-results button[data-entry-id="${tides.id}"]`).waitFor({ timeout: 10_000 });
    expect(await hana.activity.locator(`#library-results button[data-entry-id="${tides.id}"]`).isDisabled()).toBe(true);

    // The host plays: both elements play the group's video.
    await sofia.activity.locator('#ctl-play').click();
    for (const p of [sofia, hana]) await untilState(p.activity, (s) => s.playing && s.position > 0.5, 'playing on both');

    // The host picks another video; the first request for its source is refused as Kaltura refuses an expired KS
    // (404 + X-Kaltura error), on Hana's side only. Her client asks api/playback again and plays it.
    let refused = 0;
    await hana.page.route('**/kaltura-cdn/**/serveFlavor/**', async (route) => {
      if (route.request().url().includes(`/entryId/${tides.id}/`) && refused === 0) {
        refused++;
        return route.fulfill({ status: 404, headers: { 'X-Kaltura': 'error-3' }, body: '' });
      }
      return route.continue();
    });
    const playbackCalls = () => proxy.requests.filter((r) => r.method === 'POST' && r.path === '/api/playback').length;
    const before = playbackCalls();
    await sofia.activity.locator('#tab-library').click();
    await sofia.activity.locator(`#library-results button[data-entry-id="${tides.id}"]`).click();
    for (const p of [sofia, hana]) {
      await untilState(p.activity, (s) => s.entryId === tides.id, 'the new video for everyone');
      await p.activity.locator('#player-title', { hasText: 'Tides & currents' }).waitFor({ timeout: 10_000 });
      expect(await p.activity.locator('#view-player').isVisible()).toBe(true); // everyone is brought to the player
    }
    // A new video starts paused at 0 for the group: Hana's element has the fresh source loaded, then the host plays it.
    const hanaVideo = hana.activity.locator('#player-video');
    await expect.poll(() => hanaVideo.evaluate((v: { readyState: number; currentSrc: string }, id) => v.readyState >= 2 && v.currentSrc.includes(`/entryId/${id}/`), tides.id), { timeout: 15_000 }).toBe(true);
    expect(refused).toBe(1);
    await sofia.activity.locator('#ctl-play').click();
    for (const p of [sofia, hana]) await untilState(p.activity, (s) => s.entryId === tides.id && s.playing && s.position > 0.5, 'the new video plays on both');
    // sofia once, hana twice (the refused source, then the fresh one)
    expect(playbackCalls() - before).toBe(3);
    expect(sofia.problems.errors, sofia.problems.describe()).toEqual([]);
    expect(hana.problems.errors, hana.problems.describe()).toEqual([]);
  }, 120_000);
});
