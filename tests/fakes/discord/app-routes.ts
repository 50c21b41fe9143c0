import type { APIApplication, APIRole, ApplicationFlags } from 'discord-api-types/v10';
import { EMBEDDED_FLAG } from './activity-instances';
import { apiErrors } from './api-errors';
import type { FakeState } from './fake-state';
import { PERMISSIONS, toGuildCreate, toRole, toUser, type GuildRecord } from './guild-objects';
import { botPermissionsIn, THREAD_TYPES } from './permissions';
import { ok, type RestRoute } from './rest-route';

/**
 * Identity and lookup routes: gateway discovery, the bot user and application, guilds, channels,
 * members. What `Client.login`, `init`/`doctor` and `*.fetch()` calls ask for.
 * @see https://discord.com/developers/docs/events/gateway#get-gateway-bot
 */

function applicationObject(state: FakeState): APIApplication {
  return {
    id: state.applicationId,
    name: state.applicationName,
    icon: null,
    description: '',
    bot_public: true,
    bot_require_code_grant: false,
    bot: state.botUser,
    verify_key: state.verifyKey,
    // Delivery over the gateway and to this URL are exclusive: a gateway bot must see it null.
    // @see https://discord.com/developers/docs/resources/application#application-object
    interactions_endpoint_url: state.interactionsEndpointUrl,
    // EMBEDDED (1 << 17) while the portal's Activities switch is on.
    flags: (state.activity.enabled ? EMBEDDED_FLAG : 0) as ApplicationFlags,
    flags_new: String(state.activity.enabled ? EMBEDDED_FLAG : 0),
    team: null,
    summary: '',
    owner: { id: '1000000000000000001', username: 'owner', discriminator: '0', global_name: null, avatar: null },
  };
}

function guildOf(state: FakeState, id: string | undefined) {
  const guild = id ? state.guilds.get(id) : undefined;
  if (!guild) throw apiErrors.unknownGuild();
  return guild;
}

/** The test seeded the bot as a member (its own roles); otherwise it has the managed role below. */
const botIsSeeded = (state: FakeState, guildId: string) => state.members.has(`${guildId}:${state.botUser.id}`);

/**
 * A bot added with permissions gets a managed role named after it holding them ("tags.bot_id");
 * here it holds the fake's `appPermissions`, so REST callers that compute the bot's permissions
 * from its roles and the channel overwrites get what `app_permissions` says.
 * @see https://discord.com/developers/docs/topics/permissions#role-object-role-tags-structure
 */
function botRole(state: FakeState, guild: GuildRecord): APIRole {
  let id = BigInt(guild.id) + 7n;
  while (guild.roles.some((r) => r.id === String(id))) id += 1n;
  return { ...toRole({ id: String(id), name: state.botUser.username, permissions: state.settings.appPermissions, position: guild.roles.length }, guild.roles.length), managed: true, tags: { bot_id: state.botUser.id } };
}

export function guildChannels(state: FakeState, guildId: string) {
  return guildOf(state, guildId).channelIds.flatMap((id) => {
    const record = state.channels.get(id);
    return record ? [record.channel] : [];
  });
}

export const appRoutes: RestRoute[] = [
  { method: 'GET', template: '/gateway', auth: 'none', handle: (state) => ok({ url: state.gatewayUrl }) },
  {
    method: 'GET',
    template: '/gateway/bot',
    auth: 'bot',
    handle: (state) =>
      ok({
        url: state.gatewayUrl,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
      }),
  },
  // GET /users/@me (bot token or Bearer) is in oauth-routes.ts.
  { method: 'GET', template: '/applications/@me', auth: 'bot', handle: (state) => ok(applicationObject(state)) },
  { method: 'GET', template: '/oauth2/applications/@me', auth: 'bot', handle: (state) => ok(applicationObject(state)) },
  {
    method: 'GET',
    template: '/guilds/:guild',
    auth: 'bot',
    handle: (state, req) => {
      const guild = guildOf(state, req.params.guild);
      const { channels: _channels, members: _members, ...rest } = toGuildCreate(guild, [], 0);
      return ok(rest);
    },
  },
  // "Returns a list of guild channel objects. Does not include threads."
  // @see https://discord.com/developers/docs/resources/guild#get-guild-channels
  {
    method: 'GET',
    template: '/guilds/:guild/channels',
    auth: 'bot',
    handle: (state, req) => ok(guildChannels(state, req.params.guild ?? '').filter((c) => !THREAD_TYPES.has(Number(c.type)))),
  },
  {
    method: 'GET',
    template: '/guilds/:guild/roles',
    auth: 'bot',
    handle: (state, req) => {
      const guild = guildOf(state, req.params.guild);
      return ok(botIsSeeded(state, guild.id) ? guild.roles : [...guild.roles, botRole(state, guild)]);
    },
  },
  {
    method: 'GET',
    template: '/guilds/:guild/members/:user',
    auth: 'bot',
    handle: (state, req) => {
      const guild = guildOf(state, req.params.guild);
      const isBot = req.params.user === state.botUser.id && !botIsSeeded(state, guild.id);
      const member = isBot ? { id: state.botUser.id, username: state.botUser.username, roles: [botRole(state, guild).id] } : state.members.get(`${guild.id}:${req.params.user}`);
      if (!member) throw apiErrors.unknownMember();
      return ok({
        user: isBot ? state.botUser : toUser(member),
        roles: [...(member.roles ?? [])],
        nick: member.nick ?? null,
        avatar: null,
        joined_at: '2024-01-15T10:00:00.000000+00:00',
        premium_since: null,
        deaf: false,
        mute: false,
        flags: 0,
        pending: false,
        communication_disabled_until: ('timedOutUntil' in member && member.timedOutUntil) || null,
      });
    },
  },
  {
    method: 'GET',
    template: '/channels/:channel',
    auth: 'bot',
    handle: (state, req) => {
      const record = state.channels.get(req.params.channel ?? '');
      if (!record) throw apiErrors.unknownChannel();
      if (record.denied === 50001) throw apiErrors.missingAccess();
      // A channel the bot cannot view answers 403 Missing Access, as Discord does.
      if (!(botPermissionsIn(state, record.channel.id) & PERMISSIONS.VIEW_CHANNEL)) throw apiErrors.missingAccess();
      return ok(record.channel);
    },
  },
];
