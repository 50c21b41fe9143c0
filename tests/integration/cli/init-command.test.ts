import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config';
import { startFakeDiscordRest, type FakeDiscordRest } from '../../fakes/discord/start-fake-discord-rest';
import { startFakeKaltura, type FakeKaltura } from '../../fakes/kaltura/index';
import { GOOD } from '../../helpers/config-fixtures';
import { runCli } from '../../helpers/run-cli';
import { scriptedPrompter } from '../../helpers/scripted-prompter';
import { freePort } from '../../helpers/free-port';
import { useTempDirs } from '../../helpers/temp-dir';

const APP = {
  token: GOOD.token,
  applicationId: '1100000000000000001',
  applicationName: 'Campus Meetings',
  botId: '1100000000000000009',
  botName: 'campus-bot',
  verifyKey: 'ab'.repeat(32),
};

const required = ['--partner-id', '1234567', '--admin-secret', GOOD.adminSecret, '--public-url', 'https://bot.example.org'];

describe('kaltura-discord init', () => {
  const tempDir = useTempDirs();
  let discord: FakeDiscordRest;
  let kaltura: FakeKaltura;
  let online: string[];
  beforeAll(async () => {
    discord = await startFakeDiscordRest([APP]);
    kaltura = await startFakeKaltura({ adminSecret: GOOD.adminSecret, appTokens: [{ id: '0_tok123', token: 'apptoken-value-123456', hashType: 'SHA256' }] });
    online = ['--discord-api-base-url', discord.apiBaseUrl, '--service-url', kaltura.url, '--kaf-url', kaltura.kafUrl];
  });
  afterAll(async () => {
    await discord.close();
    await kaltura.close();
  });

  it('--non-interactive --offline writes a valid, private config from flags alone', async () => {
    const cwd = tempDir();
    const r = await runCli(['init', '--non-interactive', '--offline', '--discord-token', GOOD.token, '--application-id', APP.applicationId, ...required], { cwd });
    expect(r.code).toBe(0);
    const file = path.join(cwd, 'kaltura-discord.yaml');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const config = loadConfig(file, {});
    expect(config).toMatchObject({ discord: { applicationId: APP.applicationId }, kaltura: { partnerId: 1234567 }, http: { listen: '127.0.0.1:8080' } });
    expect(config.links.secret).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(r.stdout).toContain(`https://discord.com/oauth2/authorize?client_id=${APP.applicationId}&scope=bot+applications.commands&permissions=84992`);
    expect(r.stdout).toContain('kaltura-discord doctor');
    for (const secret of [GOOD.token, GOOD.adminSecret, config.links.secret]) expect(r.stdout + r.stderr).not.toContain(secret);
  });

  it('generates a different link secret every time', async () => {
    const secrets = [];
    for (let i = 0; i < 2; i++) {
      const cwd = tempDir();
      await runCli(['init', '--non-interactive', '--offline', '--discord-token', GOOD.token, '--application-id', APP.applicationId, ...required], { cwd });
      secrets.push(loadConfig(path.join(cwd, 'kaltura-discord.yaml'), {}).links.secret);
    }
    expect(secrets[0]).not.toBe(secrets[1]);
  });

  it('takes secrets from the environment and lists everything still missing at once', async () => {
    const cwd = tempDir();
    const missing = await runCli(['init', '--non-interactive', '--offline'], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Discord bot token: --discord-token or KALTURA_DISCORD_DISCORD__TOKEN');
    expect(missing.stderr).toContain('Kaltura partner id: --partner-id or KALTURA_DISCORD_KALTURA__PARTNER_ID');
    expect(missing.stderr).toContain('Kaltura admin secret: --admin-secret or KALTURA_DISCORD_KALTURA__ADMIN_SECRET');
    expect(missing.stderr).toContain('public URL of the bot: --public-url or KALTURA_DISCORD_HTTP__PUBLIC_URL');
    expect(missing.stderr).toContain('Discord application id (needed with --offline)');
    expect(fs.existsSync(path.join(cwd, 'kaltura-discord.yaml'))).toBe(false);
    const env = { KALTURA_DISCORD_DISCORD__TOKEN: GOOD.token, KALTURA_DISCORD_KALTURA__ADMIN_SECRET: GOOD.adminSecret, KALTURA_DISCORD_DISCORD__APPLICATION_ID: APP.applicationId };
    const ok = await runCli(['init', '--non-interactive', '--offline', '--partner-id', '1234567', '--public-url', 'https://bot.example.org'], { cwd, env });
    expect(ok.code).toBe(0);
    expect(loadConfig(path.join(cwd, 'kaltura-discord.yaml'), {}).kaltura.adminSecret).toBe(GOOD.adminSecret);
  });

  it('rejects malformed answers with the reason', async () => {
    const cwd = tempDir();
    const r = await runCli(['init', '--non-interactive', '--offline', '--discord-token', 'Bot abc', '--application-id', '12', '--partner-id', 'x', '--admin-secret', GOOD.adminSecret, '--public-url', 'ftp://x'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Discord bot token (--discord-token): must be a bot token of three dot-separated parts, without the "Bot " prefix');
    expect(r.stderr).toContain('Kaltura partner id (--partner-id): must be a whole number');
    expect(r.stderr).toContain('application id (--application-id): must be a Discord snowflake');
    expect(r.stderr).toContain('public URL of the bot (--public-url): must be an http(s) URL');
  });

  it('never overwrites an existing file without --force', async () => {
    const cwd = tempDir();
    const file = path.join(cwd, 'kaltura-discord.yaml');
    fs.writeFileSync(file, 'precious: true\n');
    const args = ['init', '--non-interactive', '--offline', '--discord-token', GOOD.token, '--application-id', APP.applicationId, ...required];
    const refused = await runCli(args, { cwd });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${file} already exists; pass --force to overwrite it`);
    expect(fs.readFileSync(file, 'utf8')).toBe('precious: true\n');
    expect((await runCli([...args, '--force'], { cwd })).code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toContain('partnerId: 1234567');
  });

  it('online: learns the application id and public key from the token', async () => {
    const cwd = tempDir();
    const r = await runCli(['init', '--non-interactive', '--discord-token', GOOD.token, ...online, ...required], { cwd });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`ok, bot campus-bot of application "Campus Meetings" (${APP.applicationId})`);
    expect(r.stderr).toContain('Checking the Kaltura credentials…\n  ok\n');
    expect(r.stderr).not.toContain('warning');
    const config = loadConfig(path.join(cwd, 'kaltura-discord.yaml'), {});
    expect(config.discord).toMatchObject({ applicationId: APP.applicationId, publicKey: APP.verifyKey, apiBaseUrl: discord.apiBaseUrl });
    expect(discord.requests.map((q) => q.path)).toEqual(expect.arrayContaining(['/api/v10/users/@me', '/api/v10/applications/@me']));
  });

  it('online: a token Discord rejects, or one from another application, stops init in plain words', async () => {
    const cwd = tempDir();
    const wrong = 'MTk5OTk5OTk5OTk5OTk5OTk5OQ.XxXxXx.000000000000000000000000000';
    const rejected = await runCli(['init', '--non-interactive', '--discord-token', wrong, ...online, ...required], { cwd });
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toContain('Discord rejected the bot token (401 Unauthorized). Copy it again from the Developer Portal');
    expect(rejected.stderr).not.toContain(wrong);
    const mismatch = await runCli(['init', '--non-interactive', '--discord-token', GOOD.token, '--application-id', '1200000000000000000', ...online, ...required], { cwd });
    expect(mismatch.stderr).toContain(`the bot token belongs to application ${APP.applicationId}, not 1200000000000000000`);
    expect(fs.existsSync(path.join(cwd, 'kaltura-discord.yaml'))).toBe(false);
  });

  it('online: a Kaltura secret that Kaltura rejects stops init with the fix, and never echoes the secret', async () => {
    const cwd = tempDir();
    const wrongSecret = '00000000000000000000000000000000';
    const r = await runCli(['init', '--non-interactive', '--discord-token', GOOD.token, ...online, '--partner-id', '1234567', '--admin-secret', wrongSecret, '--public-url', 'https://bot.example.org'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: Kaltura rejected the credentials:');
    expect(r.stderr).toContain('fix: Copy the Administrator Secret from KMC > Settings > Integration Settings into kaltura.adminSecret');
    expect(r.stderr).not.toContain(wrongSecret);
    expect(r.stderr).not.toMatch(/djJ8/);
    expect(fs.existsSync(path.join(cwd, 'kaltura-discord.yaml'))).toBe(false);
  });

  it('online but Discord unreachable: warns, and still needs the application id', async () => {
    const cwd = tempDir();
    const port = await freePort();
    const args = ['init', '--non-interactive', '--discord-token', GOOD.token, '--discord-api-base-url', `http://127.0.0.1:${port}/api`, '--service-url', kaltura.url, '--kaf-url', kaltura.kafUrl, ...required];
    const r = await runCli(args, { cwd });
    expect(r.stderr).toContain(`warning: could not reach Discord at http://127.0.0.1:${port} (ECONNREFUSED); the token was not checked`);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the application id is needed: pass --application-id');
    expect((await runCli([...args, '--application-id', APP.applicationId], { cwd })).code).toBe(0);
  });

  it('interactive: asks only for what flags did not give, and validates each answer', async () => {
    const cwd = tempDir();
    const prompter = scriptedPrompter({
      'bot token': GOOD.token,
      'service url': kaltura.url,
      'partner id': '1234567',
      'authenticate': 'apptoken',
      'app token id': '0_tok123',
      'app token value': 'apptoken-value-123456',
      'public https url': 'https://meet.example.org',
      'listen': '127.0.0.1:9090',
      'data directory': './state',
    });
    const r = await runCli(['init', '--discord-api-base-url', discord.apiBaseUrl, '--kaf-url', kaltura.kafUrl], { cwd, tty: true, prompter });
    expect(r.code).toBe(0);
    expect(prompter.asked.some((q) => /application id/i.test(q))).toBe(false); // learned from the token
    const config = loadConfig(path.join(cwd, 'kaltura-discord.yaml'), {});
    expect(config.kaltura).toMatchObject({ appToken: { id: '0_tok123', token: 'apptoken-value-123456', hashType: 'SHA256' }, serviceUrl: kaltura.url });
    expect(config.kaltura.adminSecret).toBeUndefined();
    expect(config.http).toMatchObject({ port: 9090, publicUrl: 'https://meet.example.org' });
    expect(config.storage.path).toBe(path.join(cwd, 'state', 'kaltura-discord.db'));
  });

  it('without a terminal and without --non-interactive, says what to do instead of hanging', async () => {
    const r = await runCli(['init'], { cwd: tempDir(), tty: false });
    expect(r).toMatchObject({ code: 2, stderr: 'error: no terminal to ask questions on; pass --non-interactive with flags or environment variables\n' });
  });
});

