import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityPlatform } from '../../../src/core/ports/activity-platform';
import { createDiscordActivityPlatform } from '../../../src/discord/activity-platform';
import { DiscordUpstreamError } from '../../../src/discord/discord-upstream-error';
import { startFakeDiscord, type FakeDiscord } from '../../fakes/discord';

const GUILD = '1200000000000000001';
const CHANNEL = '1300000000000000001';
const TEACHERS = '1400000000000000001';
const alice = { id: '1500000000000000001', username: 'alice', globalName: 'Alice A.', roles: [TEACHERS], nick: 'Prof. Alice' };
const bob = { id: '1500000000000000002', username: 'bob', timedOutUntil: new Date(Date.now() + 3_600_000).toISOString() };
const carol = { id: '1500000000000000003', username: 'carol', globalName: 'Carol' };

async function failure(promise: Promise<unknown>): Promise<DiscordUpstreamError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DiscordUpstreamError)) throw new Error(`expected a DiscordUpstreamError, got ${String(error)}`);
  return error;
}

/** The REST ActivityPlatform against the fake Discord's OAuth2, users, activity-instance and member routes. */
describe('Discord ActivityPlatform over REST', () => {
  let discord: FakeDiscord;
  let platform: ActivityPlatform;

  beforeAll(async () => {
    discord = await startFakeDiscord({ guilds: [{ id: GUILD, name: 'Campus', channels: [{ id: CHANNEL, name: 'general' }], members: [alice, bob, carol] }] });
    platform = createDiscordActivityPlatform({ apiBaseUrl: discord.apiBaseUrl, token: discord.token, applicationId: discord.applicationId, clientSecret: discord.clientSecret });
  });
  afterAll(async () => {
    await discord?.close();
  });

  it('exchanges a good code for a token that names its member, with the secret in a form and no redirect_uri', async () => {
    const exchanged = await platform.exchangeCode(discord.mintAuthorizationCode(alice.id, ['identify']));
    expect(exchanged?.expiresInS).toBe(604800);
    expect(await platform.userOf(exchanged!.accessToken)).toEqual({ id: alice.id, username: 'alice', globalName: 'Alice A.' });
    const sent = discord.requests.findLast((r) => r.path === '/oauth2/token')!;
    expect(sent.body).toEqual({ client_id: discord.applicationId, client_secret: discord.clientSecret, grant_type: 'authorization_code', code: expect.any(String) });
    expect(sent.userAgent).toMatch(/^DiscordBot \(/);
  });

  it('answers undefined for a code used twice, an unknown code, and a code that cannot be one (without asking)', async () => {
    const code = discord.mintAuthorizationCode(carol.id);
    expect(await platform.exchangeCode(code)).toBeDefined();
    expect(await platform.exchangeCode(code)).toBeUndefined();
    expect(await platform.exchangeCode('never-minted')).toBeUndefined();
    const before = discord.requests.length;
    expect(await platform.exchangeCode('has spaces\r\nx')).toBeUndefined();
    expect(await platform.exchangeCode('')).toBeUndefined();
    expect(discord.requests.length).toBe(before);
  });

  it('throws a non-retryable error naming the setting, never the secret, when the client secret is wrong', async () => {
    const wrong = createDiscordActivityPlatform({ apiBaseUrl: discord.apiBaseUrl, token: discord.token, applicationId: discord.applicationId, clientSecret: 'wrong-secret-value' });
    const code = discord.mintAuthorizationCode(alice.id);
    const error = await failure(wrong.exchangeCode(code));
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('discord.clientSecret');
    expect(error.message).not.toContain('wrong-secret-value');
    // The refused attempt did not spend the code.
    expect(await platform.exchangeCode(code)).toBeDefined();
    const off = createDiscordActivityPlatform({ apiBaseUrl: discord.apiBaseUrl, token: discord.token, applicationId: discord.applicationId });
    expect((await failure(off.exchangeCode(code))).message).toMatch(/not configured/);
  });

  it('answers undefined for a Bearer token Discord refuses, and keeps tokens out of errors on outages', async () => {
    expect(await platform.userOf('not-a-token')).toBeUndefined();
    const { accessToken } = (await platform.exchangeCode(discord.mintAuthorizationCode(alice.id)))!;
    discord.failNext({ path: '/users/@me' }, { status: 503 });
    const error = await failure(platform.userOf(accessToken));
    expect(error.retryable).toBe(true);
    expect(error.message).not.toContain(accessToken);
    expect(error.message).toMatch(/HTTP 503/);
  });

  it('reads a running instance with the bot token, and answers undefined once it ended or for an impossible id', async () => {
    const instanceId = discord.createActivityInstance({ guildId: GUILD, channelId: CHANNEL, userIds: [alice.id, carol.id] });
    expect(await platform.instance(instanceId)).toEqual({ instanceId, guildId: GUILD, channelId: CHANNEL, userIds: [alice.id, carol.id] });
    expect(discord.requests.findLast((r) => r.path.includes('/activity-instances/'))?.authorization).toBe(`Bot ${discord.token}`);
    discord.leaveActivityInstance(instanceId, alice.id);
    discord.leaveActivityInstance(instanceId, carol.id);
    expect(await platform.instance(instanceId)).toBeUndefined();
    expect(await platform.instance('../../users/@me')).toBeUndefined();
  });

  it('reads a member’s roles and display name (nick, then global name, then username), undefined for a non-member', async () => {
    expect(await platform.member(GUILD, alice.id)).toEqual({ roleIds: [TEACHERS], displayName: 'Prof. Alice' });
    expect(await platform.member(GUILD, carol.id)).toEqual({ roleIds: [], displayName: 'Carol' });
    expect(await platform.member(GUILD, bob.id)).toEqual({ roleIds: [], displayName: 'bob', timedOut: true });
    expect(await platform.member(GUILD, '1500000000000000999')).toBeUndefined();
    expect(await platform.member('1299999999999999999', alice.id)).toBeUndefined();
    expect(await platform.member(GUILD, 'x/../../me')).toBeUndefined();
  });

  it('waits out a short 429 once and answers; a long one is a retryable error at once', async () => {
    const instanceId = discord.createActivityInstance({ guildId: GUILD, channelId: CHANNEL, userIds: [alice.id] });
    try {
      const path = `/applications/${discord.applicationId}/activity-instances/${instanceId}`;
      discord.rateLimitNext({ path }, { count: 1, retryAfterMs: 150 });
      expect(await platform.instance(instanceId)).toMatchObject({ instanceId, userIds: [alice.id] });
      expect(discord.requests.filter((r) => r.path === path).map((r) => r.status)).toEqual([429, 200]);
      discord.rateLimitNext({ path }, { count: 1, retryAfterMs: 30_000 });
      const limited = await failure(platform.instance(instanceId));
      expect([limited.retryable, limited.status]).toEqual([true, 429]);
      expect(discord.requests.filter((r) => r.path === path)).toHaveLength(3);
      // Codes too: a 429 on the exchange did not spend the code.
      discord.rateLimitNext({ path: '/oauth2/token' }, { count: 1, retryAfterMs: 100 });
      expect(await platform.exchangeCode(discord.mintAuthorizationCode(alice.id))).toBeDefined();
    } finally {
      discord.leaveActivityInstance(instanceId, alice.id);
    }
  });

  it('members opening the Activity together share one lookup of the instance and of a member', async () => {
    const instanceId = discord.createActivityInstance({ guildId: GUILD, channelId: CHANNEL, userIds: [alice.id, carol.id] });
    try {
      const before = discord.requests.length;
      const [instances, members] = await Promise.all([
        Promise.all([platform.instance(instanceId), platform.instance(instanceId), platform.instance(instanceId)]),
        Promise.all([platform.member(GUILD, alice.id), platform.member(GUILD, alice.id)]),
      ]);
      expect(instances.map((i) => i?.instanceId)).toEqual([instanceId, instanceId, instanceId]);
      expect(members).toEqual([{ roleIds: [TEACHERS], displayName: 'Prof. Alice' }, { roleIds: [TEACHERS], displayName: 'Prof. Alice' }]);
      expect(discord.requests.slice(before).map((r) => r.path).sort()).toEqual([`/applications/${discord.applicationId}/activity-instances/${instanceId}`, `/guilds/${GUILD}/members/${alice.id}`]);
      // Afterwards a lookup asks again (nothing is cached here).
      await platform.instance(instanceId);
      expect(discord.requests.length - before).toBe(3);
    } finally {
      discord.leaveActivityInstance(instanceId, alice.id);
      discord.leaveActivityInstance(instanceId, carol.id);
    }
  });

  it('gives up after its timeout with a retryable error, and a stopped app abandons the call', async () => {
    const quick = createDiscordActivityPlatform({ apiBaseUrl: discord.apiBaseUrl, token: discord.token, applicationId: discord.applicationId }, { timeoutMs: 200 });
    discord.failNext({ path: `/guilds/${GUILD}/members/${alice.id}` }, { delayMs: 2_000 });
    const slow = await failure(quick.member(GUILD, alice.id));
    expect([slow.retryable, slow.message]).toEqual([true, expect.stringMatching(/no answer within 0.2 s/)]);
    const stop = new AbortController();
    const stopping = createDiscordActivityPlatform({ apiBaseUrl: discord.apiBaseUrl, token: discord.token, applicationId: discord.applicationId }, { signal: stop.signal });
    discord.failNext({ path: `/guilds/${GUILD}/members/${alice.id}` }, { delayMs: 2_000 });
    const pending = failure(stopping.member(GUILD, alice.id));
    stop.abort();
    expect((await pending).retryable).toBe(false);
  });
});
