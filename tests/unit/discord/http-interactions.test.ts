import { describe, expect, it } from 'vitest';
import type { MeetingService } from '../../../src/core/meetings/meeting-service';
import { createDispatcher } from '../../../src/discord/interactions/create-dispatcher';
import type { InteractionRequest } from '../../../src/discord/interactions/interaction-request';
import type { InteractionRoute } from '../../../src/discord/interactions/interaction-route';
import type { Reply } from '../../../src/discord/interactions/reply';
import { createHttpApp } from '../../../src/http/create-http-app';
import { createHttpInteractions } from '../../../src/http/interactions-routes';
import { createInteractionSigner } from '../../fakes/discord/interaction-signer';
import { captureLogger } from '../../helpers/capture-logger';
import { until } from '../../helpers/until';

const APP = '1100000000000000001';
const GUILD = '1200000000000000001';
const CHANNEL = '1300000000000000001';
const ALICE = '1500000000000000001';
const ROLE = '1400000000000000001';

const services = { meetings: {} as MeetingService };
const route = (over: Partial<InteractionRoute>): InteractionRoute => ({
  name: 'test', matches: () => true, preconditions: [], defer: false, run: async () => ({ content: 'done' }), ...over,
});

/** A recording stand-in for discord.js's REST client: the follow-ups the responder sends. */
function webhookRest() {
  const calls: { route: string; body: unknown; auth: false }[] = [];
  /** Errors the next PATCHes throw, in order (shaped like discord.js's DiscordAPIError). */
  const failures: object[] = [];
  let wake: (() => void) | undefined;
  return {
    calls,
    failures,
    patch: async (r: `/${string}`, o: { body: unknown; auth: false }) => {
      calls.push({ route: r, ...o });
      const failure = failures.shift();
      wake?.();
      if (failure) throw failure;
      return {};
    },
    next: () => new Promise<void>((resolve) => (wake = resolve)),
  };
}

/** What discord.js throws for a refused webhook call: its `url` holds the interaction token. */
const apiError = (status: number, code: number) =>
  Object.assign(new Error(`Unknown Webhook`), { name: 'DiscordAPIError[10015]', status, code, url: `https://discord.com/api/v10/webhooks/${APP}/tok-abc/messages/@original`, requestBody: { json: {} } });

function setup(routes: InteractionRoute[], opts: { deferAfterMs?: number; maxBodyBytes?: number } = {}) {
  const signer = createInteractionSigner();
  const log = captureLogger();
  const logger = log.logger;
  const rest = webhookRest();
  const seen: InteractionRequest[] = [];
  const dispatcher = createDispatcher({ routes: routes.map((r) => ({ ...r, run: r.run && (async (ctx) => (seen.push(ctx.request), r.run!(ctx))) })), services, logger });
  const { routes: group } = createHttpInteractions({ dispatcher, publicKey: signer.publicKey, rest, applicationId: APP, logger, ...opts });
  const app = createHttpApp({ logger, routes: [group] });
  const post = (body: string, headers: Record<string, string> = signer.sign(body)) =>
    app.fetch(new Request('http://bot/interactions', { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } }));
  return { signer, app, post, rest, seen, log };
}

function command(over: Record<string, unknown> = {}) {
  return JSON.stringify({
    id: '1700000000000000001', application_id: APP, type: 2, token: 'tok-abc', version: 1,
    guild_id: GUILD, channel: { id: CHANNEL, type: 0 }, channel_id: CHANNEL,
    member: { user: { id: ALICE, username: 'alice', global_name: 'Alice A', avatar: null, discriminator: '0' }, roles: [ROLE], permissions: String(1n << 10n | 1n << 11n), nick: null },
    app_permissions: String(1n << 11n), locale: 'fr', entitlements: [], authorizing_integration_owners: {},
    data: { id: '1', name: 'kaltura', type: 1, options: [{ type: 1, name: 'start', options: [{ type: 3, name: 'title', value: 'Physics' }] }] },
    ...over,
  });
}

describe('POST /interactions: who may talk to us', () => {
  it('answers a signed PING with a JSON PONG', async () => {
    const { post } = setup([]);
    const res = await post(JSON.stringify({ type: 1, id: '1', application_id: APP }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await res.json()).toEqual({ type: 1 });
  });

  it('refuses with 401 a PING signed by another key, a tampered body, missing or malformed headers, and stale or future timestamps', async () => {
    const { post, signer } = setup([]);
    const body = JSON.stringify({ type: 1 });
    const stranger = createInteractionSigner();
    const old = String(Math.floor(Date.now() / 1000) - 6 * 60);
    const future = String(Math.floor(Date.now() / 1000) + 6 * 60);
    const cases: Record<string, string>[] = [
      stranger.sign(body),
      signer.sign(JSON.stringify({ type: 1, x: 1 })), // signature of another body
      {},
      { 'x-signature-ed25519': 'zz'.repeat(64), 'x-signature-timestamp': signer.sign(body)['x-signature-timestamp'] },
      { ...signer.sign(body), 'x-signature-timestamp': 'yesterday' },
      signer.sign(body, old),
      signer.sign(body, future),
    ];
    for (const headers of cases) {
      const res = await post(body, headers);
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(await res.json()).toEqual({ message: 'invalid request signature' });
    }
  });

  it('answers 400, not 500, to a signed body that is not JSON or not an interaction, and to another application', async () => {
    const { post } = setup([route({})]);
    for (const body of ['{not json', '[]', JSON.stringify({ type: 2 }), command({ data: 'x' }), command({ member: { user: { id: 'me' } } }), command({ application_id: '1100000000000000002' })]) {
      const res = await post(body);
      expect(res.status, body).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(/not JSON|interaction payload/);
    }
  });

  it('refuses an oversized body with 413 before reading it all, declared or streamed', async () => {
    const { app, signer } = setup([], { maxBodyBytes: 1024 });
    const big = JSON.stringify({ type: 1, pad: 'x'.repeat(2000) });
    const declared = await app.fetch(new Request('http://bot/interactions', { method: 'POST', body: big, headers: signer.sign(big) }));
    expect(declared.status).toBe(413);
    const stream = new ReadableStream<Uint8Array>({ start: (c) => { c.enqueue(new TextEncoder().encode(big)); c.close(); } });
    const streamed = await app.fetch(new Request('http://bot/interactions', { method: 'POST', body: stream, headers: signer.sign(big), duplex: 'half' } as RequestInit));
    expect(streamed.status).toBe(413);
  });
});

describe('POST /interactions: answering through the dispatcher', () => {
  it('returns a reply that needs no network as the HTTP response (ephemeral, no mentions) and builds the request as the gateway does', async () => {
    const { post, seen, rest } = setup([route({ run: async () => ({ content: 'Started **Physics**' }) })]);
    const res = await post(command());
    expect(await res.json()).toEqual({ type: 4, data: { content: 'Started **Physics**', embeds: [], components: [], allowed_mentions: { parse: [] }, flags: 64 } });
    expect(rest.calls).toEqual([]);
    const r = seen[0]!;
    expect(r).toMatchObject({ kind: 'command', commandName: 'kaltura', subcommand: 'start', guildId: GUILD, channelId: CHANNEL, locale: 'fr', appPermissions: 1n << 11n });
    expect([...r.options]).toEqual([['title', 'Physics']]);
    expect(r.actor).toMatchObject({ id: ALICE, displayName: 'Alice A', roleIds: [ROLE], permissions: (1n << 10n) | (1n << 11n), channelId: CHANNEL });
    expect(r.inThread).toBeUndefined();
  });

  it('answers a deferring route with the deferral, then edits the original message over the interaction webhook', async () => {
    const { post, rest } = setup([route({ defer: { ephemeral: false }, run: async () => ({ content: 'Live now', ephemeral: false }) })]);
    const edited = rest.next();
    const res = await post(command());
    expect(await res.json()).toEqual({ type: 5, data: {} });
    await edited;
    expect(rest.calls).toEqual([{ route: `/webhooks/${APP}/tok-abc/messages/@original`, auth: false, body: { content: 'Live now', embeds: [], components: [], allowed_mentions: { parse: [] } } }]);
  });

  it('defers on the handler\'s behalf when it has not answered before the deadline; its reply then edits the deferral', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { post, rest, log } = setup([route({ run: async () => (await gate, { content: 'late but here' }) })], { deferAfterMs: 20 });
    const res = await post(command());
    expect(await res.json()).toEqual({ type: 5, data: { flags: 64 } });
    expect(log.lines.map((l) => l.msg)).toContain("no answer before the deadline: deferred on the handler's behalf");
    const edited = rest.next();
    release();
    await edited;
    expect(rest.calls.map((c) => [c.route, (c.body as Reply).content])).toEqual([[`/webhooks/${APP}/tok-abc/messages/@original`, 'late but here']]);
  });

  it('answers autocomplete with its choices, buttons by custom id, and kinds it does not handle with a clear ephemeral message', async () => {
    const { post, seen } = setup([
      route({ name: 'auto', matches: (r) => r.kind === 'autocomplete', autocomplete: async ({ request }) => [{ name: `for ${request.focused?.value}`, value: 'v1' }] }),
      route({ name: 'button', matches: (r) => r.kind === 'component', run: async ({ request }) => ({ content: request.customId! }) }),
    ]);
    const auto = await post(command({ type: 4, data: { id: '1', name: 'kaltura', type: 1, options: [{ type: 1, name: 'join', options: [{ type: 3, name: 'meeting', value: 'phy', focused: true }] }] } }));
    expect(await auto.json()).toEqual({ type: 8, data: { choices: [{ name: 'for phy', value: 'v1' }] } });
    const button = await post(command({ type: 3, channel: { id: CHANNEL, type: 11 }, data: { custom_id: 'kaltura:join:m_1', component_type: 2 } }));
    expect(await button.json()).toMatchObject({ type: 4, data: { content: 'kaltura:join:m_1', flags: 64 } });
    expect(seen.at(-1)).toMatchObject({ kind: 'component', customId: 'kaltura:join:m_1', inThread: true });
    const select = await post(command({ type: 3, data: { custom_id: 'x', component_type: 3, values: ['a'] } }));
    expect(await select.json()).toEqual({ type: 4, data: { content: 'This bot does not handle this kind of interaction.', flags: 64 } });
  });

  it('launches the Activity as the HTTP response; after a deferral a launch is refused and the member gets the apology as an edit', async () => {
    const { post, rest } = setup([
      route({ name: 'launch', matches: (r) => r.customId === 'launch', run: async () => ({ launchActivity: true }) }),
      route({ name: 'late-launch', matches: (r) => r.customId === 'late', defer: { ephemeral: true }, run: async () => ({ launchActivity: true }) }),
    ]);
    const button = (customId: string) => command({ type: 3, data: { custom_id: customId, component_type: 2 } });
    expect(await (await post(button('launch'))).json()).toEqual({ type: 12 });
    const edited = rest.next();
    expect(await (await post(button('late'))).json()).toEqual({ type: 5, data: { flags: 64 } });
    await edited;
    expect((rest.calls[0]!.body as Reply).content).toMatch(/^Something went wrong on my side/);
  });

  it('answers autocomplete with no choices when its handler misses the deadline (a late answer is dropped by Discord anyway)', async () => {
    const { post } = setup([route({ matches: (r) => r.kind === 'autocomplete', autocomplete: () => new Promise(() => undefined) })], { deferAfterMs: 20 });
    const auto = await post(command({ type: 4, data: { id: '1', name: 'kaltura', type: 1, options: [{ type: 3, name: 'meeting', value: 'p', focused: true }] } }));
    expect(await auto.json()).toEqual({ type: 8, data: { choices: [] } });
  });

  it('refuses malformed option trees with 400: too deep, too many, values of the wrong type, no focused option', async () => {
    const { post } = setup([route({})]);
    const opt = (options: unknown, type = 2) => command({ type, data: { id: '1', name: 'kaltura', type: 1, options } });
    const deep = [{ type: 2, name: 'a', options: [{ type: 1, name: 'b', options: [{ type: 1, name: 'c', options: [{ type: 3, name: 'd', value: 'x' }] }] }] }];
    for (const body of [opt(deep), opt(Array.from({ length: 26 }, (_, i) => ({ type: 3, name: `o${i}`, value: 'x' }))), opt([{ type: 3, name: 'x', value: { evil: 1 } }]), opt([{ type: 3, name: 'x', value: 'y' }], 4), opt('nope')]) {
      const res = await post(body);
      expect(res.status, body).toBe(400);
    }
  });

  it('retries an edit that overtook the deferral (404 Unknown Webhook) a bounded number of times', async () => {
    const { post, rest } = setup([route({ defer: { ephemeral: true }, run: async () => ({ content: 'ready' }) })]);
    rest.failures.push(apiError(404, 10015));
    const res = await post(command());
    expect(await res.json()).toEqual({ type: 5, data: { flags: 64 } });
    await until('the second attempt', () => rest.calls.length === 2);
    expect(rest.calls.map((c) => (c.body as Reply).content)).toEqual(['ready', 'ready']);
  });

  it('never logs the interaction token when an edit fails for good', async () => {
    const { post, rest, log } = setup([route({ defer: { ephemeral: true }, run: async () => ({ content: 'ready' }) })]);
    rest.failures.push(apiError(401, 50027), apiError(401, 50027)); // the reply, then the apology
    await post(command());
    await until('the failure to be logged', () => log.lines.some((l) => l.msg === 'could not tell the member about the failure'));
    expect(log.text()).toContain('editing the interaction response failed: HTTP 401 (code 50027)');
    expect(log.text()).not.toContain('tok-abc');
  });

  it('a timed-out member keeps only View Channel and Read Message History, as over the gateway', async () => {
    const { post, seen } = setup([route({})]);
    const until = new Date(Date.now() + 3_600_000).toISOString();
    await post(command({ member: { user: { id: ALICE, username: 'alice' }, roles: [], permissions: String((1n << 10n) | (1n << 11n) | (1n << 16n)), communication_disabled_until: until } }));
    expect(seen[0]!.actor).toMatchObject({ permissions: (1n << 10n) | (1n << 16n), timedOut: true, displayName: 'alice' });
  });
});
