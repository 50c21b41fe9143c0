/**
 * Personal watch links: `/kaltura share`'s Watch button gives the member `<publicUrl>/v/<token>`,
 * a player page of ours with a KS that can view that one entry. Redeeming checks the token, the
 * ledger (single use), that the entry is still in the server's library and still the member's to
 * see (with their roles when the link was issued), and only then uses the link up and asks
 * Kaltura for the playback; if that fails, the link is given back so a retry works.
 */
import { newTokenId } from '../meetings/meeting-ids';
import type { Actor } from '../meetings/actor';
import type { MediaEntry, Playback } from '../ports/media-library';
import { within } from './bounded-wait';
import { WatchLinkError } from './media-errors';
import type { MediaContext } from './media-service-deps';
import { categoryIdFor, findVisible, isListable, kalturaUserOf, playbackTtlSeconds } from './scoped-media';
import { signWatchToken, verifyWatchToken } from './watch-tokens';

/** Used or expired links are forgotten this long after they expire (an expired token is refused before the ledger is read). */
const KEEP_EXPIRED_MS = 60 * 60_000;

export async function issueWatchLink(ctx: MediaContext, actor: Actor, guildId: string, entryId: string): Promise<{ url: string; expiresAt: Date }> {
  const entry = await findVisible(ctx, actor, guildId, entryId);
  const now = ctx.clock.now();
  const tokenId = newTokenId(ctx.random);
  const { token, expiresAt } = await signWatchToken({ guildId, userId: actor.id, entryId: entry.id, tokenId }, { key: ctx.watchKey, now, ttlMs: ctx.links.ttlMs });
  await ctx.store.watchLinks.record({ tokenId, guildId, userId: actor.id, entryId: entry.id, roleIds: actor.roleIds, expiresAt }, now - KEEP_EXPIRED_MS);
  return { url: `${ctx.links.publicUrl.replace(/\/+$/, '')}/v/${token}`, expiresAt: new Date(expiresAt) };
}

export async function redeemWatchLink(ctx: MediaContext, token: string): Promise<{ entry: MediaEntry; playback: Playback }> {
  const claims = await verifyWatchToken(token, { key: ctx.watchKey, now: ctx.clock.now() });
  const link = await ctx.store.watchLinks.find(claims.tokenId);
  // Signed by us but not in the ledger: issued before a restore of an older backup; simply outdated.
  if (!link) throw new WatchLinkError('expired');
  if (link.guildId !== claims.guildId || link.userId !== claims.userId || link.entryId !== claims.entryId) throw new WatchLinkError('invalid');
  if (link.usedAt !== undefined) throw new WatchLinkError('used');

  // The member as they were when the link was issued: the entry may have left the library, or the
  // meeting it records may have been closed to them since. A private thread's members are not all
  // known to the bot; issuing the link proved they could see it, so only the rest is checked again.
  const holder: Actor = { id: link.userId, displayName: '', roleIds: link.roleIds, permissions: 0n };
  const categoryId = await categoryIdFor(ctx, link.guildId);
  const entry = await within(ctx.library.findPlayable(categoryId, link.entryId), ctx.waitMs, 'kaltura');
  if (entry) await loadRecordedChannel(ctx, holder, entry);
  if (!entry || entry.id !== link.entryId || !(await isListable(ctx, holder, link.guildId, categoryId, entry, { threadMember: true }))) throw new WatchLinkError('gone');

  // Last, so that a link refused for another reason is not used up. One guarded UPDATE: of several
  // instances redeeming the same link at once, exactly one gets past this line.
  const claimedAt = ctx.clock.now();
  if (!(await ctx.store.watchLinks.claim(link.tokenId, claimedAt))) throw new WatchLinkError('used');
  try {
    const playback = await within(ctx.library.playback(entry.id, { userId: kalturaUserOf(link.userId), ttlSeconds: playbackTtlSeconds(entry.durationSeconds) }), ctx.waitMs, 'kaltura');
    ctx.logger.info({ entryId: entry.id, userId: link.userId, guildId: link.guildId }, 'watch link used');
    return { entry, playback };
  } catch (err) {
    await ctx.store.watchLinks.release(link.tokenId, claimedAt);
    throw err;
  }
}

/**
 * A recording of a meeting in an archived thread: the thread may have left the adapter's cache
 * since the link was issued (as for join links); ask once (the port resolves within a few seconds).
 */
async function loadRecordedChannel(ctx: MediaContext, holder: Actor, entry: MediaEntry): Promise<void> {
  if (!ctx.access.load) return;
  const meeting = await ctx.store.meetings.findByTemplateEntryId(entry.rootEntryId ?? entry.id);
  if (meeting && ctx.access.permissionsIn(meeting.guildId, meeting.channelId, { id: holder.id, roleIds: holder.roleIds, threadMember: true }) === undefined) {
    await ctx.access.load(meeting.guildId, meeting.channelId);
  }
}
