import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/index';
import { startFakeKaltura, type FakeKaltura } from '../fakes/kaltura/index';
import { GOOD } from '../helpers/config-fixtures';
import { startServe } from '../helpers/spawn-serve';

const BIN = path.resolve(process.env.SEA_BIN ?? path.join(__dirname, '../../dist/kaltura-discord'));
const run = promisify(execFile);

/**
 * The Watch Together Activity's web client is inside the executable (SEA assets, scripts/package.mjs):
 * copied alone into an empty folder — no dist/activity anywhere near it — it still serves the client.
 */
describe('the single executable serves the Activity client it embeds', () => {
  let dir: string;
  let discord: FakeDiscord;
  let kaltura: FakeKaltura;
  beforeAll(async () => {
    if (!fs.existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run package\` first`);
    discord = await startFakeDiscord({ applicationId: GOOD.applicationId, token: GOOD.token, guilds: [] });
    kaltura = await startFakeKaltura({ adminSecret: GOOD.adminSecret });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kd-sea-activity-'));
    fs.copyFileSync(BIN, path.join(dir, 'kaltura-discord'));
    fs.chmodSync(path.join(dir, 'kaltura-discord'), 0o755);
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await discord?.close();
    await kaltura?.close();
  });

  it('GET /activity/ has the application id filled in, and every file it references is served, hashed ones cacheable for ever', async () => {
    const exe = path.join(dir, 'kaltura-discord');
    const env = { PATH: path.join(dir, 'no-bin'), HOME: dir };
    await run(exe, ['init', '--non-interactive', '--discord-token', GOOD.token, '--discord-api-base-url', discord.apiBaseUrl, '--client-secret', discord.clientSecret,
      '--partner-id', String(kaltura.partnerId), '--admin-secret', GOOD.adminSecret, '--service-url', kaltura.url, '--kaf-url', kaltura.kafUrl,
      '--public-url', 'https://bot.example.org', '--listen', '127.0.0.1:0'], { cwd: dir, env });
    expect(fs.readdirSync(dir).some((f) => f === 'activity' || f === 'dist')).toBe(false);
    const serve = await startServe([], { cwd: dir, env, command: exe });
    try {
      const index = await fetch(`${serve.url}/activity/`);
      expect(index.status).toBe(200);
      expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const html = await index.text();
      expect(html).toContain(`<meta name="kd-client-id" content="${GOOD.applicationId}">`);
      const refs = [...html.matchAll(/(?:src|href)="(assets\/[^"]+)"/g)].map((m) => m[1]!);
      expect(refs.map((r) => r.replace(/-[A-Z0-9]{8}\./, '-HASH.')).sort()).toEqual(['assets/main-HASH.js', 'assets/styles-HASH.css']);
      for (const ref of refs) {
        const res = await fetch(`${serve.url}/activity/${ref}`);
        expect(res.status, ref).toBe(200);
        expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
        expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(1000);
      }
    } finally {
      expect(await serve.stop('SIGTERM')).toBe(0);
    }
    expect(serve.stderr()).not.toContain('Watch together is unavailable');
  }, 60_000);
});
