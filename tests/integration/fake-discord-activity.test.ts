import { DiscordAPIError, Events, type Interaction } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS, startFakeDiscord, type FakeDiscord } from '../fakes/discord';
import { loginTestClient, type TestClient } from '../fakes/discord/test-client';

const GUILD = '1200000000000000001';
const CHANNEL = '1300000000000000001';
const OTHER = '1300000000000000002';
const alice = { id: '1500000000000000001', username: 'alice', globalName: 'Alice A.' };
const bob = { id: '1500000000000000002', username: 'bob' };

/** The OAuth2 and Activity side of the fake Discord: token rules, Bearer users, instances, LAUNCH_ACTIVITY. */
describe('fake Discord: OAuth2 and Activities', () => {
  let discord: FakeDiscord;
  let bot: TestClient;
  const launchErrors: unknown[] = [];
  let base: string;

  const tokenRequest = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${base}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields) });
  const exchange = (code: string, secret = discord.clientSecret) =>
    tokenRequest({ client_id: discord.applicationId, client_secret: secret, grant_type: 'authorization_code', code });
  const me = (authorization: string) => fetch(`${base}/users/@me`, { headers: { authorization } });

  beforeAll(async () => {
    discord = await startFakeDiscord({ guilds: [{ id: GUILD, name: 'Campus', channels: [{ id: CHANNEL, name: 'general' }, { id: OTHER, name: 'other' }], roles: [{ id: GUILD, name: '@everyone', permissions: PERMISSIONS.VIEW_CHANNEL }], members: [alice, bob] }] });
    base = `${discord.apiBaseUrl}/v10`;
    bot = await loginTestClient(discord);
    bot.client.on(Events.InteractionCreate, (i: Interaction) => {
      if (i.isChatInputCommand()) i.launchActivity().catch((e: unknown) => launchErrors.push(e));
    });
  });
  afterAll(async () => {
    await bot?.destroy();
    await discord?.close();
  });

  it('exchanges a minted code once for a Bearer token that reads the member on /users/@me', async () => {
    const code = discord.mintAuthorizationCode(alice.id, ['identify']);
    const res = await exchange(code);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 604800, scope: 'identify' });
    expect(typeof body.refresh_token).toBe('string');
    const user = await me(`Bearer ${String(body.access_token)}`);
    expect(user.status).toBe(200);
    expect(await user.json()).toMatchObject({ id: alice.id, username: 'alice', global_name: 'Alice A.' });
    // The bot's own /users/@me keeps working.
    expect(await (await me(`Bot ${discord.token}`)).json()).toMatchObject({ id: discord.botUser.id, bot: true });
  });

  it('refuses a reused code with invalid_grant and revokes the token it gave', async () => {
    const code = discord.mintAuthorizationCode(bob.id);
    const first = (await (await exchange(code)).json()) as { access_token: string };
    const again = await exchange(code);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
    expect((await me(`Bearer ${first.access_token}`)).status).toBe(401);
  });

  it('answers invalid_client (401) for a wrong secret and keeps the code usable', async () => {
    const code = discord.mintAuthorizationCode(alice.id);
    const wrong = await exchange(code, 'not-the-secret');
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: 'invalid_client' });
    const basic = await tokenRequest({ grant_type: 'authorization_code', code }, { authorization: `Basic ${Buffer.from(`${discord.applicationId}:nope`).toString('base64')}` });
    expect(basic.status).toBe(401);
    expect(basic.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect((await exchange(code)).status).toBe(200);
  });

  it('refuses an expired code, and a revoked token on /users/@me', async () => {
    expect(await (await exchange(discord.mintAuthorizationCode(alice.id, ['identify'], { ttlMs: 0 }))).json()).toMatchObject({ error: 'invalid_grant' });
    const { access_token } = (await (await exchange(discord.mintAuthorizationCode(alice.id))).json()) as { access_token: string };
    expect((await me(`Bearer ${access_token}`)).status).toBe(200);
    discord.revokeAccessToken(access_token);
    expect((await me(`Bearer ${access_token}`)).status).toBe(401);
  });

  it('refuses unknown codes, missing codes, a redirect_uri the code was not issued with, and other grant types', async () => {
    expect(await (await exchange('made-up')).json()).toMatchObject({ error: 'invalid_grant' });
    const missing = await tokenRequest({ client_id: discord.applicationId, client_secret: discord.clientSecret, grant_type: 'authorization_code' });
    expect([missing.status, ((await missing.json()) as { error: string }).error]).toEqual([400, 'invalid_request']);
    const code = discord.mintAuthorizationCode(alice.id);
    const redirect = await tokenRequest({ client_id: discord.applicationId, client_secret: discord.clientSecret, grant_type: 'authorization_code', code, redirect_uri: 'https://x.example' });
    expect(await redirect.json()).toMatchObject({ error: 'invalid_grant' });
    const password = await tokenRequest({ client_id: discord.applicationId, client_secret: discord.clientSecret, grant_type: 'password' });
    expect(await password.json()).toEqual({ error: 'unsupported_grant_type' });
  });

  it('issues a client_credentials token (the doctor checks the secret this way), Basic or form', async () => {
    const basic = `Basic ${Buffer.from(`${discord.applicationId}:${discord.clientSecret}`).toString('base64')}`;
    const res = await tokenRequest({ grant_type: 'client_credentials', scope: 'identify' }, { authorization: basic });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ token_type: 'Bearer', scope: 'identify' });
    const form = await tokenRequest({ grant_type: 'client_credentials', client_id: discord.applicationId, client_secret: discord.clientSecret });
    expect(form.status).toBe(200);
  });

  it('answers 401 on /users/@me for an unknown Bearer token, and on /oauth2/@me gives scopes and user', async () => {
    expect((await me('Bearer nope')).status).toBe(401);
    const { access_token } = (await (await exchange(discord.mintAuthorizationCode(bob.id, ['identify', 'guilds']))).json()) as { access_token: string };
    const info = (await (await fetch(`${base}/oauth2/@me`, { headers: { authorization: `Bearer ${access_token}` } })).json()) as Record<string, unknown>;
    expect(info).toMatchObject({ scopes: ['identify', 'guilds'], user: { id: bob.id }, application: { id: discord.applicationId } });
  });

  it('serves running activity instances to the bot token only, and forgets them when the last user leaves', async () => {
    const id = discord.createActivityInstance({ guildId: GUILD, channelId: OTHER, userIds: [alice.id] });
    expect(id).toMatch(new RegExp(`^i-\\d{17,20}-gc-${GUILD}-${OTHER}$`));
    discord.joinActivityInstance(id, bob.id);
    const get = (auth: string) => fetch(`${base}/applications/${discord.applicationId}/activity-instances/${id}`, { headers: { authorization: auth } });
    const res = await get(`Bot ${discord.token}`);
    expect(await res.json()).toMatchObject({
      application_id: discord.applicationId,
      instance_id: id,
      location: { id: `gc-${GUILD}-${OTHER}`, kind: 'gc', channel_id: OTHER, guild_id: GUILD },
      users: [alice.id, bob.id],
    });
    expect((await get('Bearer x')).status).toBe(401);
    discord.leaveActivityInstance(id, alice.id);
    discord.leaveActivityInstance(id, bob.id);
    const gone = await get(`Bot ${discord.token}`);
    expect([gone.status, await gone.json()]).toEqual([404, { message: '404: Not Found', code: 0 }]);
  });

  it('LAUNCH_ACTIVITY starts an instance in the clicker’s channel and a second launch there joins it', async () => {
    const first = discord.invokeCommand({ name: 'watch', channelId: CHANNEL, member: alice });
    expect((await first.acknowledged).type).toBe(12);
    const instanceId = discord.launchedActivity(first);
    expect(instanceId).toMatch(new RegExp(`-gc-${GUILD}-${CHANNEL}$`));
    const second = discord.invokeCommand({ name: 'watch', channelId: CHANNEL, member: bob });
    await second.acknowledged;
    expect(discord.launchedActivity(second)).toBe(instanceId);
    expect(discord.activityInstance(instanceId!)?.participants.map((u) => u.username)).toEqual(['alice', 'bob']);
    expect(launchErrors).toEqual([]);
  });

  it('refuses LAUNCH_ACTIVITY while the app has Activities disabled (no EMBEDDED flag)', async () => {
    discord.setActivitiesEnabled(false);
    try {
      const app = (await (await fetch(`${base}/applications/@me`, { headers: { authorization: `Bot ${discord.token}` } })).json()) as { flags: number };
      expect(app.flags & (1 << 17)).toBe(0);
      const before = launchErrors.length;
      const refused = discord.invokeCommand({ name: 'watch', channelId: OTHER, member: alice });
      await expect.poll(() => refused.callbacks.length).toBe(1);
      expect(refused.callbacks[0]).toMatchObject({ type: 12, status: 400, errorCode: 50035 });
      await expect.poll(() => launchErrors.length).toBe(before + 1);
      expect((launchErrors.at(-1) as DiscordAPIError).code).toBe(50035);
      expect(discord.launchedActivity(refused)).toBeUndefined();
    } finally {
      discord.setActivitiesEnabled(true);
    }
  });
});
