import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGatewayBot, type GatewayBot } from '../../../src/discord/gateway/create-gateway-bot';
import { startFakeDiscord, type FakeDiscord } from '../../fakes/discord/index';
import { captureLogger } from '../../helpers/capture-logger';
import { GOOD } from '../../helpers/config-fixtures';

describe('the gateway bot against the fake Discord: reconnects back off, failures are one line each', () => {
  let discord: FakeDiscord;
  let bot: GatewayBot | undefined;
  beforeEach(async () => {
    discord = await startFakeDiscord({ applicationId: GOOD.applicationId, token: GOOD.token, guilds: [] });
  });
  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
    await discord.close();
  });

  it('each IDENTIFY after an invalidated session waits longer than the one before (not discord.js’s flat 5 s)', async () => {
    const log = captureLogger([GOOD.token]);
    bot = createGatewayBot({
      token: GOOD.token,
      apiBaseUrl: discord.apiBaseUrl,
      dispatcher: { dispatch: async () => undefined },
      logger: log.logger,
      reconnect: { baseMs: 300, capMs: 60_000, resetAfterMs: 60_000 },
      random: () => 1,
    });
    await bot.start();
    await discord.waitForIdentify({ count: 1 });
    for (let n = 2; n <= 5; n++) {
      discord.invalidateSession(false); // op 9, not resumable: discord.js must IDENTIFY again (reference §5)
      await discord.waitForIdentify({ count: n, timeoutMs: 15_000 });
    }
    const at = discord.gateway.identifies.map((i) => i.at);
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    // at least the backoff: 300, 600, 1200, 2400 ms (random() = 1 takes the top of each jitter range)
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(300 * 2 ** i - 50));
    // growing (discord.js alone keeps a flat ~5 s, the 0.5 s reconnect pause included). Not compared gap by
    // gap: on a loaded machine one late IDENTIFY stretches its gap past the next one's backoff.
    expect(gaps.at(-1)!).toBeGreaterThan(gaps[0]! * 3);
    const waits = log.lines.filter((l) => String(l.msg).includes('identifying again in'));
    expect(waits.length).toBeGreaterThanOrEqual(3);
    expect(log.text()).not.toMatch(/\\n\s+at /);
  }, 30_000);

  it('a Discord that refuses connections: one concise line per login attempt with the cause and the next delay, and stop() is prompt', async () => {
    const log = captureLogger([GOOD.token]);
    bot = createGatewayBot({
      token: GOOD.token,
      apiBaseUrl: 'http://127.0.0.1:1/api', // nothing listens on port 1
      dispatcher: { dispatch: async () => undefined },
      logger: log.logger,
      reconnect: { baseMs: 100, capMs: 400 },
      random: () => 1,
    });
    await bot.start();
    const deadline = Date.now() + 10_000;
    while (log.lines.filter((l) => String(l.msg).startsWith('could not connect to Discord')).length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const failures = log.lines.filter((l) => String(l.msg).startsWith('could not connect to Discord'));
    expect(failures.length).toBeGreaterThanOrEqual(3);
    expect(failures[0]).toMatchObject({ cause: 'connection refused', attempt: 1, retryInMs: 100, level: 40 });
    expect(failures[1]).toMatchObject({ attempt: 2, retryInMs: 200 });
    expect(failures[0]!.msg).toBe('could not connect to Discord (connection refused); retrying in 0.1 s');
    for (const line of failures) expect(line).not.toHaveProperty('err');
    expect(log.text()).not.toMatch(/DOMException|\\n\s+at /);
    const started = performance.now();
    await bot.stop();
    expect(performance.now() - started).toBeLessThan(2_000);
  }, 20_000);
});

describe('a gateway that drops every connection', () => {
  it('connection attempts back off (discord.js alone retries every 0.5 s), each failure one line with the cause, 1st, 2nd, 4th… logged', async () => {
    // Discord's REST answers; the gateway it points to resets every connection
    const { createServer } = await import('node:http');
    const net = await import('node:net');
    const attempts: number[] = [];
    const gateway = net.createServer((socket) => {
      attempts.push(performance.now());
      socket.resetAndDestroy();
    });
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
    const gatewayPort = (gateway.address() as import('node:net').AddressInfo).port;
    const rest = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url?.startsWith('/api/v10/gateway/bot')) {
        // shape: https://discord.com/developers/docs/events/gateway#get-gateway-bot
        res.end(JSON.stringify({ url: `ws://127.0.0.1:${gatewayPort}`, shards: 1, session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 } }));
      } else {
        res.statusCode = 404;
        res.end(JSON.stringify({ message: '404: Not Found', code: 0 }));
      }
    });
    await new Promise<void>((r) => rest.listen(0, '127.0.0.1', r));
    const { port } = rest.address() as import('node:net').AddressInfo;
    const log = captureLogger([GOOD.token]);
    const bot = createGatewayBot({
      token: GOOD.token,
      apiBaseUrl: `http://127.0.0.1:${port}/api`,
      dispatcher: { dispatch: async () => undefined },
      logger: log.logger,
      reconnect: { baseMs: 300 },
      random: () => 1,
    });
    try {
      void bot.start().catch(() => undefined);
      const deadline = Date.now() + 15_000;
      while (attempts.length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
      expect(gaps.length).toBeGreaterThanOrEqual(4);
      // 0.5 s of discord.js plus 300, 600, 1200, 2400 ms of backoff
      gaps.slice(0, 4).forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(500 + 300 * 2 ** i - 50));
      const failures = log.lines.filter((l) => String(l.msg).startsWith('Discord gateway connection failed'));
      expect(failures.map((l) => l.failures)).toEqual([1, 2, 4].slice(0, failures.length));
      expect(failures.length).toBeGreaterThanOrEqual(2);
      expect(failures[0]).toMatchObject({ cause: 'refused, reset, timed out or DNS failed', level: 40 });
      expect(log.text()).not.toMatch(/\\n\s+at /);
      expect(bot.state()).not.toBe('ready');
    } finally {
      await bot.stop();
      const after = attempts.length;
      await new Promise((r) => setTimeout(r, 1_500));
      expect(attempts.length).toBe(after); // stopped means no more attempts
      await new Promise((r) => rest.close(r));
      await new Promise((r) => gateway.close(r));
    }
  }, 30_000);
});
