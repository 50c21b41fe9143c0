/**
 * Letting a member into the "Watch together" Activity. Nothing the client says is trusted that
 * the server can check: the access token is asked of Discord (users/@me), the instance is asked
 * of Discord with the bot token (it exists, this user is in it, in a server and channel the bot
 * serves), the member's roles are asked of Discord, and the channel's visibility is computed from
 * them. Only then is a session minted. Messages never contain a token.
 */
import type { Actor } from '../meetings/actor';
import { canSee } from '../meetings/meeting-visibility';
import type { ActivityMember, ActivityPlatform } from '../ports/activity-platform';
import { within } from './bounded-wait';
import { takeLaunch } from './launch-intents';
import { ActivityAuthError } from './media-errors';
import type { ActivitySession } from './media-service';
import type { MediaContext } from './media-service-deps';
import { INSTANCE_ID, signSessionToken, verifySessionToken } from './session-tokens';

/** OAuth codes and access tokens are opaque URL-safe text (Discord's are ~30 characters). */
const OPAQUE = /^[A-Za-z0-9._~+/=-]{1,512}$/;
/** A member's roles are asked of Discord again after this long (role or channel changes apply within a minute). */
export const MEMBER_CACHE_MS = 60_000;
const MAX_CACHED_MEMBERS = 5_000;

export function platformOf(ctx: MediaContext): ActivityPlatform {
  if (!ctx.platform) throw new ActivityAuthError('activity.disabled');
  return ctx.platform;
}

export async function exchangeCode(ctx: MediaContext, code: string): Promise<{ accessToken: string }> {
  const platform = platformOf(ctx);
  if (typeof code !== 'string' || !OPAQUE.test(code)) throw new ActivityAuthError('activity.bad-code');
  const granted = await within(platform.exchangeCode(code), ctx.waitMs, 'discord');
  if (!granted) throw new ActivityAuthError('activity.code-refused');
  return { accessToken: granted.accessToken };
}

/** The member's Actor: roles as Discord says now, permissions computed per channel (none assumed). */
export const actorOf = (userId: string, displayName: string, member: ActivityMember): Actor => ({
  id: userId,
  displayName,
  roleIds: member.roleIds,
  permissions: 0n,
  ...(member.timedOut && { timedOut: true }),
});

/** Discord's answer about a member, at most a minute old. */
export async function memberOf(ctx: MediaContext, guildId: string, userId: string): Promise<ActivityMember | undefined> {
  const key = `${guildId}:${userId}`;
  const now = ctx.clock.now();
  const cached = ctx.members.get(key);
  if (cached && now - cached.at < MEMBER_CACHE_MS && now >= cached.at) return cached.member;
  const member = await within(platformOf(ctx).member(guildId, userId), ctx.waitMs, 'discord');
  ctx.members.delete(key);
  if (ctx.members.size >= MAX_CACHED_MEMBERS) ctx.members.delete(ctx.members.keys().next().value!);
  ctx.members.set(key, { member, at: now });
  return member;
}

/**
 * Throws unless the member can see the channel (`activity.unknown-server` when the bot does not know it).
 * Asks the platform first (bounded, never rejects): in discord.mode http visibility comes from a REST copy
 * that this instance may not have read yet, or read too long ago.
 */
async function checkChannel(ctx: MediaContext, actor: Actor, guildId: string, channelId: string): Promise<void> {
  await ctx.access.load?.(guildId, channelId);
  if (ctx.access.permissionsIn(guildId, channelId, { id: actor.id, roleIds: actor.roleIds }) === undefined) throw new ActivityAuthError('activity.unknown-server');
  if (!canSee(ctx.access, actor, { guildId, channelId })) throw new ActivityAuthError('activity.channel-hidden');
}

export async function openSession(
  ctx: MediaContext,
  input: { readonly accessToken: string; readonly instanceId: string },
): Promise<{ token: string; session: ActivitySession; launchedEntryId?: string }> {
  const platform = platformOf(ctx);
  const { accessToken, instanceId } = input ?? {};
  if (typeof accessToken !== 'string' || !OPAQUE.test(accessToken)) throw new ActivityAuthError('activity.bad-token');
  if (typeof instanceId !== 'string' || !INSTANCE_ID.test(instanceId)) throw new ActivityAuthError('activity.bad-instance');

  const user = await within(platform.userOf(accessToken), ctx.waitMs, 'discord');
  if (!user) throw new ActivityAuthError('activity.token-refused');
  const instance = await within(platform.instance(instanceId), ctx.waitMs, 'discord');
  if (!instance || instance.instanceId !== instanceId) throw new ActivityAuthError('activity.unknown-instance');
  if (!instance.userIds.includes(user.id)) throw new ActivityAuthError('activity.not-in-instance');
  if (instance.guildId === undefined) throw new ActivityAuthError('activity.not-in-server');
  // Guild instances always carry their channel (location.channel_id); without one, nothing can be checked: refuse.
  if (instance.channelId === undefined) throw new ActivityAuthError('activity.unknown-server');
  const { guildId, channelId } = instance;
  // A server or channel the bot does not know is refused before Discord is asked about the member.
  await ctx.access.load?.(guildId, channelId);
  if (ctx.access.permissionsIn(guildId, channelId, { id: user.id, roleIds: [] }) === undefined) throw new ActivityAuthError('activity.unknown-server');

  ctx.members.delete(`${guildId}:${user.id}`); // a new session always reads the roles afresh
  const member = await memberOf(ctx, guildId, user.id);
  if (!member) throw new ActivityAuthError('activity.not-member');
  const displayName = member.displayName.trim() || user.globalName?.trim() || user.username;
  const actor = actorOf(user.id, displayName, member);
  await checkChannel(ctx, actor, guildId, channelId);

  const { token, session } = signSessionToken({ userId: user.id, displayName, guildId, channelId, instanceId }, { key: ctx.sessionKey, now: ctx.clock.now() });
  const launchedEntryId = await takeLaunch(ctx, user.id, guildId, channelId);
  ctx.logger.info({ userId: user.id, guildId, channelId, instanceId, launched: launchedEntryId !== undefined }, 'activity session opened');
  return { token, session, ...(launchedEntryId !== undefined && { launchedEntryId }) };
}

export const verifySession = (ctx: MediaContext, token: string): ActivitySession | undefined => verifySessionToken(token, { key: ctx.sessionKey, now: ctx.clock.now() });

/**
 * The session's member as they stand now: still in the server (roles re-read at most a minute
 * ago) and still able to see the Activity's channel; else ActivityAuthError 403.
 */
export async function sessionActor(ctx: MediaContext, session: ActivitySession): Promise<Actor> {
  const member = await memberOf(ctx, session.guildId, session.userId);
  if (!member) throw new ActivityAuthError('activity.not-member');
  const actor = actorOf(session.userId, session.displayName, member);
  if (session.channelId !== undefined) await checkChannel(ctx, actor, session.guildId, session.channelId);
  return actor;
}
