import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, closeDatabase } from '../../src/store/open-database';
import { getAppMeta } from '../../src/store/app-meta';
import { schemaVersion } from '../../src/store/migrate-database';
import { migrations } from '../../src/store/migrations/index';
import { commentedConfig, GOOD } from '../helpers/config-fixtures';
import { spawnCli, startServe, type ServeProcess } from '../helpers/spawn-serve';
import { useTempDirs } from '../helpers/temp-dir';
import { useFakeServices } from '../helpers/use-fake-services';

describe('kaltura-discord serve (the bundled CLI as a real process)', () => {
  const tempDir = useTempDirs();
  const running: ServeProcess[] = [];
  const fakes = useFakeServices();
  afterEach(async () => {
    for (const p of running.splice(0)) await p.stop('SIGKILL');
  });

  /** A config pointing at the fakes, as an operator would point it at a proxy. */
  function setup(options: { discordApi?: string } = {}) {
    const cwd = tempDir();
    const text = commentedConfig({ listen: '127.0.0.1:0' })
      .replace('discord:\n', `discord:\n  apiBaseUrl: ${options.discordApi ?? fakes.discord.apiBaseUrl}\n`)
      .replace('  serviceUrl: https://www.kaltura.com', `  serviceUrl: ${fakes.kaltura.url}\n  kafUrl: ${fakes.kaltura.kafUrl}`);
    fs.writeFileSync(path.join(cwd, 'kaltura-discord.yaml'), text, { mode: 0o600 });
    return cwd;
  }

  async function readyz(url: string): Promise<{ status: number; body: unknown }> {
    for (let i = 0; ; i++) {
      const res = await fetch(`${url}/readyz`);
      const body: unknown = await res.json();
      if (res.status === 200 || i > 100) return { status: res.status, body };
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`answers /healthz and /readyz, then exits 0 on ${signal} with the database closed and checkpointed`, async () => {
      const cwd = setup();
      const serve = await startServe([], { cwd });
      running.push(serve);
      const health = await fetch(`${serve.url}/healthz`);
      expect(health.status).toBe(200);
      expect(health.headers.get('cache-control')).toBe('no-store');
      expect(await health.json()).toMatchObject({ status: 'ok', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
      const ready = await readyz(serve.url); // once the gateway is connected
      expect(ready).toEqual({ status: 200, body: { status: 'ready', checks: { database: { ok: true }, discord: { ok: true } } } });
      expect((await fetch(`${serve.url}/no-such-page`)).status).toBe(404);

      expect(await serve.stop(signal)).toBe(0);
      const db = path.join(cwd, 'data', 'kd.db');
      expect(fs.statSync(db).mode & 0o777).toBe(0o600);
      expect(fs.existsSync(`${db}-wal`) ? fs.statSync(`${db}-wal`).size : 0).toBe(0);
      const handle = openDatabase(db, { readonly: true });
      expect(schemaVersion(handle)).toBe(migrations.length);
      expect(getAppMeta(handle, 'last_version')).toMatch(/^\d+\.\d+\.\d+/);
      closeDatabase(handle);

      const log = serve.stderr();
      const lines = log.trim().split('\n').map((l) => JSON.parse(l) as { msg: string; level: number });
      expect(lines.filter((l) => l.msg.startsWith('listening on'))).toHaveLength(1);
      expect(lines.at(-1)).toMatchObject({ msg: 'stopped cleanly', level: 30 });
      for (const secret of [GOOD.token, GOOD.adminSecret, GOOD.linkSecret]) expect(log).not.toContain(secret);
      expect(serve.stdout()).toBe('');
    });
  }

  it('stays alive while Discord cannot be reached, and /readyz says so', async () => {
    const serve = await startServe([], { cwd: setup({ discordApi: 'http://127.0.0.1:1/api' }) });
    running.push(serve);
    expect((await fetch(`${serve.url}/healthz`)).status).toBe(200);
    const res = await fetch(`${serve.url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'not ready', reason: expect.stringMatching(/^discord: gateway (connecting|stopped)/) });
    expect(await serve.stop('SIGTERM')).toBe(0);
  });

  it('exits with a clear message when Discord rejects the bot token', async () => {
    const cwd = setup();
    const file = path.join(cwd, 'kaltura-discord.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(GOOD.token, 'MTk5OTk5OTk5OTk5OTk5OTk5OQ.XxXxXx.000000000000000000000000000'));
    const child = spawnCli(['serve'], { cwd });
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(1);
    expect(err).toContain('error: Discord rejected the bot token; reset it in the Developer Portal');
    expect(err).not.toContain('MTk5OTk5');
  });

  it('refuses to start on an invalid configuration: exit 78, one line per problem, no stack trace', async () => {
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, 'kaltura-discord.yaml'), commentedConfig().replace('  ttl: 5m', '  tll: 5m').replace(/  token: .*\n/, ''));
    const child = spawnCli(['serve'], { cwd });
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(78);
    expect(err).toContain('error: invalid configuration, 2 problems:');
    expect(err).toMatch(/discord\.token: is required but missing/);
    expect(err).toMatch(/links\.tll: unknown key "tll"; did you mean "ttl"\?/);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('refuses to start on a database from a newer release, naming the file and what to do', async () => {
    const cwd = setup();
    const dbFile = path.join(cwd, 'data', 'kd.db');
    const db = openDatabase(dbFile);
    db.pragma('user_version = 999');
    closeDatabase(db);
    const child = spawnCli(['serve'], { cwd });
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(1);
    expect(err).toContain(`error: ${dbFile} was written by a newer kaltura-discord (schema 999;`);
  });

  it('says clearly when the listen address is taken', async () => {
    const cwd = setup();
    const first = await startServe([], { cwd });
    running.push(first);
    const port = new URL(first.url).port;
    const second = tempDir();
    fs.writeFileSync(path.join(second, 'kaltura-discord.yaml'), commentedConfig({ listen: `127.0.0.1:${port}` }));
    const child = spawnCli(['serve'], { cwd: second });
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(1);
    expect(err).toContain(`error: cannot listen on 127.0.0.1:${port}: the address is already in use`);
  });
});
