import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../../src/version';
import { startFakeDiscord, type FakeDiscord } from '../../fakes/discord/index';
import { startFakeKaltura, type FakeKaltura } from '../../fakes/kaltura/index';
import { commentedConfig, GOOD } from '../../helpers/config-fixtures';
import { runCli } from '../../helpers/run-cli';
import { useTempDirs } from '../../helpers/temp-dir';

interface Check { id: string; status: 'ok' | 'warn' | 'fail'; detail: string; fix?: string }
const PORTAL_URL = 'https://example.org/interactions';

/**
 * The Developer Portal's Interactions Endpoint URL turns gateway delivery off: `init` and `doctor`
 * read it from `GET /applications/@me` and stop with the fix. Every raw request they make to
 * Discord carries `User-Agent: DiscordBot (url, version)`; this fake blocks any that does not.
 */
describe('portal Interactions Endpoint URL and the User-Agent of raw Discord requests', () => {
  const tempDir = useTempDirs();
  let discord: FakeDiscord;
  let kaltura: FakeKaltura;
  beforeAll(async () => {
    discord = await startFakeDiscord({ applicationId: GOOD.applicationId, token: GOOD.token, requireUserAgent: true, guilds: [{ id: '1200000000000000001', name: 'Campus' }] });
    kaltura = await startFakeKaltura({ adminSecret: GOOD.adminSecret });
  });
  afterAll(async () => {
    await discord.close();
    await kaltura.close();
  });

  function configDir(): string {
    const cwd = tempDir();
    const text = commentedConfig()
      .replace('discord:\n', `discord:\n  apiBaseUrl: ${discord.apiBaseUrl}\n`)
      .replace('serviceUrl: https://www.kaltura.com', `serviceUrl: ${kaltura.url}\n  kafUrl: ${kaltura.kafUrl}`);
    fs.writeFileSync(path.join(cwd, 'kaltura-discord.yaml'), text, { mode: 0o600 });
    return cwd;
  }
  const doctor = async (cwd: string) => {
    const r = await runCli(['doctor', '--json'], { cwd });
    return (JSON.parse(r.stdout) as { checks: Check[] }).checks;
  };

  it('doctor fails the Discord check with the fix while the portal has an endpoint URL, and passes once it is cleared', async () => {
    const cwd = configDir();
    discord.setInteractionsEndpointUrl(PORTAL_URL);
    const token = (await doctor(cwd)).find((c) => c.id === 'discord.token')!;
    expect(token.status).toBe('fail');
    expect(token.detail).toContain(`Interactions Endpoint URL set (${PORTAL_URL})`);
    expect(token.fix).toMatch(/General Information, clear "Interactions Endpoint URL"/);

    discord.setInteractionsEndpointUrl(null);
    expect((await doctor(cwd)).find((c) => c.id === 'discord.token')).toMatchObject({ status: 'ok' });
  });

  it('init stops with the fix while the portal has an endpoint URL', async () => {
    discord.setInteractionsEndpointUrl(PORTAL_URL);
    try {
      const cwd = tempDir();
      const r = await runCli(['init', '--non-interactive', '--discord-token', GOOD.token, '--partner-id', String(kaltura.partnerId), '--admin-secret', GOOD.adminSecret,
        '--public-url', 'https://bot.example.org', '--discord-api-base-url', discord.apiBaseUrl, '--service-url', kaltura.url, '--kaf-url', kaltura.kafUrl], { cwd });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(`Interactions Endpoint URL set (${PORTAL_URL})`);
      expect(r.stderr).toMatch(/fix: in the Developer Portal .* clear "Interactions Endpoint URL"/);
      expect(fs.existsSync(path.join(cwd, 'kaltura-discord.yaml'))).toBe(false);
    } finally {
      discord.setInteractionsEndpointUrl(null);
    }
  });

  it('every request doctor and init made carried a DiscordBot User-Agent with this version (none was blocked)', () => {
    const raw = discord.requests.filter((r) => !r.userAgent?.includes('discord.js'));
    expect(raw.length).toBeGreaterThan(5);
    for (const r of raw) {
      expect(r.userAgent, `${r.method} ${r.path}`).toMatch(new RegExp(`^DiscordBot \\(https://[^,]+, ${VERSION.replace(/\./g, '\\.')}\\)$`));
      expect(r.status, `${r.method} ${r.path}`).not.toBe(403);
    }
  });

  it('the fake blocks a request without one, as Discord says it may (Cloudflare error)', async () => {
    const res = await fetch(`${discord.apiBaseUrl}/v10/users/@me`, { headers: { authorization: `Bot ${GOOD.token}`, 'user-agent': 'curl/8' } });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('cloudflare');
  });
});
