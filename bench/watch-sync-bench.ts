/**
 * Watch Together sync benchmark: three headless Chromium pages in one room follow a scripted minute
 * of the host's play, seek, rate and pause; then three late joiners, then three 5 s network cuts of
 * one member while the host seeks. Every page samples (wall clock, video.currentTime) every 50 ms;
 * pages are compared pairwise at common instants (watch-sync-stats.ts).
 *
 *   npx tsx bench/watch-sync-bench.ts [rounds=1] [skewMs=250] [stacks=minimal,activity]
 *
 * Variants, interleaved in one run (watch-sync-stacks.ts): on the minimal page, the naive baseline
 * (apply each timeline once, local clock taken as the server's, no drift correction) and the sync
 * engine (src/activity-client/sync), each with true clocks and with members' clocks set off by
 * +skewMs, −1.6×skewMs, … (devices with wrong clocks); and the engine inside the real product (app +
 * fake Discord proxy and parent frame + Activity client + fake Kaltura CDN).
 * KD_BENCH_DUMP=/tmp/x writes each variant's raw samples to /tmp/x-<variant>.json for a closer look.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { median, percentile, table } from './stats.js';
import { activityStack, minimalStack, type Mode, type Participant, type Stack } from './watch-sync-stacks.js';
import { diffAt, pairwiseDiffs, timeToConverge, type Sample } from './watch-sync-stats.js';

const rounds = Number(process.argv[2] ?? 1);
const skewMs = Number(process.argv[3] ?? 250);
const stackNames = (process.argv[4] ?? 'minimal,activity').split(',');
const root = path.join(import.meta.dirname, '..');
const VIDEO = path.join(root, 'tests/fixtures/media/test-pattern-180s.mp4');
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--autoplay-policy=no-user-gesture-required'];
const SKEW: Record<string, number> = { a: 0, b: skewMs, c: Math.round(-1.6 * skewMs), late0: skewMs, late1: -skewMs, late2: 2 * skewMs };
const NO_SKEW: Record<string, number> = {};
const wall = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** Runs in every frame before the page's own scripts: samples the frame's first <video> every 50 ms. */
const SAMPLER = `(() => {
  const s = (window.__kdSamples = []);
  setInterval(() => {
    const v = document.querySelector('video');
    if (!v || v.readyState < 1) return;
    s.push([performance.timeOrigin + performance.now(), v.currentTime, v.paused || v.seeking || v.ended ? 0 : 1, v.playbackRate]);
  }, 50);
})();`;

const samplesOf = (m: Participant) => m.frame.evaluate('window.__kdSamples') as Promise<Sample[]>;
const stateOf = (m: Participant) => m.frame.evaluate('window.kdWatch.state()') as Promise<Record<string, unknown>>;
const host = (m: Participant, fn: string) => m.frame.evaluate(`window.kdWatch.commands.${fn}`);

interface RunResult {
  variant: string; all: number[]; steady: number[]; late: number[]; lateFromOpen: number[]; resync: (number | undefined)[]; offsets: number[]; rtts: number[];
}

async function run(stack: Stack, mode: Mode, variant: string, skews: Record<string, number>): Promise<RunResult> {
  const instance = await stack.newInstance(variant.replace(/\W+/g, '-'));
  const skew = (u: string) => skews[u] ?? 0;
  const a = await stack.open('a', instance, mode, skew('a'));
  const b = await stack.open('b', instance, mode, skew('b'));
  const c = await stack.open('c', instance, mode, skew('c'));
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

  // Late joiners: each joins while the group plays; measured 2 s after the room welcomed it (and, for the
  // record, how long from opening its page until it is within 150 ms, which includes sign-in and video load).
  const lateRuns: { m: Participant; s: Sample[]; welcomedAt: number }[] = [];
  for (let k = 0; k < 3; k++) {
    const d = await stack.open(`late${k}`, instance, mode, skew(`late${k}`));
    const welcomedAt = Number((await stateOf(d)).welcomedAt) - skew(`late${k}`);
    await sleep(Math.min(welcomedAt + 2600, d.joinedAt + 10_000) - wall());
    lateRuns.push({ m: d, s: await samplesOf(d), welcomedAt });
    await d.close();
  }

  // Cuts: c loses its connection for 5 s; 1.5 s in, the host seeks, so c has something to catch up with.
  const cuts: number[] = [];
  for (let k = 0; k < 3; k++) {
    const start = wall();
    cuts.push(start);
    c.cut(5000);
    await sleep(1500);
    await host(a, `seek(${40 + k * 30})`);
    await sleep(start + 5000 + 4000 - wall());
  }

  const [sa, sb, sc] = await Promise.all([samplesOf(a), samplesOf(b), samplesOf(c)]);
  if (process.env.KD_BENCH_DUMP) {
    fs.writeFileSync(`${process.env.KD_BENCH_DUMP}-${variant.replace(/\W+/g, '_')}.json`, JSON.stringify({ t0, minuteEnd, marks, cuts, sa, sb, sc }));
  }
  const states = await Promise.all([a, b, c].map(stateOf));
  for (const m of [a, b, c]) await m.close();
  const late = lateRuns.map(({ s, welcomedAt }) => {
    const ds = [sa, sb, sc].map((x) => diffAt(s, x, welcomedAt + 2000));
    return ds.some((d) => d === undefined) ? Infinity : Math.max(...(ds as number[])); // no video yet = not in sync
  });
  const lateFromOpen = lateRuns.map(({ m, s }) => timeToConverge(s, sa, m.joinedAt, m.joinedAt + 10_000, 150, 500) ?? Infinity);
  return {
    variant,
    all: pairwiseDiffs([sa, sb, sc], t0, minuteEnd),
    steady: pairwiseDiffs([sa, sb, sc], t0, minuteEnd, marks.map((m) => [m, m + 1000] as const)),
    late,
    lateFromOpen,
    resync: cuts.map((s) => timeToConverge(sc, sa, s + 5000, s + 9000)),
    offsets: states.map((s) => Number(s.offsetMs)),
    rtts: states.map((s) => Number(s.rttMs)),
  };
}

function report(out: (line: string) => void): void {
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : 'never');
  const variantsRun = [...new Set(results.map((r) => r.variant))];
  const pool = (v: string, pick: (r: RunResult) => number[]) => results.filter((r) => r.variant === v).flatMap(pick);
  /** Each variant against the naive baseline with the same clocks. */
  const baseOf = (v: string) => variantsRun.find((b) => b.startsWith('naive') && b.includes('skewed') === v.includes('skewed'));
  out(`skewed clocks (ms): ${JSON.stringify(SKEW)}; rounds: ${rounds}\n`);
  out(table(
    ['variant', 'pairwise median ms', 'p95 ms', 'x baseline (median)', 'steady median ms', 'steady p95 ms', 'late joiner 2 s after joining, ms (median, max)', 'late joiner: page open → in sync, ms (median)', 'resync after 5 s cut, ms (median, max)'],
    variantsRun.map((v) => {
      const all = pool(v, (r) => r.all);
      const steady = pool(v, (r) => r.steady);
      const late = pool(v, (r) => r.late);
      const lateOpen = pool(v, (r) => r.lateFromOpen);
      const resync = pool(v, (r) => r.resync.map((x) => x ?? Infinity));
      const base = baseOf(v);
      const ratio = base ? (median(all) / median(pool(base, (r) => r.all))).toFixed(2) : '—';
      return [v, f(median(all)), f(percentile(all, 95)), ratio, f(median(steady)), f(percentile(steady, 95)),
        `${f(median(late))}, ${f(Math.max(...late))}`, f(median(lateOpen)), `${f(median(resync))}, ${f(Math.max(...resync))}`];
    }),
  ));
  for (const v of variantsRun) {
    out(`\n${v}: ${pool(v, (r) => r.all).length} pairwise instants; clock offsets ms ${pool(v, (r) => r.offsets).map((x) => x.toFixed(1)).join(', ')}; best rtt ms ${pool(v, (r) => r.rtts).map((x) => x.toFixed(2)).join(', ')}`);
  }
}

const browser: Browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
const stacks: Stack[] = [];
const results: RunResult[] = [];
try {
  if (stackNames.includes('minimal')) stacks.push(await minimalStack(browser, VIDEO, SAMPLER));
  if (stackNames.includes('activity')) {
    execFileSync(process.execPath, [path.join(root, 'scripts/build-activity.mjs'), '--quiet'], { cwd: root, stdio: 'inherit' });
    stacks.push(await activityStack(browser, SAMPLER));
  }
  const variants: [Stack, Mode, string, Record<string, number>][] = [];
  for (const s of stacks) {
    if (s.name.startsWith('minimal')) {
      variants.push(
        [s, 'naive', 'naive baseline (minimal page)', NO_SKEW], [s, 'synced', 'engine (minimal page)', NO_SKEW],
        [s, 'naive', 'naive baseline, skewed clocks (minimal page)', SKEW], [s, 'synced', 'engine, skewed clocks (minimal page)', SKEW],
      );
    } else variants.push([s, 'synced', 'engine (the product, through the fake Discord proxy)', NO_SKEW]);
  }
  for (let r = 0; r < rounds; r++) {
    for (const [s, mode, variant, skews] of r % 2 ? [...variants].reverse() : variants) {
      const load = os.loadavg()[0]!;
      const res = await run(s, mode, variant, skews);
      results.push(res);
      console.error(`  (1-min load average ${load.toFixed(2)} → ${os.loadavg()[0]!.toFixed(2)} on ${os.cpus().length} cores)`);
      console.error(`${variant} round ${r}: median ${median(res.all).toFixed(1)} ms, p95 ${percentile(res.all, 95).toFixed(1)} ms, late ${res.late.map((x) => x.toFixed(0)).join('/')} ms (from page open ${res.lateFromOpen.map((x) => x.toFixed(0)).join('/')} ms), resync ${res.resync.map((x) => (x === undefined ? 'never' : x.toFixed(0))).join('/')} ms`);
    }
    if (r < rounds - 1) report((line) => console.error(line)); // a cumulative table after each round
  }
} finally {
  await browser.close();
  for (const s of stacks) await s.close();
}

report((line) => console.log(line));
