import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../bin/main';
import { createTerminalPrompter } from '../../../src/cli/prompter';
import { loadConfig } from '../../../src/config/load-config';
import { startFakeDiscordRest, type FakeDiscordRest } from '../../fakes/discord/start-fake-discord-rest';
import { startFakeKaltura, type FakeKaltura } from '../../fakes/kaltura/index';
import { GOOD } from '../../helpers/config-fixtures';
import { runCli } from '../../helpers/run-cli';
import { scriptedPrompter } from '../../helpers/scripted-prompter';
import { freePort } from '../../helpers/free-port';
import { useTempDirs } from '../../helpers/temp-dir';
import { blackHole } from '../../helpers/black-hole';
import { BUNDLE, spawnCli } from '../../helpers/spawn-serve';
import { until } from '../../helpers/until';

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
    expect(r.stdout).toContain(`https://discord.com/oauth2/authorize?client_id=${APP.applicationId}&scope=bot+applications.commands&permissions=274877991936`);
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
    const file = path.join(cwd, 'kaltura-discord.yaml');
    // secrets that came through the environment are referenced, not copied into the file in clear
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('token: "${KALTURA_DISCORD_DISCORD__TOKEN}"');
    expect(text).toContain('adminSecret: ${KALTURA_DISCORD_KALTURA__ADMIN_SECRET}');
    expect(text).not.toContain(GOOD.token);
    expect(text).not.toContain(GOOD.adminSecret);
    expect(ok.stdout).toContain('The file refers to ${KALTURA_DISCORD_DISCORD__TOKEN}, ${KALTURA_DISCORD_KALTURA__ADMIN_SECRET}');
    expect(loadConfig(file, env).kaltura.adminSecret).toBe(GOOD.adminSecret);
    // unless the operator asks for them in clear
    const inline = await runCli(['init', '--non-interactive', '--offline', '--force', '--inline-secrets', '--partner-id', '1234567', '--public-url', 'https://bot.example.org'], { cwd, env });
    expect(inline.code).toBe(0);
    expect(loadConfig(file, {}).kaltura.adminSecret).toBe(GOOD.adminSecret);
  });

  it('writes a generated /metrics token', async () => {
    const cwd = tempDir();
    await runCli(['init', '--non-interactive', '--offline', '--discord-token', GOOD.token, '--application-id', APP.applicationId, ...required], { cwd });
    expect(loadConfig(path.join(cwd, 'kaltura-discord.yaml'), {}).metrics.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('refuses an admin secret and an app token together, as `config validate` does, and warns about plain http', async () => {
    const cwd = tempDir();
    const both = await runCli(['init', '--non-interactive', '--offline', '--discord-token', GOOD.token, '--application-id', APP.applicationId, ...required, '--app-token-id', '0_tok123', '--app-token', 'apptoken-value-123456'], { cwd });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('give either the admin secret (--admin-secret) or an app token (--app-token-id and --app-token), not both');
    const plain = await runCli(['init', '--non-interactive', '--offline', '--discord-token', GOOD.token, '--application-id', APP.applicationId, '--partner-id', '1234567', '--admin-secret', GOOD.adminSecret, '--public-url', 'http://bot.example.org'], { cwd });
    expect(plain.code).toBe(0);
    expect(plain.stderr).toContain('warning: the public URL uses plain http');
  });

  it('rejects malformed answers with the reason', async () => {
    const cwd = tempDir();
    const r = await runCli(['init', '--non-interactive', '--offline', '--discord-token', 'Bot abc', '--application-id', '12', '--partner-id', 'x', '--admin-secret', GOOD.adminSecret, '--public-url', 'ftp://x'], { cwd });
    expect(r.code).toBe(2);
    // the hint states the real rule (the schema's pattern), not a vague shape
    expect(r.stderr).toContain('Discord bot token (--discord-token): must be a bot token: three parts joined by dots, of at least 17, 4 and 20 letters, digits, - or _ (as the Developer Portal shows it, without the "Bot " prefix)');
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
    expect(r.stderr).toContain(`✔ Discord bot token: bot campus-bot of application "Campus Meetings" (${APP.applicationId})\n`);
    expect(r.stderr).toContain('✔ Kaltura credentials: ');
    expect(r.stderr).not.toMatch(/warning|not verified|✖/);
    expect(r.stdout).toMatch(/Next:\n {2}kaltura-discord register-commands .*\n {2}kaltura-discord webhooks setup /);
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
    expect(r.stderr).toContain(`! Discord bot token: could not reach Discord at http://127.0.0.1:${port} (ECONNREFUSED); the token was not checked`);
    expect(r.stderr).toContain('not verified: Discord bot token');
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
      'hash type': 'SHA256',
    });
    const r = await runCli(['init', '--discord-api-base-url', discord.apiBaseUrl, '--kaf-url', kaltura.kafUrl], { cwd, tty: true, prompter });
    expect(r.code).toBe(0);
    expect(prompter.asked.some((q) => /application id/i.test(q))).toBe(false); // learned from the token
    const config = loadConfig(path.join(cwd, 'kaltura-discord.yaml'), {});
    expect(prompter.asked.some((q) => /hash type/i.test(q))).toBe(true);
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


describe('kaltura-discord init: Ctrl-C and answers that are never lost', () => {
  const tempDir = useTempDirs();
  let hole: Awaited<ReturnType<typeof blackHole>>;
  let kaltura: FakeKaltura;
  beforeAll(async () => {
    hole = await blackHole();
    kaltura = await startFakeKaltura({ adminSecret: GOOD.adminSecret, appTokens: [{ id: '0_tok123', token: 'apptoken-value-123456', hashType: 'SHA256' }] });
  });
  afterAll(async () => {
    await hole.close();
    await kaltura.close();
  });
  const hung = () => ['--discord-api-base-url', `${hole.url}/api`, '--service-url', hole.url, '--kaf-url', `${hole.url}/kaf`];

  it('Ctrl-C at a question exits 130 without a word (the real terminal prompter)', async () => {
    const input = new PassThrough() as PassThrough & { isTTY?: boolean };
    const output = new PassThrough();
    output.resume();
    const cwd = tempDir();
    let stderr = '';
    setTimeout(() => input.write('\x03'), 300); // what the terminal sends for Ctrl-C in raw mode
    const code = await main(['init', '--offline'], {
      stdout: { write: () => true },
      stderr: { write: (s: string) => (stderr += s) },
      stdin: Object.assign(Readable.from([]), { isTTY: true }),
      env: {},
      cwd,
      prompter: createTerminalPrompter(output, input),
      waitForSignal: () => new Promise(() => {}),
    });
    expect(code).toBe(130);
    expect(stderr).toBe('');
    expect(fs.existsSync(path.join(cwd, 'kaltura-discord.yaml'))).toBe(false);
  });

  it('in a real terminal (a pseudo-terminal from util-linux `script`), Ctrl-C at the first question exits 130 quietly', async () => {
    const cwd = tempDir();
    const child = spawn('script', ['-qfec', `${JSON.stringify(process.execPath)} ${JSON.stringify(BUNDLE)} init --offline`, '/dev/null'], { cwd, env: { PATH: process.env.PATH, HOME: cwd, TERM: 'xterm' } });
    let screen = '';
    child.stdout.on('data', (c: Buffer) => (screen += c.toString()));
    await until('the first question', () => screen.includes('Discord bot token'));
    child.stdin.write('\x03'); // the key, as the terminal sends it in raw mode
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(130);
    const after = screen.slice(screen.indexOf('Discord bot token'));
    expect(after).not.toMatch(/error|unexpected|report it|ExitPromptError/i);
    expect(fs.existsSync(path.join(cwd, 'kaltura-discord.yaml'))).toBe(false);
  }, 20_000);

  it('Ctrl-C during the online checks skips them and still writes the file', async () => {
    const cwd = tempDir();
    let interrupt: (s: NodeJS.Signals) => void = () => undefined;
    let stderr = '';
    const started = Date.now();
    setTimeout(() => interrupt('SIGINT'), 500);
    const code = await main(['init', '--non-interactive', '--timeout', '60', '--discord-token', GOOD.token, '--application-id', APP.applicationId, ...hung(), ...required], {
      stdout: { write: () => true },
      stderr: { write: (s: string) => (stderr += s) },
      stdin: Readable.from([]),
      env: {},
      cwd,
      waitForSignal: () => new Promise((resolve) => (interrupt = resolve)),
    });
    expect(Date.now() - started).toBeLessThan(5_000); // not the 60 s timeout
    expect(code).toBe(0);
    expect(stderr).toContain('Online checks skipped (Ctrl-C); your answers are kept.');
    expect(stderr).toMatch(/^! Discord bot token: not checked: skipped with Ctrl-C$/m);
    expect(stderr).toContain('not verified: Discord bot token, Kaltura credentials');
    expect(stderr).not.toContain('✔');
    expect(loadConfig(path.join(cwd, 'kaltura-discord.yaml'), {}).kaltura.partnerId).toBe(1234567);
  });

  it('a real SIGINT to the process during the checks: exit 0, file written', async () => {
    const cwd = tempDir();
    const before = hole.connections();
    const child = spawnCli(['init', '--non-interactive', '--timeout', '60', '--discord-token', GOOD.token, '--application-id', APP.applicationId, ...hung(), ...required], { cwd });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    await until('the checks to connect', () => hole.connections() >= before + 2); // the Ctrl-C handler is in place by then
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect({ code, stderr }).toMatchObject({ code: 0, stderr: expect.stringContaining('Online checks skipped (Ctrl-C)') });
    expect(fs.existsSync(path.join(cwd, 'kaltura-discord.yaml'))).toBe(true);
  }, 20_000);

  it('the checks time out together, each after --timeout', async () => {
    const cwd = tempDir();
    const started = Date.now();
    const r = await runCli(['init', '--non-interactive', '--timeout', '1', '--discord-token', GOOD.token, '--application-id', APP.applicationId, ...hung(), ...required], { cwd });
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^! Discord bot token: no answer within 1 s from .*; not checked$/m);
    expect(r.stderr).toContain('not verified: Discord bot token, Kaltura credentials');
  });

  it('interactive: a rejected credential keeps the answers when the operator chooses to write the file anyway', async () => {
    const cwd = tempDir();
    const prompter = scriptedPrompter({
      'bot token': GOOD.token,
      'service url': kaltura.url,
      'partner id': '1234567',
      'authenticate': 'apptoken',
      'app token id': '0_tok123',
      'app token value': 'apptoken-value-123456',
      'hash type': 'SHA512', // the token was made with SHA256: Kaltura rejects the hash
      'public https url': 'https://meet.example.org',
      'listen': '',
      'data directory': '',
      'application id': APP.applicationId,
      'write the file anyway': true,
    });
    const r = await runCli(['init', '--offline'], { cwd, tty: true, prompter });
    expect(r.code).toBe(0); // offline: nothing to reject; now online against Kaltura only
    const online = await runCli(['init', '--force', '--discord-api-base-url', `${hole.url}/api`, '--timeout', '1', '--kaf-url', kaltura.kafUrl], { cwd, tty: true, prompter });
    expect(online.stderr).toMatch(/^✖ Kaltura credentials: /m);
    expect(online.code).toBe(0);
    expect(prompter.asked.some((q) => /write the file anyway/i.test(q))).toBe(true);
    expect(loadConfig(path.join(cwd, 'kaltura-discord.yaml'), {}).kaltura.appToken).toMatchObject({ id: '0_tok123', hashType: 'SHA512' });
  });
});
