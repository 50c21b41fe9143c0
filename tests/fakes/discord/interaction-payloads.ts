import { randomBytes } from 'node:crypto';
import type { APIBaseInteraction, APIInteraction, APIMessage, InteractionType, Locale } from 'discord-api-types/v10';
import type { ChannelRecord, FakeState } from './fake-state';
import { PERMISSIONS, toInteractionMember, type GuildRecord } from './guild-objects';
import { deliverOverHttp } from './http-delivery';
import { registerInteraction } from './interaction-record';
import type { InteractionOrigin } from './message-store';
import { botPermissionsIn, permissionsIn } from './permissions';
import type { FakeMember, InteractionHandle } from './types';

/**
 * The part every interaction payload shares, as Discord sends it in a guild. discord.js needs
 * `entitlements`, `authorizing_integration_owners` and the `channel` object (reference §5.4).
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object
 */

export const DEFAULT_MEMBER: FakeMember = { id: '1500000000000000009', username: 'tester', roles: [] };

export interface InteractionContext {
  guild: GuildRecord;
  channel: ChannelRecord;
  member: FakeMember;
}

export interface Target {
  guildId?: string;
  channelId?: string;
  member?: FakeMember;
  deadlineMs?: number;
  appPermissions?: bigint | string;
}

export function resolveContext(state: FakeState, target: Target): InteractionContext {
  const guild = target.guildId ? state.guilds.get(target.guildId) : state.guilds.values().next().value;
  if (!guild) throw new Error(`fake Discord: unknown guild ${target.guildId ?? '(none configured)'}`);
  const channelId = target.channelId ?? guild.channelIds[0];
  const channel = channelId ? state.channels.get(channelId) : undefined;
  if (!channel || channel.guildId !== guild.id) throw new Error(`fake Discord: channel ${channelId ?? '(none)'} is not in guild ${guild.id}`);
  const member = target.member ?? DEFAULT_MEMBER;
  // VIEW_CHANNEL "allows guild members to view a channel": without it the client shows neither the
  // channel nor its messages, so no command or component can come from there. (A test's explicit
  // `permissions` are taken as given.) @see https://discord.com/developers/docs/topics/permissions#permissions-bitwise-permission-flags
  if (member.permissions === undefined && !(permissionsIn(state, channel.channel.id, { userId: member.id, roleIds: member.roles ?? [] }) & PERMISSIONS.VIEW_CHANNEL)) {
    throw new Error(
      `fake Discord: member ${member.id} cannot view channel ${channel.channel.id}, so cannot use commands or components there ` +
        '(give @everyone, the role with the guild id, VIEW_CHANNEL, add an overwrite, or set the member\'s `permissions`)',
    );
  }
  state.members.set(`${guild.id}:${member.id}`, member);
  return { guild, channel, member };
}

/**
 * `member.permissions` and `app_permissions` are computed for the channel the interaction comes
 * from, overwrites applied ("Total permissions of the member in the channel, including overwrites";
 * "Bitwise set of permissions the app has within the channel the interaction was sent from").
 * A test's explicit `member.permissions` is sent as given; `appPermissions` is the bot's guild-level set.
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object-interaction-structure
 */
function memberPermissionsHere(state: FakeState, ctx: InteractionContext): bigint {
  if (ctx.member.permissions !== undefined) return BigInt(ctx.member.permissions);
  const bits = permissionsIn(state, ctx.channel.channel.id, { userId: ctx.member.id, roleIds: ctx.member.roles ?? [] });
  // "Timed out members will temporarily lose all permissions except VIEW_CHANNEL and READ_MESSAGE_HISTORY.
  // Owners and admin users with ADMINISTRATOR permissions are exempt." Whether the payload's set already
  // reflects it is not documented: the fake takes the stricter reading (it does).
  // @see https://discord.com/developers/docs/topics/permissions#permissions-for-timed-out-members
  const timedOut = ctx.member.timedOutUntil !== undefined && Date.parse(ctx.member.timedOutUntil) > Date.now();
  return timedOut && !(bits & PERMISSIONS.ADMINISTRATOR) ? bits & (PERMISSIONS.VIEW_CHANNEL | PERMISSIONS.READ_MESSAGE_HISTORY) : bits;
}

function appPermissions(state: FakeState, ctx: InteractionContext, override?: bigint | string): string {
  return botPermissionsIn(state, ctx.channel.channel.id, override !== undefined ? BigInt(override) : undefined).toString();
}

/** Builds the payload around `data` (and `message`), registers it and sends INTERACTION_CREATE. */
export function dispatchInteraction(
  state: FakeState,
  ctx: InteractionContext,
  target: Target,
  init: { type: 2 | 3 | 4; data: unknown; commandName?: string; message?: APIMessage; sourceMessageId?: string },
): InteractionHandle {
  const id = state.nextId();
  const guild = ctx.guild;
  const member = toInteractionMember(ctx.member, memberPermissionsHere(state, ctx));
  const base: Omit<APIBaseInteraction<InteractionType, never>, 'type' | 'data'> = {
    id,
    application_id: state.applicationId,
    guild: { id: guild.id, locale: guild.preferredLocale as Locale, features: [] },
    guild_id: guild.id,
    channel: ctx.channel.channel,
    channel_id: ctx.channel.channel.id,
    member,
    token: Buffer.from(`interaction:${id}:${randomBytes(48).toString('base64url')}`).toString('base64url'),
    version: 1,
    app_permissions: appPermissions(state, ctx, target.appPermissions),
    locale: (ctx.member.locale ?? 'en-US') as Locale,
    guild_locale: guild.preferredLocale as Locale,
    entitlements: [],
    authorizing_integration_owners: { '0': guild.id },
    context: 0,
    attachment_size_limit: 10_485_760,
    ...(init.message !== undefined ? { message: init.message } : {}),
  };
  // `data` is typed by the caller per interaction kind; the union needs the one assertion.
  const payload = { ...base, type: init.type, data: init.data } as APIInteraction;
  const origin: InteractionOrigin = {
    id,
    type: init.type,
    user: member.user,
    guildId: guild.id,
    ...(init.commandName ? { name: init.commandName } : {}),
    ...(init.sourceMessageId ? { interactedMessageId: init.sourceMessageId } : {}),
  };
  // Dispatched first so that without a session nothing is registered; the bot cannot answer before we return.
  // With an Interactions Endpoint URL set, Discord POSTs interactions there instead of the gateway.
  // @see https://discord.com/developers/docs/interactions/receiving-and-responding#receiving-an-interaction
  const endpoint = state.interactionsEndpointUrl;
  if (endpoint === null) state.gateway.dispatch('INTERACTION_CREATE', payload);
  const handle = registerInteraction(state, {
    payload,
    origin,
    channelId: ctx.channel.channel.id,
    deadlineMs: target.deadlineMs ?? state.settings.interactionDeadlineMs,
    ...(init.sourceMessageId ? { sourceMessageId: init.sourceMessageId } : {}),
  });
  // Registered first: the bot's answer (the HTTP response) is applied to this record.
  if (endpoint !== null) deliverOverHttp(state, state.interactions.get(handle.id)!, endpoint);
  return handle;
}
