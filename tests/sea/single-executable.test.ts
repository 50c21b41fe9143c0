import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/index';
import { startFakeKaltura, type FakeKaltura } from '../fakes/kaltura/index';
import { EXAMPLE_ENV, GOOD } from '../helpers/config-fixtures';
import { startServe } from '../helpers/spawn-serve';

const BIN = path.resolve(process.env.SEA_BIN ?? path.join(__dirname, '../../dist/kaltura-discord'));
const run = promisify(execFile);
const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as { version: string };

/**
 * The built executable, copied into an empty folder and run with no Node.js on PATH and no
 * node_modules anywhere above it: what an operator downloads.
 */
describe('the single executable', () => {
  let dir: string;
  let exe: string;
  let env: NodeJS.ProcessEnv;
  let discord: FakeDiscord;
  let kaltura: FakeKaltura;
  beforeAll(async () => {
    discord = await startFakeDiscord({ applicationId: GOOD.applicationId, token: GOOD.token, guilds: [] });
    kaltura = await startFakeKaltura({ adminSecret: GOOD.adminSecret });
    if (!fs.existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run package\` first`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kd-sea-'));
    exe = path.join(dir, 'kaltura-discord');
    fs.copyFileSync(BIN, exe);
    fs.chmodSync(exe, 0o755);
    fs.copyFileSync(path.join(__dirname, '../../kaltura-discord.example.yaml'), path.join(dir, 'example.yaml'));
    fs.chmodSync(path.join(dir, 'example.yaml'), 0o600);
    const emptyBin = path.join(dir, 'empty-bin');
    fs.mkdirSync(emptyBin);
    env = { PATH: emptyBin, HOME: dir }; // no node, no NODE_OPTIONS, no XDG dirs
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await discord.close();
    await kaltura.close();
  });

  it('prints its version, commit, embedded Node.js and platform quickly and cleanly', async () => {
    const { stdout, stderr } = await run(exe, ['--version'], { cwd: dir, env });
    expect(stdout).toMatch(new RegExp(`^kaltura-discord ${pkg.version.replace(/\./g, '\\.')} \\(commit ([0-9a-f]{4,40}|unknown)\\)\nNode\\.js v24\\.\\d+\\.\\d+ on linux-x64\n$`));
    expect(stderr).toBe('');
  });

  it('validates the example configuration with the secrets given through the environment', async () => {
    const { stdout, stderr } = await run(exe, ['--config', 'example.yaml', 'config', 'validate'], { cwd: dir, env: { ...env, ...EXAMPLE_ENV } });
    expect(stdout).toBe(`ok: ${path.join(dir, 'example.yaml')} is valid\n`);
    expect(stderr).toBe('');
    const failure = await run(exe, ['--config', 'example.yaml', 'config', 'validate'], { cwd: dir, env }).catch((e: { code: number; stderr: string }) => e);
    expect(failure).toMatchObject({ code: 78, stderr: expect.stringContaining('references ${DISCORD_TOKEN}, which is not set in the environment') });
  });

  it('init --non-interactive, then serve answers /healthz and /readyz and exits 0 on SIGTERM', async () => {
    // init checks the token and the Kaltura credentials online, here against the fakes.
    const init = await run(exe, ['init', '--non-interactive', '--discord-token', GOOD.token, '--discord-api-base-url', discord.apiBaseUrl,
      '--partner-id', String(kaltura.partnerId), '--admin-secret', GOOD.adminSecret, '--service-url', kaltura.url, '--kaf-url', kaltura.kafUrl,
      '--public-url', 'https://bot.example.org', '--listen', '127.0.0.1:0'], { cwd: dir, env });
    expect(init.stderr).toContain(`(${GOOD.applicationId})`);
    expect(init.stderr).not.toContain('warning');
    expect(fs.statSync(path.join(dir, 'kaltura-discord.yaml')).mode & 0o777).toBe(0o600);
    // NODE_OPTIONS must not inject code into the service (execArgvExtension: none).
    fs.writeFileSync(path.join(dir, 'inject.js'), 'require("fs").writeFileSync(__dirname + "/injected", "yes")');
    const serve = await startServe([], { cwd: dir, env: { ...env, NODE_OPTIONS: `--require ${path.join(dir, 'inject.js')}` }, command: exe });
    try {
      expect((await fetch(`${serve.url}/healthz`)).status).toBe(200);
      let ready = await fetch(`${serve.url}/readyz`);
      for (let i = 0; ready.status !== 200 && i < 100; i++) {
        await new Promise((r) => setTimeout(r, 50));
        ready = await fetch(`${serve.url}/readyz`);
      }
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready', checks: { database: { ok: true }, discord: { ok: true } } });
      // Each /readyz prepares a SQLite statement that becomes garbage (better-sqlite3 12 under the embedded
      // Node 24 aborted when one was collected; scripts/package.mjs checks that deterministically with
      // --expose-gc). A few thousand of them here as a smoke test.
      for (let i = 0; i < 40; i++) await Promise.all(Array.from({ length: 100 }, () => fetch(`${serve.url}/readyz`).then((r) => r.arrayBuffer())));
      expect(serve.child.exitCode).toBeNull();
      expect((await fetch(`${serve.url}/healthz`)).status).toBe(200);
    } finally {
      expect(await serve.stop('SIGTERM')).toBe(0);
    }
    expect(fs.existsSync(path.join(dir, 'injected'))).toBe(false);
    const lines = serve.stderr().trim().split('\n');
    expect(lines.every((l) => l.startsWith('{'))).toBe(true); // only our JSON log lines: no runtime warnings
    expect(lines.at(-1)).toContain('stopped cleanly');
    expect(fs.existsSync(path.join(dir, 'data', 'kaltura-discord.db'))).toBe(true);
  });

  it('extracts its SQLite addon into a private cache and refuses a planted impostor of the same size', async () => {
    const cache = path.join(dir, '.cache', 'kaltura-discord'); // HOME=dir, no XDG_CACHE_HOME
    const [folder] = fs.readdirSync(cache).filter((f) => f.startsWith('better-sqlite3-'));
    expect(folder).toBeDefined();
    const addon = path.join(cache, folder!, 'better_sqlite3.node');
    expect(fs.statSync(cache).mode & 0o777).toBe(0o700);
    const size = fs.statSync(addon).size;
    fs.chmodSync(addon, 0o700);
    fs.writeFileSync(addon, Buffer.alloc(size, 0x90)); // another build, or an attacker's library
    const doctor = await run(exe, ['doctor', '--json', '--timeout', '2'], { cwd: dir, env }).catch((e: { stdout: string }) => e);
    const database = (JSON.parse(doctor.stdout) as { checks: { id: string; status: string; detail: string }[] }).checks.find((c) => c.id === 'database');
    expect(database).toMatchObject({ status: 'fail', detail: expect.stringMatching(/^refusing to load .*better_sqlite3\.node: its SHA-256 .* is not that of the addon built into this executable/) });
    fs.rmSync(addon);
  });
});
