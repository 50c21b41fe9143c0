/**
 * Cold start: process spawn -> first 200 from GET /healthz, and `--version` start-to-exit, for
 * the single executable, the same bundle on the development Node, and a bare node:http server
 * that answers /healthz (the floor any Node program pays), interleaved in one run.
 *   npm run package && npx tsx bench/startup-bench.ts [rounds]
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, percentile, table } from './stats';
import { GOOD } from '../tests/helpers/config-fixtures';

const root = fileURLToPath(new URL('..', import.meta.url));
const rounds = Number(process.argv[2] ?? 15);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kd-bench-'));
const token = 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.GhIjKl.abcdefghijklmnopqrstuvwxyz0123';
fs.writeFileSync(path.join(dir, 'kaltura-discord.yaml'), `discord: {token: ${token}, applicationId: "1100000000000000001"}
kaltura: {partnerId: 1, adminSecret: abcdef0123456789abcdef0123456789}
http: {listen: "127.0.0.1:0", publicUrl: "https://bot.example.org"}
links: {secret: ${GOOD.linkSecret}}
logging: {format: json}
`, { mode: 0o600 });
const bare = path.join(dir, 'bare.cjs');
fs.writeFileSync(bare, `require('node:http').createServer((q, s) => s.end('{"status":"ok"}')).listen(0, '127.0.0.1', function () { console.error('listening on http://127.0.0.1:' + this.address().port + ' '); });`);

const variants: Record<string, string[]> = {
  'bare node:http server (baseline)': [process.execPath, bare],
  'bundle on dev Node': [process.execPath, path.join(root, 'dist/app.cjs'), 'serve'],
  'single executable': [path.join(root, 'dist/kaltura-discord'), 'serve'],
};

async function coldStart(cmd: string[]): Promise<{ ms: number; rssMiB: number }> {
  const t0 = performance.now();
  const child = spawn(cmd[0]!, cmd.slice(1), { cwd: dir, env: { PATH: process.env.PATH, HOME: dir }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (c: Buffer) => { err += c; const m = /listening on (http:\/\/[0-9.:]+)/.exec(err); if (m) resolve(m[1]!); });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
  for (;;) {
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 2));
  }
  const ms = performance.now() - t0;
  const rss = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return { ms, rssMiB: Number(rss) / 1024 };
}

function versionTime(cmd: string[]): number {
  const t0 = performance.now();
  spawnSync(cmd[0]!, [...cmd.slice(1, -1).filter((a) => a !== 'serve'), '--version'], { stdio: 'ignore' });
  return performance.now() - t0;
}

const results: Record<string, { ms: number[]; rss: number[]; version: number[] }> = {};
for (const name of Object.keys(variants)) results[name] = { ms: [], rss: [], version: [] };
await coldStart(variants['single executable']!); // warm the addon cache once, as a second start would find it
for (let i = 0; i < rounds; i++) {
  for (const [name, cmd] of Object.entries(variants)) {
    const r = await coldStart(cmd);
    results[name]!.ms.push(r.ms);
    results[name]!.rss.push(r.rssMiB);
    if (name !== 'bare node:http server (baseline)') results[name]!.version.push(versionTime([...cmd, 'x']));
  }
}
const base = median(results['bare node:http server (baseline)']!.ms);
console.log(`cold start to first /healthz, ${rounds} interleaved rounds, ${os.cpus().length} cores, node ${process.version}`);
console.log(table(['variant', 'median ms', 'p90 ms', 'x baseline', 'RSS MiB (median)', '--version median ms'], Object.entries(results).map(([name, r]) => [
  name, median(r.ms).toFixed(0), percentile(r.ms, 90).toFixed(0), (median(r.ms) / base).toFixed(2), median(r.rss).toFixed(1), r.version.length ? median(r.version).toFixed(0) : '—',
])));
console.log(`single executable size: ${(fs.statSync(path.join(root, 'dist/kaltura-discord')).size / 1048576).toFixed(1)} MiB`);
fs.rmSync(dir, { recursive: true, force: true });
