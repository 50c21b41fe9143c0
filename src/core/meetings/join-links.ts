/**
 * Issuing and redeeming personal join links. The role is decided when the member clicks
 * Join (their roles then, their permissions in the meeting's channel) and carried in the signed
 * token; the display name and role ids are kept server-side (the join grant) so the token stays
 * short. Redeeming checks the token, the meeting, that the member can still see the meeting's
 * channel, and single use, in that order, and only then asks Kaltura for the launch URL.
 */
import { MeetingOverError } from '../ports/meeting-provider';
import type { Actor } from './actor';
import { verifyJoinToken, signJoinToken } from './join-tokens';
import type { Meeting } from './meeting';
import { meetingEnded, notFound } from './meeting-errors';
import { newTokenId } from './meeting-ids';
import { JoinLinkError, type JoinLink, type RedeemedJoin } from './meeting-service';
import type { MeetingContext } from './meeting-service-deps';
import { decideRole } from './roles';
import { actorInChannelOf, canSee } from './meeting-visibility';

/**
 * Live, not past its scheduled end (the reconciler may not have run yet) and visible to the
 * actor; returned with the actor as they stand in its channel. A meeting the actor cannot see
 * is "not found", exactly like one that does not exist.
 */
export async function getVisibleLiveMeeting(ctx: MeetingContext, actor: Actor, guildId: string, meetingId: string): Promise<{ meeting: Meeting; actor: Actor }> {
  const meeting = await ctx.store.meetings.get(meetingId);
  if (!meeting || meeting.guildId !== guildId) throw notFound();
  const inChannel = actorInChannelOf(ctx.access, actor, meeting);
  if (!inChannel) throw notFound();
  if (!isLiveNow(meeting, ctx.clock.now())) throw meetingEnded();
  return { meeting, actor: inChannel };
}

export const getLiveMeeting = async (ctx: MeetingContext, actor: Actor, guildId: string, meetingId: string): Promise<Meeting> =>
  (await getVisibleLiveMeeting(ctx, actor, guildId, meetingId)).meeting;

/** The guild's live meetings the actor can see. */
export async function listVisibleLive(ctx: MeetingContext, actor: Actor, guildId: string): Promise<Meeting[]> {
  const live = await ctx.store.meetings.listLive(guildId);
  const now = ctx.clock.now();
  return live.filter((m) => isLiveNow(m, now) && canSee(ctx.access, actor, m));
}

export const isLiveNow = (meeting: Meeting, now: number): boolean =>
  meeting.status === 'live' && (meeting.endsAt === undefined || meeting.endsAt > now);

const MAX_STORED_NAME = 64;

export async function issueJoinLink(ctx: MeetingContext, actor: Actor, guildId: string, meetingId: string): Promise<JoinLink> {
  const { meeting, actor: inChannel } = await getVisibleLiveMeeting(ctx, actor, guildId, meetingId);
  const role = decideRole(inChannel, meeting, await ctx.policyFor(guildId));
  const tokenId = newTokenId(ctx.random);
  const { token, expiresAt } = await signJoinToken({ meetingId, guildId, userId: actor.id, role, tokenId }, { key: ctx.joinKey, now: ctx.clock.now(), ttlMs: ctx.links.ttlMs });
  // Discord names are at most 32 characters; anything longer is not worth storing (code points, not halves of pairs).
  const displayName = [...actor.displayName].slice(0, MAX_STORED_NAME).join('');
  await ctx.store.joinLedger.recordGrant({ tokenId, meetingId, userId: actor.id, displayName, roleIds: actor.roleIds, expiresAt });
  return { url: `${ctx.links.publicUrl.replace(/\/+$/, '')}/j/${token}`, expiresAt, role, meeting };
}

export async function redeemJoinLink(ctx: MeetingContext, token: string): Promise<RedeemedJoin> {
  const now = ctx.clock.now();
  const claims = await verifyJoinToken(token, { key: ctx.joinKey, now });
  // Both reads in one unit of work: the hot path of a class joining at once pays one round of the
  // store's lock (SQLite) or one pooled BEGIN…COMMIT (PostgreSQL) instead of two.
  const [meeting, grant] = await ctx.store.transaction(async (tx) => [await tx.meetings.get(claims.meetingId), await tx.joinLedger.findGrant(claims.tokenId)] as const);
  if (!meeting || meeting.guildId !== claims.guildId) throw new JoinLinkError('unknown-meeting');
  // A token issued before grants existed (an upgrade within its few minutes) is simply outdated.
  if (!grant || grant.meetingId !== meeting.id || grant.userId !== claims.userId) throw new JoinLinkError('expired');
  // The channel may have been closed to them since (overwrites, roles): the same answer as no meeting.
  // A private thread's members are not all known to the bot; the grant says they could see it (Discord
  // itself, or Manage Threads), so only the rest is checked again.
  const grantee = { id: grant.userId, displayName: grant.displayName, roleIds: grant.roleIds, permissions: 0n };
  // An archived thread may have left the adapter's cache since the link was issued: ask once.
  if (ctx.access.load && ctx.access.permissionsIn(meeting.guildId, meeting.channelId, { id: grantee.id, roleIds: grantee.roleIds, threadMember: true }) === undefined) {
    await ctx.access.load(meeting.guildId, meeting.channelId);
  }
  if (!canSee(ctx.access, grantee, meeting, { threadMember: true })) throw new JoinLinkError('unknown-meeting');
  if (meeting.status !== 'live' || meeting.eventId === undefined || meeting.endsAt === undefined) throw new JoinLinkError('ended');
  // Last check, so a link refused for another reason is not used up. The token id's primary key
  // decides: of two redemptions at once (two instances too) exactly one inserts it.
  if (!(await ctx.store.joinLedger.consume(claims.tokenId, meeting.id, claims.expiresAt, now))) throw new JoinLinkError('used');

  const member = { discordId: claims.userId, displayName: grant.displayName };
  let redirectUrl: string;
  try {
    redirectUrl = await ctx.provider.joinUrl({ eventId: meeting.eventId, endsAt: new Date(meeting.endsAt), member, role: claims.role });
  } catch (err) {
    if (err instanceof MeetingOverError) throw new JoinLinkError('ended', { cause: err });
    throw err;
  }
  await ctx.store.transaction(async (tx) => {
    await tx.joinLedger.recordJoin({ meetingId: meeting.id, userId: claims.userId, role: claims.role, at: now });
    await ctx.notifier.memberJoined(tx, meeting, { id: claims.userId, displayName: grant.displayName });
  });
  ctx.logger.info({ meetingId: meeting.id, userId: claims.userId, role: claims.role }, 'member joined');
  upsertInBackground(ctx, member);
  return { redirectUrl, meeting, userId: claims.userId, role: claims.role };
}

/** A member whose profile was synced less than this long ago (with the same name) is not synced again. */
export const RESYNC_AFTER_MS = 60 * 60_000;
const MAX_REMEMBERED = 10_000;

/**
 * Keeps the member's Kaltura profile current; the redirect never waits for it. A member who
 * rejoins (a reload, a second session) is synced at most once an hour unless their name changed.
 */
function upsertInBackground(ctx: MeetingContext, member: { discordId: string; displayName: string }): void {
  const key = `${member.discordId}\u0000${member.displayName}`;
  const now = ctx.clock.now();
  const last = ctx.recentlySynced.get(key);
  if (last !== undefined && now - last < RESYNC_AFTER_MS) return;
  if (ctx.recentlySynced.size >= MAX_REMEMBERED) ctx.recentlySynced.delete(ctx.recentlySynced.keys().next().value!);
  ctx.recentlySynced.set(key, now);
  const warn = (err: unknown) => {
    ctx.recentlySynced.delete(key); // try again on the next join
    ctx.logger.warn({ err, userId: member.discordId }, 'could not update the member in Kaltura; the join went ahead');
  };
  try {
    ctx.members.upsertMember(member).catch(warn);
  } catch (err) {
    warn(err);
  }
}
