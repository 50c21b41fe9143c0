import type { APIApplication, ApplicationFlags } from 'discord-api-types/v10';
import { apiErrors } from './api-errors';
import type { FakeState } from './fake-state';
import { toGuildCreate, toUser } from './guild-objects';
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
    flags: 0 as ApplicationFlags,
    flags_new: '0',
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
  { method: 'GET', template: '/users/@me', auth: 'bot', handle: (state) => ok(state.botUser) },
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
  { method: 'GET', template: '/guilds/:guild/channels', auth: 'bot', handle: (state, req) => ok(guildChannels(state, req.params.guild ?? '')) },
  { method: 'GET', template: '/guilds/:guild/roles', auth: 'bot', handle: (state, req) => ok(guildOf(state, req.params.guild).roles) },
  {
    method: 'GET',
    template: '/guilds/:guild/members/:user',
    auth: 'bot',
    handle: (state, req) => {
      const guild = guildOf(state, req.params.guild);
      const member = state.members.get(`${guild.id}:${req.params.user}`);
      if (!member) throw apiErrors.unknownMember();
      return ok({
        user: toUser(member),
        roles: [...(member.roles ?? [])],
        nick: member.nick ?? null,
        avatar: null,
        joined_at: '2024-01-15T10:00:00.000000+00:00',
        premium_since: null,
        deaf: false,
        mute: false,
        flags: 0,
        pending: false,
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
      return ok(record.channel);
    },
  },
];
