import { createInstance, joinInstance, leaveInstance } from './activity-instances';
import { activityRoutes } from './activity-routes';
import { appRoutes } from './app-routes';
import { commandScope, commandRoutes, seedCommands } from './command-routes';
import { autocomplete, invokeCommand } from './command-interactions';
import { useComponent } from './component-interactions';
import { checkEndpointLikeThePortal } from './http-delivery';
import { createFakeState } from './fake-state';
import { startGateway } from './gateway-server';
import { interactionRoutes } from './interaction-routes';
import { liveChannelMessages } from './message-store';
import { messageRoutes, setThreadArchived } from './message-routes';
import { botPermissionsIn, permissionsIn, THREAD_TYPES } from './permissions';
import { DEFAULT_CHANNEL_MESSAGE_LIMIT } from './rate-limit-plan';
import { mintCode } from './oauth-store';
import { oauthRoutes, userObject } from './oauth-routes';
import { startRestServer } from './rest-server';
import type { FakeDiscord, FakeDiscordOptions } from './types';
import { webhookRoutes } from './webhook-routes';

const ROUTES = [...appRoutes, ...oauthRoutes, ...activityRoutes, ...commandRoutes, ...messageRoutes, ...interactionRoutes, ...webhookRoutes];

/**
 * A wire-level fake Discord for tests: REST under `/api/v10` (node:http) and the gateway (`ws`),
 * both on 127.0.0.1, that a real discord.js Client logs in to. It records every request and
 * answers as Discord does (reference: /work/shared/reference/discord-api.md §1-5, §9).
 * One instance per test file (or test); always `close()` it after `client.destroy()`.
 *
 * @example
 *   const discord = await startFakeDiscord({ guilds: [{ id: G, name: 'Campus', channels: [{ id: C, name: 'general' }] }] });
 *   const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: discord.apiBaseUrl } });
 *   client.on(Events.Error, () => {});
 *   await client.login(discord.token);
 *   await discord.waitForIdentify();
 *   const i = discord.invokeCommand({ name: 'kaltura', subcommand: 'start', options: { title: 'Physics' } });
 *   expect((await i.reply()).content).toContain('Physics');
 *   await client.destroy();
 *   await discord.close();
 */
export async function startFakeDiscord(opts: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const state = createFakeState(opts);
  seedCommands(state, opts.commands?.global ?? []);
  for (const [guildId, seeds] of Object.entries(opts.commands?.guilds ?? {})) seedCommands(state, seeds, guildId);
  const [rest, gateway] = await Promise.all([startRestServer(state, ROUTES), startGateway(state)]);
  state.gatewayUrl = gateway.url;
  state.gateway = gateway;
  const channelRecord = (channelId: string) => {
    const record = state.channels.get(channelId);
    if (!record) throw new Error(`fake Discord: unknown channel ${channelId}`);
    return record;
  };
  return {
    apiBaseUrl: rest.apiBaseUrl,
    gatewayUrl: gateway.url,
    applicationId: state.applicationId,
    token: state.token,
    botUser: state.botUser,
    verifyKey: state.verifyKey,
    requests: state.requests,
    gateway: gateway.log,
    interactions: state.handles,
    internalErrors: state.internalErrors,
    waitForIdentify: ({ count = 1, timeoutMs = 10_000 } = {}) => gateway.waitFor('identify', count, timeoutMs),
    waitForResume: ({ count = 1, timeoutMs = 10_000 } = {}) => gateway.waitFor('resume', count, timeoutMs),
    invokeCommand: (o) => invokeCommand(state, o),
    autocomplete: (o) => autocomplete(state, o),
    clickButton: (o) => useComponent(state, o),
    selectMenu: (o) => useComponent(state, o, o.values),
    channelMessages: (channelId) => liveChannelMessages(state, channelId).map((m) => structuredClone(m.message)),
    message: (messageId) => {
      const stored = state.messages.get(messageId);
      return stored && !stored.deleted ? structuredClone(stored.message) : undefined;
    },
    commands: (guildId) => structuredClone(commandScope(state, guildId)),
    rateLimitNext: (match, o) => state.limits.rateLimitNext(match, o),
    failNext: (match, o) => state.limits.failNext(match, o),
    limitChannelMessages: (limit) => state.limits.limitChannelMessages(limit === false ? false : { ...DEFAULT_CHANNEL_MESSAGE_LIMIT, ...limit }),
    denyChannel: (channelId, code = 50001) => {
      channelRecord(channelId).denied = code;
    },
    allowChannel: (channelId) => {
      delete channelRecord(channelId).denied;
    },
    permissionsIn: (channelId, who) =>
      'bot' in who ? botPermissionsIn(state, channelId) : permissionsIn(state, channelId, { userId: who.id, roleIds: who.roles ?? [] }),
    setChannelOverwrites: (channelId, overwrites) => {
      const record = channelRecord(channelId);
      if (THREAD_TYPES.has(Number(record.channel.type))) throw new Error(`fake Discord: thread ${channelId} has no overwrites (set its parent's)`);
      record.channel.permission_overwrites = overwrites.map((o) => ({ id: o.id, type: o.type, allow: String(o.allow ?? '0'), deny: String(o.deny ?? '0') }));
      // @see https://discord.com/developers/docs/events/gateway-events#channel-update
      // Sent to sessions with the GUILDS intent (1 << 0); in HTTP mode there may be none.
      // @see https://discord.com/developers/docs/events/gateway#list-of-intents
      if (gateway.hasIntent(1)) gateway.dispatch('CHANNEL_UPDATE', structuredClone(record.channel));
    },
    archiveThread: (channelId, { archived = true, locked } = {}) => setThreadArchived(state, channelRecord(channelId), archived, locked),
    setInteractionsEndpointUrl: (url) => {
      state.interactionsEndpointUrl = url;
    },
    checkInteractionsEndpoint: (url) => checkEndpointLikeThePortal(state, url),
    dropGatewayConnection: ({ code } = {}) => gateway.drop(code),
    sendReconnect: () => gateway.sendOp(7, null),
    invalidateSession: (resumable) => gateway.sendOp(9, resumable),
    dispatch: (event, data) => gateway.dispatch(event, data),
    clientSecret: state.clientSecret,
    setActivitiesEnabled: (enabled) => {
      state.activity.enabled = enabled;
    },
    createActivityInstance: (o) => createInstance(state, o).instanceId,
    joinActivityInstance: (instanceId, userId) => void joinInstance(state, instanceId, userId),
    leaveActivityInstance: (instanceId, userId) => leaveInstance(state, instanceId, userId),
    activityInstance: (instanceId) => {
      const i = state.activity.instances.get(instanceId);
      return i && { ...i, userIds: [...i.userIds], participants: i.userIds.map((id) => userObject(state, id)) };
    },
    activityLaunches: state.activity.launches,
    user: (userId) => userObject(state, userId),
    launchedActivity: (interaction) => {
      const id = typeof interaction === 'string' ? interaction : interaction.id;
      return state.activity.launches.findLast((l) => l.interactionId === id)?.instanceId;
    },
    mintAuthorizationCode: (userId, scopes = ['identify'], o = {}) => mintCode(state.oauth, userId, scopes, state.now(), o.ttlMs),
    revokeAccessToken: (accessToken) => {
      const grant = state.oauth.tokens.get(accessToken);
      if (grant) grant.revoked = true;
    },
    close: async () => {
      for (const timer of state.timers) clearTimeout(timer);
      state.timers.clear();
      await Promise.all([gateway.close(), rest.close()]);
    },
  };
}

export type * from './types';
export { PERMISSIONS } from './guild-objects';
export { applyOverwrites, basePermissions, botPermissionsIn, permissionsIn } from './permissions';
