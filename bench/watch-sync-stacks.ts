/**
 * The two stacks the sync benchmark can drive, behind one interface:
 * - minimal: watch-sync-server.ts (real rooms + real client engine on a bare page; `mode` picks the
 *   engine or the naive baseline, `skew` offsets a member's clock);
 * - activity: the real product — the app (createApp, as `serve` builds it) with the fake Discord and
 *   fake Kaltura, one fake Discord proxy + client parent frame per member (tests/fakes/discord), the
 *   Activity client (dist/activity) in its iframe, the video streamed from the fake Kaltura through
 *   the proxy's /kaltura-cdn mapping. Only the engine: the shipped client has no baseline mode.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Frame } from 'playwright-core';
import { startFakeActivityProxy, type FakeActivityProxy } from '../tests/fakes/discord/activity-proxy.js';
import { IDS, members, startHarness } from '../tests/e2e/meeting-harness.js';
import { startWatchSyncServer } from './watch-sync-server.js';

export type Mode = 'synced' | 'naive';
export interface Participant {
  readonly user: string;
  readonly ctx: BrowserContext;
  /** The frame holding the <video> and window.kdWatch. */
  readonly frame: Frame;
  /** Wall ms when its page started loading. */
  readonly joinedAt: number;
  /** Drops its sync connection for ms and refuses reconnects meanwhile. */
  cut(ms: number): void;
  close(): Promise<void>;
}
export interface Stack {
  readonly name: string;
  open(user: string, instance: string, mode: Mode, skewMs: number): Promise<Participant>;
  /** A fresh room id (the activity stack launches a new Activity instance). */
  newInstance(tag: string): Promise<string>;
  close(): Promise<void>;
}

const wall = () => performance.timeOrigin + performance.now();
/**
 * Ready = welcomed with clock samples, and the element has metadata (and the expected entry). A function,
 * not a string: the Activity's CSP has no 'unsafe-eval', and Playwright evaluates string predicates with eval.
 */
function ready(entryId: string | undefined): boolean {
  const g = globalThis as unknown as {
    kdWatch?: { ready: boolean; state(): { entryId?: string } };
    document: { querySelector(s: string): { readyState: number } | null };
  };
  return g.kdWatch?.ready === true && (g.document.querySelector('video')?.readyState ?? 0) >= 1 &&
    (entryId === undefined || g.kdWatch.state().entryId === entryId);
}

export async function minimalStack(browser: Browser, videoPath: string, sampler: string): Promise<Stack> {
  const server = await startWatchSyncServer(videoPath);
  return {
    name: 'minimal page + tiny ws server',
    async open(user, instance, mode, skewMs) {
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      await page.addInitScript(sampler);
      const joinedAt = wall();
      await page.goto(`${server.url}?user=${user}&instance=${instance}&mode=${mode}&skew=${skewMs}`);
      await page.waitForFunction(ready, undefined, { timeout: 15_000, polling: 50 });
      return { user, ctx, frame: page.mainFrame(), joinedAt, cut: (ms) => server.cut(user, ms), close: () => ctx.close() };
    },
    newInstance: async (tag) => `${tag}-${Date.now()}`,
    close: () => server.close(),
  };
}

/** Bench user → Discord member of the harness guild. */
const LATE = { id: '1500000000000000009', username: 'lena', roles: [IDS.studentsRole] };
const MEMBERS: Record<string, { id: string; username: string; roles: string[] }> = {
  a: members.student, b: members.host, c: members.teacher,
};

export async function activityStack(browser: Browser, sampler: string): Promise<Stack> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kd-sync-bench-'));
  const h = await startHarness(dir, { media: true });
  const search = (member: { id: string; username: string; roles: string[] }, query = 'benchmark') =>
    h.discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member, name: 'kaltura', subcommand: 'search', options: { query } });
  await search(members.student).reply(); // creates the server's category
  for (const m of [members.host, members.teacher, LATE]) await search(m).reply(); // the fake learns members from interactions
  const category = [...h.kaltura.store.categories.values()].find((c: { fullName: string; status: number }) => c.status === 2 && c.fullName.endsWith(`>${IDS.guild}`)) as { id: number };
  const entry = h.kaltura.addEntry({ name: 'Sync benchmark', categoryIds: [category.id], video: true });
  const proxies: FakeActivityProxy[] = [];
  return {
    name: 'the product: app + fake Discord proxy/parent frame + Activity client + fake Kaltura CDN',
    async newInstance() {
      const found = search(members.student);
      await found.reply();
      const together = h.discord.clickButton({ guildId: IDS.guild, channelId: IDS.channel, member: members.student, fromReply: found, customId: `kaltura:together:${entry.id}` });
      await together.acknowledged;
      return h.discord.launchedActivity(together)!;
    },
    async open(user, instance) {
      const member = MEMBERS[user] ?? LATE;
      const proxy = await startFakeActivityProxy({
        discord: h.discord,
        mappings: [{ prefix: '/', target: `${h.publicUrl}/activity` }, { prefix: '/kaltura-cdn', target: h.kaltura.url }],
      });
      proxies.push(proxy);
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      await page.addInitScript(sampler);
      const joinedAt = wall();
      await page.goto(proxy.frameUrl({ userId: member.id, instanceId: instance }));
      const frame = await (await page.waitForSelector('#activity', { timeout: 15_000 })).contentFrame();
      if (!frame) throw new Error('the Activity iframe has no frame');
      await frame.waitForFunction(ready, entry.id, { timeout: 20_000, polling: 50 });
      return {
        user, ctx, frame, joinedAt,
        cut: (ms) => void proxy.cut(ms),
        async close() {
          await ctx.close();
          h.discord.leaveActivityInstance(instance, member.id);
          await proxy.close();
        },
      };
    },
    async close() {
      for (const p of proxies) await p.close().catch(() => undefined);
      await h.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
