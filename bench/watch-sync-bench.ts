/**
 * Watch Together sync benchmark: three headless Chromium pages in one room follow a scripted minute
 * of the host's play, seek, rate and pause; then late joiners, then 5 s network cuts of one member
 * while the host seeks. Every page samples (wall clock, video.currentTime) every 50 ms; we compare
 * pages pairwise at common instants (watch-sync-stats.ts). The engine (src/activity-client/sync) is
 * measured against a naive baseline in the same run: apply each timeline once, local clock taken as
 * the server's, no drift correction.
 *
 *   npx tsx bench/watch-sync-bench.ts [rounds=1] [skewMs=0]
 *
 * skewMs > 0 sets the clocks of two members off by +skewMs and −1.6×skewMs (devices with wrong clocks).
 *
 * Stack: the minimal page + tiny ws server of watch-sync-server.ts (real rooms, real client engine,
 * real Chromium media pipeline; no Discord frame or proxy in between).
 */
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { median, percentile, table } from './stats.js';
import { startWatchSyncServer } from './watch-sync-server.js';
import { diffAt, pairwiseDiffs, timeToConverge, type Sample } from './watch-sync-stats.js';

const rounds = Number(process.argv[2] ?? 1);
const skewMs = Number(process.argv[3] ?? 0);
const SKEW: Record<string, number> = { a: 0, b: skewMs, c: Math.round(-1.6 * skewMs), late0: skewMs, late1: -skewMs, late2: 2 * skewMs };
const VIDEO = path.join(import.meta.dirname, '../tests/fixtures/media/test-pattern-180s.mp4');
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--autoplay-policy=no-user-gesture-required'];
const wall = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** Runs in every frame before the page's own scripts: samples the first <video> every 50 ms. */
const SAMPLER = `(() => {
  const s = (window.__kdSamples = []);
  setInterval(() => {
    const v = document.querySelector('video');
    if (!v || v.readyState < 1) return;
    s.push([performance.timeOrigin + performance.now(), v.currentTime, v.paused || v.seeking || v.ended ? 0 : 1, v.playbackRate]);
  }, 50);
})();`;

type Mode = 'synced' | 'naive';
interface Member { user: string; ctx: BrowserContext; page: Page; joinedAt: number }

async function open(browser: Browser, base: string, user: string, instance: string, mode: Mode): Promise<Member> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.addInitScript(SAMPLER);
  const joinedAt = wall();
  await page.goto(`${base}?user=${user}&instance=${instance}&mode=${mode}&skew=${SKEW[user] ?? 0}`);
  await page.waitForFunction('window.kdWatch?.ready === true && (document.querySelector("video")?.readyState ?? 0) >= 1', undefined, { timeout: 15_000, polling: 50 });
  return { user, ctx, page, joinedAt };
}
const samplesOf = (m: Member) => m.page.evaluate('window.__kdSamples') as Promise<Sample[]>;
const stateOf = (m: Member) => m.page.evaluate('window.kdWatch.state()') as Promise<Record<string, unknown>>;
const host = (m: Member, fn: string) => m.page.evaluate(`window.kdWatch.commands.${fn}`);

interface RunResult {
  mode: Mode; all: number[]; steady: number[]; late: number[]; resync: (number | undefined)[];
  offsets: number[]; rtts: number[];
}

async function run(browser: Browser, base: string, server: Awaited<ReturnType<typeof startWatchSyncServer>>, mode: Mode, round: number): Promise<RunResult> {
  const instance = `${mode}-${round}-${Date.now()}`;
  const a = await open(browser, base, 'a', instance, mode);
  const b = await open(browser, base, 'b', instance, mode);
  const c = await open(browser, base, 'c', instance, mode);
  await sleep(1500);
  const script: [number, string][] = [
    [0, 'play()'], [8000, 'seek(60)'], [16000, 'setRate(1.5)'], [24000, 'setRate(1)'], [30000, 'pause()'],
    [33000, 'play()'], [40000, 'seek(20)'], [46000, 'setRate(1.25)'], [52000, 'setRate(1)'],
  ];
  const t0 = wall() + 200;
  const marks: number[] = [];
  for (const [at, fn] of script) {
    await sleep(t0 + at - wall());
    marks.push(wall());
    await host(a, fn);
  }
  await sleep(t0 + 60_000 - wall());
  const minuteEnd = wall();

  // Late joiners: each joins while the group plays and is measured 2 s after its page started loading.
  const late: number[] = [];
  const lateSamples: { m: Member; s: Sample[] }[] = [];
  for (let k = 0; k < 3; k++) {
    const d = await open(browser, base, `late${k}`, instance, mode);
    await sleep(d.joinedAt + 2600 - wall());
    lateSamples.push({ m: d, s: await samplesOf(d) });
    await d.ctx.close();
  }

  // Cuts: c loses its connection for 5 s; 1.5 s in, the host seeks 30 s ahead, so c has something to catch up.
  const cuts: number[] = [];
  for (let k = 0; k < 3; k++) {
    const start = wall();
    cuts.push(start);
    server.cut('c', 5000);
    await sleep(1500);
    await host(a, `seek(${40 + k * 30})`);
    await sleep(start + 5000 + 4000 - wall());
  }

  const [sa, sb, sc] = await Promise.all([samplesOf(a), samplesOf(b), samplesOf(c)]);
  const states = await Promise.all([a, b, c].map(stateOf));
  for (const m of [a, b, c]) await m.ctx.close();
  for (const { m, s } of lateSamples) {
    const t = m.joinedAt + 2000;
    const ds = [sa, sb, sc].map((x) => diffAt(s, x, t)).filter((d): d is number => d !== undefined);
    late.push(ds.length ? Math.max(...ds) : NaN);
  }
  return {
    mode,
    all: pairwiseDiffs([sa, sb, sc], t0, minuteEnd),
    steady: pairwiseDiffs([sa, sb, sc], t0, minuteEnd, marks.map((m) => [m, m + 1000] as const)),
    late,
    resync: cuts.map((s) => timeToConverge(sc, sa, s + 5000, s + 9000)),
    offsets: states.map((s) => Number(s.offsetMs)),
    rtts: states.map((s) => Number(s.rttMs)),
  };
}

const server = await startWatchSyncServer(VIDEO);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
const results: RunResult[] = [];
try {
  for (let r = 0; r < rounds; r++) {
    for (const mode of r % 2 ? (['naive', 'synced'] as const) : (['synced', 'naive'] as const)) {
      const res = await run(browser, server.url, server, mode, r);
      results.push(res);
      console.error(`${mode} round ${r}: median ${median(res.all).toFixed(1)} ms, p95 ${percentile(res.all, 95).toFixed(1)} ms, late ${res.late.map((x) => x.toFixed(0)).join('/')} ms, resync ${res.resync.map((x) => (x === undefined ? 'never' : x.toFixed(0))).join('/')} ms`);
    }
  }
} finally {
  await browser.close();
  await server.close();
}

const pool = (mode: Mode, pick: (r: RunResult) => number[]) => results.filter((r) => r.mode === mode).flatMap(pick);
const f = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '—');
const rows = (['naive', 'synced'] as const).map((mode) => {
  const all = pool(mode, (r) => r.all);
  const steady = pool(mode, (r) => r.steady);
  const late = pool(mode, (r) => r.late);
  const resync = pool(mode, (r) => r.resync.map((x) => (x === undefined ? Infinity : x)));
  return [mode === 'naive' ? 'naive: apply once (baseline)' : 'kd sync engine', f(median(all)), f(percentile(all, 95)), f(Math.max(...all)),
    f(median(steady)), f(percentile(steady, 95)), `${f(median(late))} (max ${f(Math.max(...late))})`,
    `${f(median(resync))} (max ${Number.isFinite(Math.max(...resync)) ? f(Math.max(...resync)) : 'never'})`];
});
console.log(`device clock skews (ms): ${JSON.stringify(SKEW)}\n`);
console.log(table(['engine', 'pairwise median ms', 'p95 ms', 'max ms', 'steady median ms', 'steady p95 ms', 'late joiner at 2 s, ms', 'resync after 5 s cut, ms'], rows));
const syncedAll = pool('synced', (r) => r.all);
const naiveAll = pool('naive', (r) => r.all);
console.log(`\nratio (baseline median / engine median): ${(median(naiveAll) / median(syncedAll)).toFixed(1)}×; p95: ${(percentile(naiveAll, 95) / percentile(syncedAll, 95)).toFixed(1)}×`);
console.log(`pairwise instants per engine: ${syncedAll.length}; clock offsets (ms) ${pool('synced', (r) => r.offsets).map((x) => x.toFixed(2)).join(', ')}; best rtt (ms) ${pool('synced', (r) => r.rtts).map((x) => x.toFixed(2)).join(', ')}`);
