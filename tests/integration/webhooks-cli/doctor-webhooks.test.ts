import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commandDefinitions } from '../../../src/discord/commands/kaltura-command';
import { verifyWebhookSignature } from '../../../src/kaltura/webhook-verify';
import { startFakeDiscordRest, type FakeDiscordRest } from '../../fakes/discord/start-fake-discord-rest';
import { startFakeKaltura, type FakeKaltura } from '../../fakes/kaltura/index';
import { GOOD } from '../../helpers/config-fixtures';
import { freePort } from '../../helpers/free-port';
import { useTempDirs } from '../../helpers/temp-dir';
import { cli, ourTemplates, writeConfig, APP_TOKEN, type ConfigOptions } from './helpers';

interface Check { id: string; title: string; status: 'ok' | 'warn' | 'fail'; detail: string; fix?: string }
type Mode = 'bot' | 'status-404' | 'status-502' | 'other-200' | 'redirect' | 'stale-cache' | 'app-token-bot';

interface Endpoint {
  readonly url: string;
  readonly requests: { path: string; headers: http.IncomingHttpHeaders; body: string }[];
  mode: Mode;
  /** The admin secret the "bot" verifies with. */
  secret: string;
  close(): Promise<void>;
}

/** Imitates the bot's endpoint contract: verify the signature over the raw body, then echo the self-test nonce. */
async function startEndpoint(): Promise<Endpoint> {
  const endpoint = { requests: [] as Endpoint['requests'], mode: 'bot' as Mode, secret: GOOD.adminSecret };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      endpoint.requests.push({ path: req.url ?? '', headers: req.headers, body: raw.toString('utf8') });
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (endpoint.mode === 'status-404' || req.url !== '/webhooks/kaltura') return json(404, { error: 'not found' });
      if (endpoint.mode === 'status-502') {
        res.writeHead(502, { 'content-type': 'text/html' });
        return res.end('<html><body>502 Bad Gateway</body></html>');
      }
      if (endpoint.mode === 'other-200') {
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<html><body><h1>Welcome to nginx!</h1></body></html>');
      }
      if (endpoint.mode === 'app-token-bot') return json(503, { status: 'rejected', reason: 'WEBHOOKS_UNAVAILABLE' });
      if (endpoint.mode === 'redirect') {
        res.writeHead(301, { location: 'https://www.example.org/webhooks/kaltura' });
        return res.end();
      }
      try {
        verifyWebhookSignature({ rawBody: raw, headers: req.headers }, endpoint.secret);
      } catch {
        return json(401, { error: 'bad signature' });
      }
      const nonce = (JSON.parse(raw.toString('utf8')) as { kalturaDiscordSelfTest?: string }).kalturaDiscordSelfTest;
      json(200, { status: 'self-test', nonce: endpoint.mode === 'stale-cache' ? 'an-old-nonce' : nonce });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(endpoint, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  });
}

describe('kaltura-discord doctor: webhook checks', () => {
  const tempDir = useTempDirs();
  let discord: FakeDiscordRest;
  let kaltura: FakeKaltura;
  let endpoint: Endpoint;
  beforeAll(async () => {
    discord = await startFakeDiscordRest([{ token: GOOD.token, applicationId: GOOD.applicationId, applicationName: 'Campus', botId: '1100000000000000009', botName: 'campus-bot', verifyKey: 'cd'.repeat(32), commands: [...commandDefinitions] }]);
    endpoint = await startEndpoint();
  });
  afterAll(async () => {
    await discord.close();
    await endpoint.close();
  });
  beforeEach(async () => {
    kaltura = await startFakeKaltura({ adminSecret: GOOD.adminSecret, appTokens: [{ ...APP_TOKEN }] });
    endpoint.mode = 'bot';
    endpoint.secret = GOOD.adminSecret;
    endpoint.requests.length = 0;
  });
  afterEach(() => kaltura.close());

  const configDir = (o: Partial<ConfigOptions> = {}) => writeConfig(tempDir(), { kaltura, discordApiBaseUrl: discord.apiBaseUrl, publicUrl: endpoint.url, ...o });

  async function doctor(cwd: string) {
    const r = await cli(['doctor', '--json'], cwd);
    const out = JSON.parse(r.stdout) as { ok: boolean; checks: Check[] };
    const byId = Object.fromEntries(out.checks.map((c) => [c.id, c])) as Record<string, Check>;
    return { code: r.code, ids: out.checks.map((c) => c.id), templates: byId['kaltura.webhook-templates'], selfTest: byId['webhooks.self-test'], byId };
  }

  async function setUp(cwd: string) {
    const r = await cli(['webhooks', 'setup'], cwd);
    expect(r.code).toBe(0);
  }

  it('passes both checks when the templates are set up and the signed self-test reaches the bot', async () => {
    const cwd = configDir();
    await setUp(cwd);
    const r = await doctor(cwd);
    expect(r.code).toBe(0);
    // after the Kaltura checks, in this order
    expect(r.ids.slice(-3)).toEqual(['kaltura.webhooks', 'kaltura.webhook-templates', 'webhooks.self-test']);
    const id = ourTemplates(kaltura)[0].id;
    expect(r.templates).toMatchObject({
      status: 'ok',
      title: 'Kaltura webhook templates',
      detail: expect.stringContaining(`kaltura_discord_recording_ready (#${id}) is ACTIVE and POSTs JSON to ${endpoint.url}/webhooks/kaltura, signed with sha256`),
    });
    expect(r.templates!.detail).toContain('kaltura_discord_session_changed (session changed, optional) is not set up');
    expect(r.selfTest).toMatchObject({ status: 'ok', title: 'Webhook self-test through the public URL', detail: expect.stringMatching(/^POST http:\/\/127\.0\.0\.1:\d+\/webhooks\/kaltura reached the bot and passed its signature check \(HTTP 200, nonce echoed, \d+ ms\)$/) });
    expect(r.selfTest!.fix).toBeUndefined();
    // signed exactly like Kaltura: sha256 over the raw body, algorithm named in the header
    const sent = endpoint.requests.at(-1)!;
    expect(sent.path).toBe('/webhooks/kaltura');
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.headers['x-kaltura-hash-algo']).toBe('sha256');
    expect(sent.headers['x-kaltura-signature']).toMatch(/^[0-9a-f]{64}$/);
    expect(sent.body).toMatch(/^\{"kalturaDiscordSelfTest":"[0-9a-f]{32}"\}$/);
  });

  it('uses a fresh nonce every time', async () => {
    const cwd = configDir();
    await doctor(cwd);
    await doctor(cwd);
    const [a, b] = endpoint.requests.map((q) => q.body);
    expect(a).not.toBe(b);
  });

  it('fails the template check when setup was never run, or the templates point elsewhere', async () => {
    let r = await doctor(configDir());
    expect(r.code).toBe(1);
    expect(r.templates).toMatchObject({ status: 'fail', detail: expect.stringContaining('kaltura_discord_recording_ready (recording ready) does not exist'), fix: 'Run `kaltura-discord webhooks setup` (add --dry-run to see the changes first).' });
    expect(r.selfTest!.status).toBe('ok');

    await setUp(configDir({ publicUrl: 'https://old-host.example.org' }));
    ourTemplates(kaltura)[0].status = 1;
    r = await doctor(configDir());
    expect(r.templates).toMatchObject({ status: 'fail', fix: expect.stringContaining('kaltura-discord webhooks setup') });
    expect(r.templates!.detail).toMatch(
      new RegExp(`kaltura_discord_recording_ready \\(#\\d+\\) is DISABLED, so Kaltura sends nothing; posts to https://old-host\\.example\\.org/webhooks/kaltura, not ${endpoint.url}/webhooks/kaltura`),
    );
  });

  it('warns, not fails, when only the signature algorithm or body format differ', async () => {
    const cwd = configDir();
    await setUp(cwd);
    Object.assign(ourTemplates(kaltura)[0], { secureHashingAlgo: 1 });
    const r = await doctor(cwd);
    expect(r.code).toBe(0);
    expect(r.templates).toMatchObject({ status: 'warn', detail: expect.stringContaining('differs from what setup makes: signature sha1 → sha256'), fix: expect.stringContaining('webhooks setup') });
  });

  it('reports a forbidden notification service with the fix', async () => {
    kaltura.inject({ kind: 'forbid' }, { service: 'eventnotification_eventnotificationtemplate' });
    const r = await doctor(configDir());
    expect(r.templates).toMatchObject({ status: 'fail', detail: expect.stringContaining('SERVICE_FORBIDDEN'), fix: expect.stringContaining('enable HTTP event notifications') });
  });

  it('does not check the templates without a working Kaltura session', async () => {
    const r = await doctor(configDir({ kaltura: { ...kaltura, url: `http://127.0.0.1:${await freePort()}` } as FakeKaltura }));
    expect(r.byId['kaltura.credentials']!.status).not.toBe('ok');
    expect(r.templates).toMatchObject({ status: 'warn', detail: 'Not checked: no working Kaltura session' });
  });

  it('401: the bot verifies with another admin secret', async () => {
    endpoint.secret = 'ffffffffffffffffffffffffffffffff';
    const r = await doctor(configDir());
    expect(r.code).toBe(1);
    expect(r.selfTest).toMatchObject({ status: 'fail', detail: expect.stringContaining('was refused with HTTP 401') });
    expect(r.selfTest!.fix).toMatch(/verifies with a different kaltura\.adminSecret than this configuration: are two configurations \(or two bots\) in play\?/);
  });

  it('404: webhooks disabled in the bot, or the proxy does not forward /webhooks/', async () => {
    endpoint.mode = 'status-404';
    const r = await doctor(configDir());
    expect(r.selfTest).toMatchObject({ status: 'fail', detail: expect.stringContaining('answered HTTP 404') });
    expect(r.selfTest!.fix).toMatch(/webhooks are disabled in the running bot \(set webhooks\.enabled: true and restart it\), or the reverse proxy does not forward \/webhooks\//);
  });

  it('nothing listening: the public URL does not reach the bot', async () => {
    const port = await freePort();
    const r = await doctor(configDir({ publicUrl: `http://127.0.0.1:${port}` }));
    expect(r.selfTest).toMatchObject({ status: 'fail', detail: `POST http://127.0.0.1:${port}/webhooks/kaltura failed: connection refused by 127.0.0.1:${port}` });
    expect(r.selfTest!.fix).toMatch(/^The public URL does not reach the bot\. Check that `kaltura-discord serve` is running, that DNS for 127\.0\.0\.1 .*reverse proxy forwards .*\/webhooks\/ to the bot \(http\.listen 127\.0\.0\.1:8080\), and that the firewall lets port \d+ in\./);
  });

  it('a 200 that is not the bot: something else answers at that URL', async () => {
    endpoint.mode = 'other-200';
    const r = await doctor(configDir());
    expect(r.selfTest).toMatchObject({ status: 'fail', detail: expect.stringMatching(/answered HTTP 200, but not as the bot does \(text\/html: <html><body><h1>Welcome to nginx!/) });
    expect(r.selfTest!.fix).toMatch(/^Something else answers at /);
  });

  it('a self-test answer with another nonce: a cache replays old answers', async () => {
    endpoint.mode = 'stale-cache';
    const r = await doctor(configDir());
    expect(r.selfTest).toMatchObject({ status: 'fail', detail: expect.stringContaining('another nonce: a cache in front of the bot replays old answers') });
  });

  it('a redirect and a bad gateway are named as such', async () => {
    endpoint.mode = 'redirect';
    let r = await doctor(configDir());
    expect(r.selfTest).toMatchObject({ status: 'fail', detail: expect.stringContaining('was redirected (HTTP 301 to https://www.example.org/webhooks/kaltura)') });
    endpoint.mode = 'status-502';
    r = await doctor(configDir());
    expect(r.selfTest).toMatchObject({ status: 'fail', detail: expect.stringContaining('HTTP 502'), fix: expect.stringContaining('cannot reach the bot') });
  });

  it('503 WEBHOOKS_UNAVAILABLE: the running bot has no admin secret', async () => {
    endpoint.mode = 'app-token-bot';
    const r = await doctor(configDir());
    expect(r.selfTest).toMatchObject({ status: 'fail', detail: expect.stringContaining('HTTP 503: the bot there cannot verify webhooks'), fix: expect.stringContaining('no kaltura.adminSecret') });
  });

  it('a TLS failure is reported as TLS', async () => {
    const r = await doctor(configDir({ publicUrl: endpoint.url.replace('http:', 'https:') })); // that port speaks plain HTTP
    expect(r.selfTest).toMatchObject({ status: 'fail', detail: expect.stringMatching(/failed: TLS handshake failed \(\w+\)/), fix: expect.stringContaining('certificate') });
  });

  it('warns in app-token mode instead of testing, and skips both checks when webhooks are disabled', async () => {
    let r = await doctor(configDir({ appToken: true }));
    for (const c of [r.templates, r.selfTest]) expect(c).toMatchObject({ status: 'warn', detail: expect.stringContaining('Not checked: Kaltura webhooks need kaltura.adminSecret') });
    const webhookPosts = () => endpoint.requests.filter((q) => q.path !== '/healthz'); // the public-URL check GETs /healthz
    expect(webhookPosts()).toEqual([]);
    r = await doctor(configDir({ webhooksEnabled: false }));
    expect(r.templates).toBeUndefined();
    expect(r.selfTest).toBeUndefined();
    expect(webhookPosts()).toEqual([]);
  });

  it('prints readable lines with fixes', async () => {
    endpoint.secret = 'ffffffffffffffffffffffffffffffff';
    const r = await cli(['doctor'], configDir());
    expect(r.stdout).toMatch(/^\[FAIL\] Kaltura webhook templates: kaltura_discord_recording_ready \(recording ready\) does not exist\n(.*\n)*? +fix: Run `kaltura-discord webhooks setup`/m);
    expect(r.stdout).toMatch(/^\[FAIL\] Webhook self-test through the public URL: POST .* was refused with HTTP 401.*\n +fix: The bot answering at that URL verifies with a different kaltura\.adminSecret/m);
  });
});
