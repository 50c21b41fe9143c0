import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blackHole } from '../../helpers/black-hole';
import { commentedConfig } from '../../helpers/config-fixtures';
import { runCli } from '../../helpers/run-cli';
import { spawnCli } from '../../helpers/spawn-serve';
import { useTempDirs } from '../../helpers/temp-dir';

describe('doctor against services that accept and never answer', () => {
  const tempDir = useTempDirs();
  let hole: Awaited<ReturnType<typeof blackHole>>;
  beforeAll(async () => {
    hole = await blackHole();
  });
  afterAll(() => hole.close());

  function configDir(): string {
    const cwd = tempDir();
    const text = commentedConfig()
      .replace('discord:\n', `discord:\n  apiBaseUrl: ${hole.url}/api\n`)
      .replace('  serviceUrl: https://www.kaltura.com', `  serviceUrl: ${hole.url}\n  kafUrl: ${hole.url}/kaf`)
      .replace('publicUrl: https://bot.example.org', `publicUrl: ${hole.url}`);
    fs.writeFileSync(path.join(cwd, 'kaltura-discord.yaml'), text, { mode: 0o600 });
    return cwd;
  }

  it('runs the checks in parallel, each bounded by --timeout, and says what was not verified', async () => {
    const started = Date.now();
    const r = await runCli(['doctor', '--timeout', '1'], { cwd: configDir() });
    const elapsed = Date.now() - started;
    expect(r.code).toBe(1);
    // every online check waited at most its own second, side by side (sequentially: 7+ s)
    expect(elapsed).toBeLessThan(4_000);
    expect(r.stdout).toMatch(/^\[FAIL\] Discord bot token: .*no answer within 1 s/m);
    expect(r.stdout).toMatch(/^\[FAIL\] Public URL reaches the bot: .*no answer/m);
    expect(r.stdout).toMatch(/^\[WARN\] Slash commands registered: not checked: no working bot token/m);
    expect(r.stdout).toMatch(/^\[FAIL\] Kaltura API reachable: /m);
    expect(r.stdout).not.toMatch(/^\[ok {2}\] (Discord|Kaltura API|Public URL)/m);
    const summary = /^not verified: (.*)$/m.exec(r.stdout)?.[1] ?? '';
    for (const title of ['Discord bot token', 'Slash commands registered', 'Public URL reaches the bot', 'Clock', 'Kaltura API reachable']) expect(summary).toContain(title);
    const json = JSON.parse((await runCli(['doctor', '--json', '--timeout', '1'], { cwd: configDir() })).stdout) as { ok: boolean; notVerified: string[] };
    expect(json.ok).toBe(false);
    expect(json.notVerified).toEqual(expect.arrayContaining(['Discord bot token', 'Public URL reaches the bot', 'Kaltura API reachable']));
  });

  it('rejects a --timeout that is not a number of seconds', async () => {
    const r = await runCli(['doctor', '--timeout', 'soon'], { cwd: configDir() });
    expect(r).toMatchObject({ code: 2, stderr: 'error: --timeout: "soon" is not a number of seconds between 1 and 120\n' });
  });

  it('the process itself exits soon after the deadline (nothing is left waiting)', async () => {
    const child = spawnCli(['doctor', '--timeout', '2'], { cwd: configDir() });
    let stdout = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    const started = Date.now();
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    // 2 s per check; the slowest chain (token, then nothing) plus start-up stays far below the old ~51 s
    expect(Date.now() - started).toBeLessThan(9_000);
    expect(code).toBe(1);
    expect(stdout).toContain('not verified: ');
  }, 20_000);
});
