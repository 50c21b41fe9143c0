/**
 * Join-link redemption under load: GET /j/<token> through the real h3 app, meeting service,
 * SQLite single-use ledger and local KS minting, against a bare node:http server answering
 * the same 302 — interleaved in one run. Every request carries a fresh token (links are
 * single use), issued before the measurement. The load generator (autocannon) runs in a
 * child process.   npx tsx bench/join-bench.ts [requestsPerRun] [rounds]
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { createMeetingService, policyFromConfig } from '../src/core/meetings/create-meeting-service';
import { createKaltura } from '../src/kaltura/create-kaltura';
import { createHttpApp } from '../src/http/create-http-app';
import { joinRoutes } from '../src/http/join-routes';
import { startHttpServer } from '../src/http/start-http-server';
import { createLogger } from '../src/logging/create-logger';
import { migrateDatabase } from '../src/store/migrate-database';
import { migrations } from '../src/store/migrations/index';
import { createJoinLedger, createMeetingRepo } from '../src/store/meeting-store';
import { openDatabase } from '../src/store/open-database';
import { startFakeKaltura } from '../tests/fakes/kaltura/index';
import { median, table } from './stats';

const perRun = Number(process.argv[2] ?? 20_000);
const rounds = Number(process.argv[3] ?? 3);
const connections = 10;
const here = path.dirname(fileURLToPath(import.meta.url));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kd-join-bench-'));

const kaltura = await startFakeKaltura();
const logger = createLogger({ level: 'error', format: 'json', secrets: [], destination: { write: () => undefined } });
const db = openDatabase(path.join(dir, 'bench.db'));
migrateDatabase(db, migrations, 'bench.db');
const adapter = createKaltura({
  config: { partnerId: kaltura.partnerId, adminSecret: kaltura.adminSecret, serviceUrl: kaltura.url, kafUrl: kaltura.kafUrl, requestTimeout: 5000, search: 'list' },
  logger,
});
const cards = { post: async () => '1900000000000000001', update: async () => undefined };
const policy = policyFromConfig({ roles: { moderatorRoleIds: [] }, permissions: { startMeetings: 'everyone', starterRoleIds: [] }, meetings: { kind: 'meeting', durationMinutes: 600, record: false } });
let publicUrl = 'http://127.0.0.1';
const service = createMeetingService({
  repo: createMeetingRepo(db), ledger: createJoinLedger(db), provider: adapter.meetings, members: adapter.members, cards,
  access: { permissionsIn: () => 1n << 10n }, // every member sees every channel
  policyFor: policy, clock: { now: () => Date.now() }, logger, links: { secret: 'bench-link-secret-0123456789abcdef0123456789', ttlMs: 3_600_000, get publicUrl() { return publicUrl; } },
});
const app = createHttpApp({ logger, routes: [joinRoutes({ redeem: (t) => service.redeemJoinLink(t), logger, linkTtlMs: 3_600_000 })] });
const server = await startHttpServer(app, '127.0.0.1', 0);
publicUrl = server.url;

const host = { id: '1500000000000000001', displayName: 'Host', roleIds: [], permissions: 0n };
const meeting = await service.start(host, { guildId: '1200000000000000001', channelId: '1300000000000000001', title: 'Bench', durationMinutes: 600 });
const members = Array.from({ length: 200 }, (_, i) => ({ id: String(1600000000000000000n + BigInt(i)), displayName: `Member ${i}`, roleIds: [], permissions: 0n }));

// The baseline: the same 302 (same Location length and headers) from a bare node:http server.
const sampleLocation = (await fetch(`${server.url}${new URL((await service.issueJoinLink(members[0]!, meeting.guildId, meeting.id)).url).pathname}`, { redirect: 'manual' })).headers.get('location')!;
const bare = http.createServer((_req, res) => {
  res.writeHead(302, { location: sampleLocation, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
  res.end();
});
await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;

async function issuePaths(n: number): Promise<string> {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(JSON.stringify({ method: 'GET', path: new URL((await service.issueJoinLink(members[i % members.length]!, meeting.guildId, meeting.id)).url).pathname }));
  const file = path.join(dir, `paths-${Date.now()}.txt`);
  fs.writeFileSync(file, lines.join('\n'));
  return file;
}

interface Load { rps: number; p50: number; p99: number; non2xx: number; statusCodes: Record<string, { count: number }>; total: number }
/** Async on purpose: the servers under test live in this process and must keep answering. */
async function load(url: string, pathsFile: string): Promise<Load> {
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(here, 'load-child.mjs'), JSON.stringify({ url, requestsFile: pathsFile, connections })], { maxBuffer: 1 << 24 });
  return JSON.parse(stdout) as Load;
}

const results: Record<string, Load[]> = { bare: [], join: [] };
for (let r = 0; r < rounds; r++) {
  const paths = await issuePaths(perRun);
  results.bare!.push(await load(bareUrl, paths));
  results.join!.push(await load(server.url, paths));
  const codes = results.join!.at(-1)!.statusCodes;
  if (Object.keys(codes).some((c) => c !== '302')) throw new Error(`redemption answered ${JSON.stringify(codes)}`);
}
const row = (name: string, runs: Load[]) => [name, median(runs.map((x) => x.rps)).toFixed(0), median(runs.map((x) => x.p50)).toFixed(2), median(runs.map((x) => x.p99)).toFixed(2)];
console.log(`join-link redemption: ${rounds} rounds x ${perRun} requests, ${connections} connections, ${os.cpus().length} cores, node ${process.version}`);
console.log(table(['server', 'req/s (median)', 'p50 ms', 'p99 ms'], [row('bare node:http 302 (baseline)', results.bare!), row('GET /j/<token> (verify, consume, mint KS, 302)', results.join!)]));
console.log(`ratio (baseline req/s / redemption req/s): ${(median(results.bare!.map((x) => x.rps)) / median(results.join!.map((x) => x.rps))).toFixed(2)}`);

await server.close();
bare.close();
await adapter.close();
db.close();
await kaltura.close();
fs.rmSync(dir, { recursive: true, force: true });
