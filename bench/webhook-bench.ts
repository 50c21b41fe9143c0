/**
 * Webhooks. (1) Intake: POST /webhooks/kaltura through the real app (signature check, parse,
 * de-duplication, SQLite insert, 200 before processing) against a bare node:http server that
 * reads the body and answers 200, interleaved; every request is a distinct, correctly signed
 * notification. (2) End-to-end delay: N recording-ready webhooks at once for N sessions of one
 * channel while the fake Discord enforces 5 messages per 5 s per channel, compared with the
 * earliest each message could arrive under that limit.
 *   npx tsx bench/webhook-bench.ts [requestsPerRun] [rounds] [burst]
 */
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { IDS, members, startHarness } from '../tests/e2e/meeting-harness';
import { median, percentile, table } from './stats';

const perRun = Number(process.argv[2] ?? 10_000);
const rounds = Number(process.argv[3] ?? 3);
const burst = Number(process.argv[4] ?? 15);
const here = path.dirname(fileURLToPath(import.meta.url));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kd-webhook-bench-'));
const h = await startHarness(dir);

// (1) Intake.
const bare = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"status":"accepted"}');
  });
});
await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
let job = 5_000_000;
function requestsFile(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    // An upload somewhere in the account: valid, signed, matching no session (the common case).
    const body = JSON.stringify({ object: { id: `0_${(job).toString(36)}`, name: `Upload ${job}`, status: 2, duration: 60, objectType: 'KalturaMediaEntry' }, eventObjectType: '1', eventNotificationJobId: job++, templateId: 4242, eventType: 3, objectType: 'KalturaHttpNotification' });
    const signature = createHash('sha256').update(h.kaltura.adminSecret + body).digest('hex');
    lines.push(JSON.stringify({ method: 'POST', path: '/webhooks/kaltura', headers: { 'content-type': 'application/json', 'x-kaltura-signature': signature, 'x-kaltura-hash-algo': 'sha256' }, body }));
  }
  const file = path.join(dir, `requests-${job}.jsonl`);
  fs.writeFileSync(file, lines.join('\n'));
  return file;
}
interface Load { rps: number; p50: number; p99: number; statusCodes: Record<string, { count: number }> }
async function load(url: string, file: string): Promise<Load> {
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(here, 'load-child.mjs'), JSON.stringify({ url, requestsFile: file, connections: 10 })], { maxBuffer: 1 << 24 });
  return JSON.parse(stdout) as Load;
}
const runs: Record<'bare' | 'intake', Load[]> = { bare: [], intake: [] };
for (let r = 0; r < rounds; r++) {
  const file = requestsFile(perRun);
  runs.bare.push(await load(bareUrl, file));
  runs.intake.push(await load(h.publicUrl, file));
  const codes = Object.keys(runs.intake.at(-1)!.statusCodes);
  if (codes.some((c) => c !== '200')) throw new Error(`intake answered ${codes.join(',')}`);
}
const row = (name: string, v: Load[]) => [name, median(v.map((x) => x.rps)).toFixed(0), median(v.map((x) => x.p50)).toFixed(1), median(v.map((x) => x.p99)).toFixed(1)];
console.log(`webhook intake: ${rounds} rounds x ${perRun} distinct signed notifications, 10 connections, ${os.cpus().length} cores, node ${process.version}`);
console.log(table(['server', 'req/s (median)', 'p50 ms', 'p99 ms'], [row('bare node:http 200 (baseline)', runs.bare), row('POST /webhooks/kaltura (verify, dedupe, store, 200)', runs.intake)]));
console.log(`ratio (baseline / intake req/s): ${(median(runs.bare.map((x) => x.rps)) / median(runs.intake.map((x) => x.rps))).toFixed(2)}`);

// (2) End-to-end delay under Discord's per-channel limit.
const cards: { id: string; resourceId: number }[] = [];
for (let i = 0; i < burst; i++) {
  const before = new Set(h.kaltura.store.resources.keys());
  await h.discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.host, name: 'kaltura', subcommand: 'start', options: { title: `Session ${i}` } }).reply();
  const card = h.discord.channelMessages(IDS.channel).filter((m) => !m.message_reference).at(-1)!;
  cards.push({ id: card.id, resourceId: [...h.kaltura.store.resources.keys()].find((k) => !before.has(k))! });
}
const WINDOW_MS = 5000;
const LIMIT = 5;
await new Promise((r) => setTimeout(r, WINDOW_MS + 500)); // a fresh window for the burst
h.discord.limitChannelMessages({ limit: LIMIT, windowMs: WINDOW_MS });
const entries = cards.map((c) => h.kaltura.addRecording(c.resourceId));
const t0 = performance.now();
await Promise.all(entries.map((entry, i) => h.kaltura.emitWebhook(`${h.publicUrl}/webhooks/kaltura`, { entry, eventType: 3, jobId: 9_000_000 + i }, { algo: 'sha256' })));
const arrived = new Map<string, number>();
while (arrived.size < cards.length && performance.now() - t0 < 120_000) {
  for (const m of h.discord.channelMessages(IDS.channel)) {
    const ref = m.message_reference?.message_id;
    if (ref && !arrived.has(ref)) arrived.set(ref, performance.now() - t0);
  }
  await new Promise((r) => setTimeout(r, 5));
}
const delays = [...arrived.values()].sort((a, b) => a - b);
const theory = delays.map((_, i) => Math.floor(i / LIMIT) * WINDOW_MS);
console.log(`\nend-to-end delay, ${burst} recording-ready webhooks at once, one channel, Discord limit ${LIMIT} messages / ${WINDOW_MS / 1000} s`);
console.log(table(['', 'first ms', 'median ms', 'last ms'], [
  ['measured (webhook sent -> message in Discord)', delays[0]!.toFixed(0), median(delays).toFixed(0), delays.at(-1)!.toFixed(0)],
  ['theoretical minimum under the limit', theory[0]!.toFixed(0), median(theory).toFixed(0), theory.at(-1)!.toFixed(0)],
]));
console.log(`delivered ${delays.length}/${burst}; last message ${(delays.at(-1)! - theory.at(-1)!).toFixed(0)} ms after the earliest possible; p99 gap ${percentile(delays.map((d, i) => d - theory[i]!), 99).toFixed(0)} ms`);

bare.close();
await h.close();
fs.rmSync(dir, { recursive: true, force: true });
