/**
 * The footprint and speed of one instance (issue 13 §5), in one run against a bare node:http 302
 * on the same runtime: `serve` in its own process (the single executable by default) against the
 * fake Discord and fake Kaltura; RSS when idle; `GET /j/<garbage>` and `GET /j/<valid>` (each a
 * fresh link issued through `/kaltura join` to one of 500 members) interleaved with the bare server, `rounds` times;
 * then RSS after all those requests.
 *   npx tsx bench/footprint-bench.ts [rounds=3] [perRun=7000] [--idle-starts 5] [--target exe|bundle] [--v8 "--flag …"]
 * `--target bundle` runs dist/kaltura-discord.app.cjs (the executable's bundle) on the embedded node
 * (or `--bundle <file>`) with the given V8 flags, to try heap settings without rebuilding the executable.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bareServer, EMBEDDED_NODE, EXECUTABLE, issueLinks, load, root, serve, sleep, startFakes, startMeeting, writeConfig, type Load } from './product-under-test';
import { median, table } from './stats';
import { freePort } from '../tests/helpers/free-port';

const positional = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
const option = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const rounds = Number(positional[0] ?? 3);
const perRun = Number(positional[1] ?? 7_000);
const target = option('--target') ?? 'exe';
const v8 = (option('--v8') ?? '').split(/\s+/).filter(Boolean);
const connections = 10;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kd-footprint-'));
const bundle = option('--bundle') ?? path.join(root, 'dist/kaltura-discord.app.cjs');
const cmd = target === 'exe' ? [EXECUTABLE] : [EMBEDDED_NODE, ...v8, bundle];
const env = target === 'exe' ? {} : { KALTURA_DISCORD_SQLITE_ADDON: path.join(root, '.build/sea/better_sqlite3.node') };
const step = (what: string) => console.error(`[footprint +${(performance.now() / 1000).toFixed(1)}s] ${what}`);

// Idle RSS varies by ~20 MiB from one start to the next (thread arenas, GC timing): the median of several starts.
const idleStarts = Number(option('--idle-starts') ?? 5);
const idle: number[] = [];
const starts: number[] = [];
for (let k = 0; k < idleStarts; k++) {
  const f = await startFakes();
  const p = await freePort();
  const s = await serve(cmd, dir, writeConfig(dir, f, p), p, env);
  try {
    await f.discord.waitForIdentify({ timeoutMs: 20_000 });
    await sleep(3_000);
    idle.push(s.rssMiB());
    starts.push(s.startMs);
  } finally {
    await s.stop();
    await f.close();
  }
}
step(`idle RSS of ${idleStarts} starts: ${idle.map((x) => x.toFixed(0)).join(', ')} MiB`);

const fakes = await startFakes();
const port = await freePort();
const app = await serve(cmd, dir, writeConfig(dir, fakes, port), port, env);
step(`serve answered /healthz after ${app.startMs.toFixed(0)} ms`);
try {
  await fakes.discord.waitForIdentify({ timeoutMs: 20_000 });
  const meetingId = await startMeeting(fakes.discord);
  step('meeting started');
  await sleep(3_000); // start-up garbage collected, timers settled
  const idleRss = app.rssMiB();

  // The bare baseline answers the same 302 (same Location length and headers) on the same runtime.
  const [sample] = await issueLinks(fakes.discord, meetingId, 1, 0);
  const location = (await fetch(`${app.url}${sample}`, { redirect: 'manual' })).headers.get('location')!;
  const bare = await bareServer(target === 'exe' ? EMBEDDED_NODE : cmd[0]!, dir, 302, { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });

  const runs: Record<'bareGarbage' | 'garbage' | 'bareValid' | 'valid', Load[]> = { bareGarbage: [], garbage: [], bareValid: [], valid: [] };
  let requests = 0;
  for (let r = 0; r < rounds; r++) {
    const garbage = Array.from({ length: perRun }, (_, i) => ({ method: 'GET', path: `/j/garbage-${r}-${i}-${Math.random().toString(36).slice(2)}` }));
    // A class of 500 members joining again and again: the cost of the route, not of 20,000 new profiles.
    const valid = (await issueLinks(fakes.discord, meetingId, perRun, 1, { pool: 500 })).map((p) => ({ method: 'GET', path: p }));
    step(`round ${r + 1}: ${perRun} links issued`);
    runs.bareGarbage.push(await load(bare.url, dir, garbage, connections));
    runs.garbage.push(await load(app.url, dir, garbage, connections));
    runs.bareValid.push(await load(bare.url, dir, valid, connections));
    runs.valid.push(await load(app.url, dir, valid, connections));
    requests += 2 * perRun;
    const [g, v] = [Object.keys(runs.garbage.at(-1)!.statusCodes), Object.keys(runs.valid.at(-1)!.statusCodes)];
    if (g.join() !== '400' || v.join() !== '302') throw new Error(`unexpected answers: garbage ${g}, valid ${v}`);
  }
  await sleep(2_000);
  const loadedRss = app.rssMiB();

  const rps = (v: Load[]) => median(v.map((x) => x.rps));
  const bareRps = median([...runs.bareGarbage, ...runs.bareValid].map((x) => x.rps));
  const row = (name: string, v: Load[]) => [name, rps(v).toFixed(0), median(v.map((x) => x.p50)).toFixed(1), median(v.map((x) => x.p99)).toFixed(1), (rps(v) / bareRps).toFixed(2)];
  console.log(`footprint: ${target === 'exe' ? 'single executable' : `bundle on the embedded node ${v8.join(' ')}`}, ${rounds} rounds x ${perRun} requests per kind, ${connections} connections, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}`);
  console.log(table(['server', 'req/s (median)', 'p50 ms', 'p99 ms', 'x bare 302'], [
    row('bare node:http 302 (baseline)', [...runs.bareGarbage, ...runs.bareValid]),
    row('GET /j/<garbage> (refused, 400)', runs.garbage),
    row('GET /j/<valid> (verify, consume, mint KS, 302)', runs.valid),
  ]));
  if (idleStarts > 0) console.log(`idle RSS, median of ${idleStarts} starts: ${median(idle).toFixed(1)} MiB (min ${Math.min(...idle).toFixed(1)}, max ${Math.max(...idle).toFixed(1)}); start to /healthz (loaded machine, see bench/startup-bench.ts) median ${median(starts).toFixed(0)} ms`);
  console.log(`this instance: start to /healthz ${app.startMs.toFixed(0)} ms; RSS idle ${idleRss.toFixed(1)} MiB; RSS after ${requests.toLocaleString('en')} requests ${loadedRss.toFixed(1)} MiB (bare server: ${bare.rssMiB().toFixed(1)} MiB)`);
  await bare.stop();
} finally {
  await app.stop();
  await fakes.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
