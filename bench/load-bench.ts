/**
 * Load shapes from issue 13 §5, against `serve` in its own process(es) (the single executable):
 * a class starting — `members` distinct members click Join (`/kaltura join` over the fake gateway)
 * spread evenly over `seconds`, then open their links at the same pace — and Kaltura sending
 * `rate` signed webhooks per second for `webhookSeconds`. Topologies: one instance on SQLite, and
 * two instances sharing one PostgreSQL (a throwaway cluster, tests/global-postgres.ts's recipe),
 * the HTTP load split evenly between them as a load balancer would.
 *   npx tsx bench/load-bench.ts [--only sqlite|postgres] [--members 5000] [--seconds 60] [--rate 500] [--webhook-seconds 20]
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import setupPostgres from '../tests/global-postgres';
import { freePort } from '../tests/helpers/free-port';
import { IDS, linkButtonUrl } from '../tests/e2e/meeting-harness';
import { EXECUTABLE, load, serve, sleep, startFakes, startMeeting, writeConfig, type Fakes, type Load, type Served } from './product-under-test';
import { median, percentile, table } from './stats';

const option = (name: string, fallback: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1]! : fallback);
const only = option('--only', '');
const members = Number(option('--members', '5000'));
const seconds = Number(option('--seconds', '60'));
const rate = Number(option('--rate', '500'));
const webhookSeconds = Number(option('--webhook-seconds', '20'));
const step = (what: string) => console.error(`[load +${(performance.now() / 1000).toFixed(1)}s] ${what}`);

interface Row { readonly topology: string; readonly what: string; readonly n: number; readonly p50: number; readonly p99: number; readonly max: number; readonly failed: number; readonly seconds: number }
const rows: Row[] = [];

/** `members` Join clicks, evenly paced over `seconds`; each timed from dispatch to the bot's reply. */
async function joinClicks(fakes: Fakes, meetingId: string, topology: string): Promise<string[]> {
  const gap = (seconds * 1000) / members;
  const t0 = performance.now();
  const times: number[] = [];
  const links: string[] = new Array(members);
  let failed = 0;
  const clicks: Promise<void>[] = [];
  for (let i = 0; i < members; i++) {
    const wait = t0 + i * gap - performance.now();
    if (wait > 1) await sleep(wait);
    const member = { id: String(1_700_000_000_000_000_000n + BigInt(i)), username: `student${i}`, roles: [IDS.studentsRole] };
    const start = performance.now();
    clicks.push(fakes.discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member, name: 'kaltura', subcommand: 'join', options: { meeting: meetingId } }).reply().then(
      (reply) => { times.push(performance.now() - start); links[i] = new URL(linkButtonUrl(reply)).pathname; },
      () => void failed++,
    ));
  }
  await Promise.all(clicks);
  rows.push({ topology, what: `${members.toLocaleString('en')} Join clicks in ${seconds} s (interaction → reply with the link)`, n: times.length, p50: median(times), p99: percentile(times, 99), max: Math.max(...times), failed, seconds: (performance.now() - t0) / 1000 });
  return links.filter(Boolean);
}

/** Splits `requests` evenly over the instances and sends them at `perSecond` overall. */
async function spread(instances: readonly Served[], dir: string, requests: readonly object[], perSecond: number, connections: number): Promise<Load[]> {
  const parts = instances.map((_, k) => requests.filter((__, i) => i % instances.length === k));
  const each = Math.max(1, Math.round(perSecond / instances.length));
  // autocannon paces each connection at a whole number of requests per second (rounded down): use as
  // many connections as divide the rate, or 50 connections at 83/s would send 50/s.
  let c = Math.ceil(connections / instances.length);
  while (each % c !== 0) c--;
  return Promise.all(instances.map((s, k) => load(s.url, dir, parts[k]!, c, each)));
}

function record(topology: string, what: string, loads: Load[], expected: string) {
  const bad = loads.reduce((n, l) => n + Object.entries(l.statusCodes).filter(([c]) => c !== expected).reduce((m, [, v]) => m + v.count, 0) + l.errors, 0);
  // autocannon gives percentiles per run, in whole ms: with two instances the worse of the two is shown.
  rows.push({ topology, what, n: loads.reduce((n, l) => n + l.total, 0), p50: Math.max(...loads.map((l) => l.p50)), p99: Math.max(...loads.map((l) => l.p99)), max: Math.max(...loads.map((l) => l.max)), failed: bad, seconds: Math.max(...loads.map((l) => l.duration)) });
}

let job = 7_000_000;
function webhooks(fakes: Fakes, n: number): object[] {
  return Array.from({ length: n }, () => {
    const body = JSON.stringify({ object: { id: `0_${(job).toString(36)}`, name: `Upload ${job}`, status: 2, duration: 60, objectType: 'KalturaMediaEntry' }, eventObjectType: '1', eventNotificationJobId: job++, templateId: 4242, eventType: 3, objectType: 'KalturaHttpNotification' });
    const signature = createHash('sha256').update(fakes.kaltura.adminSecret + body).digest('hex');
    return { method: 'POST', path: '/webhooks/kaltura', headers: { 'content-type': 'application/json', 'x-kaltura-signature': signature, 'x-kaltura-hash-algo': 'sha256' }, body };
  });
}

async function run(topology: string, count: number, storage: (k: number) => string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kd-load-'));
  const fakes = await startFakes();
  const instances: Served[] = [];
  try {
    for (let k = 0; k < count; k++) {
      const port = await freePort();
      // One gateway session per database (a second gateway instance refuses to start): the others run
      // discord.mode http, as docs/scaling.md says several instances do; Join clicks reach the first.
      const http = k > 0 ? `  mode: http\n  publicKey: ${fakes.discord.verifyKey}\n` : '';
      instances.push(await serve([EXECUTABLE], dir, writeConfig(dir, fakes, port, storage(k), http), port));
      if (k === 0) await fakes.discord.waitForIdentify({ count: 1, timeoutMs: 20_000 });
    }
    step(`${topology}: ${count} instance(s) up`);
    const meetingId = await startMeeting(fakes.discord);
    const links = await joinClicks(fakes, meetingId, topology);
    step(`${topology}: ${links.length} links issued`);
    record(topology, `${links.length.toLocaleString('en')} GET /j/<link> at ${Math.round(members / seconds)}/s (verify, consume, mint KS, 302)`, await spread(instances, dir, links.map((p) => ({ method: 'GET', path: p })), members / seconds, 50), '302');
    step(`${topology}: links redeemed`);
    record(topology, `${(rate * webhookSeconds).toLocaleString('en')} webhooks at ${rate}/s (verify, dedupe, store, 200)`, await spread(instances, dir, webhooks(fakes, rate * webhookSeconds), rate, 20), '200');
    step(`${topology}: webhooks sent; RSS ${instances.map((s) => s.rssMiB().toFixed(0)).join(' + ')} MiB`);
  } finally {
    for (const s of instances) await s.stop();
    await fakes.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (only !== 'postgres') await run('1 instance, SQLite', 1, () => 'storage:\n  path: ./state.db\n');
if (only !== 'sqlite') {
  const provided: Record<string, string> = {};
  const teardown = await setupPostgres({ provide: (k: string, v: string) => void (provided[k] = v) } as never);
  try {
    if (!provided.postgresUrl) throw new Error(provided.postgresError);
    const admin = new pg.Client({ connectionString: provided.postgresUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE kd_load');
    await admin.end();
    const url = provided.postgresUrl.replace(/\/postgres$/, '/kd_load');
    await run('2 instances, PostgreSQL', 2, () => `storage:\n  driver: postgres\n  url: ${url}\n`);
  } finally {
    await teardown();
  }
}
console.log(`load shapes: ${members} members over ${seconds} s, webhooks ${rate}/s for ${webhookSeconds} s; ${os.cpus().length} cores shared with the load generator and the fakes; load ${os.loadavg()[0]!.toFixed(1)}`);
console.log(table(['topology', 'load', 'requests', 'p50 ms', 'p99 ms', 'max ms', 'failed', 'took s'], rows.map((r) => [r.topology, r.what, String(r.n), r.p50.toFixed(1), r.p99.toFixed(1), r.max.toFixed(0), String(r.failed), r.seconds.toFixed(1)])));
