/**
 * Kaltura adapter benchmarks: `npx tsx bench/kaltura-bench.ts`
 * 1. Local KS v2 generation per second on one core (what a join link costs with an admin secret).
 * 2. Round trip of one API call (media.get) through kaltura-client and our transport, against
 *    the fake Kaltura on 127.0.0.1, with a bare node:http POST of the same body as the baseline.
 *    Both run interleaved in the same process, so the difference is the client's overhead.
 */
import http from 'node:http';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../src/core/logger';
import { createKalturaContext } from '../src/kaltura/kaltura-context';
import { generateKsV2 } from '../src/kaltura/ks-v2';
import { buildRoomPrivileges } from '../src/kaltura/privileges';
import { startFakeKaltura } from '../tests/fakes/kaltura/index';

const silent: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, fatal() {}, child: () => silent };

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
const ms = (n: number) => `${n.toFixed(3)} ms`;

function benchKs(durationMs: number): number {
  const secret = 'abcdef0123456789abcdef0123456789';
  const privileges = buildRoomPrivileges({ eventId: 3371011, role: 'attendee', displayName: 'Max Mustermann' });
  let n = 0;
  const end = performance.now() + durationMs;
  while (performance.now() < end) {
    for (let i = 0; i < 100; i++) generateKsV2({ adminSecret: secret, partnerId: 1234567, userId: `discord_${n + i}`, type: 0, expiresAt: 1893456000, privileges });
    n += 100;
  }
  return (n / durationMs) * 1000;
}

function barePost(agent: http.Agent, url: URL, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', accept: 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve());
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function benchRoundTrip(iterations: number) {
  const fake = await startFakeKaltura();
  const ctx = createKalturaContext({
    config: { partnerId: fake.partnerId, adminSecret: fake.adminSecret, serviceUrl: fake.url, kafUrl: fake.kafUrl, requestTimeout: 10_000, search: 'list' },
    logger: silent,
  });
  const entry = fake.addEntry({ name: 'bench entry', duration: 60 });
  const ks = await ctx.sessions.adminKs();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(`${fake.url}/api_v3/service/media/action/get`);
  const body = JSON.stringify({ entryId: entry.id, version: -1, format: 1, apiVersion: '21.20.0', clientTag: 'kaltura-discord', ks });
  const viaClient = () => ctx.call({ service: 'media', action: 'get', kind: 'read', build: (s) => s.media.get(entry.id), parse: (raw) => raw });
  const client: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < 300; i++) {
    await viaClient();
    await barePost(agent, url, body);
  }
  for (let i = 0; i < iterations; i++) {
    // keep the fake's request log from growing without bound during the run
    fake.requests.length = 0;
    let t = performance.now();
    await viaClient();
    client.push(performance.now() - t);
    t = performance.now();
    await barePost(agent, url, body);
    bare.push(performance.now() - t);
  }
  ctx.transport.close();
  agent.destroy();
  await fake.close();
  const summary = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return { median: quantile(s, 0.5), p99: quantile(s, 0.99), mean: xs.reduce((a, b) => a + b, 0) / xs.length };
  };
  return { client: summary(client), bare: summary(bare) };
}

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`node ${process.version}, ${cpu}, ${os.cpus().length} cores`);
const ksPerSecond = benchKs(3000);
console.log(`KS v2 generation (one core, room privileges): ${Math.round(ksPerSecond).toLocaleString('en-US')} KS/s (${ms(1000 / ksPerSecond)} each)`);
const iterations = 3000;
const rt = await benchRoundTrip(iterations);
console.log(`media.get round trip to the fake, ${iterations} sequential calls each:`);
console.log(`  kaltura-client + transport: median ${ms(rt.client.median)}, p99 ${ms(rt.client.p99)}, mean ${ms(rt.client.mean)}`);
console.log(`  bare node:http POST:        median ${ms(rt.bare.median)}, p99 ${ms(rt.bare.p99)}, mean ${ms(rt.bare.mean)}`);
console.log(`  client overhead (median):   ${ms(rt.client.median - rt.bare.median)}`);
