/**
 * The one path by which a ready recording reaches a meeting, whether a webhook or the poller
 * found it. An entry is a meeting's recording only if its root entry (Kaltura's read-only
 * `rootEntryId`, set when the recording is created from the meeting's template entry) is that
 * meeting's template: never by its name, tags or owner, which anyone who can upload an entry can
 * copy (an entry added with `templateEntryId` copies all of them, but its root stays itself).
 * In one unit of work (`store.transaction`): remember the recording (a meeting can have several: the room restarted),
 * give the card its Watch button for the first one (a `version` bump, so the reconciler
 * re-renders it), and enqueue "recording ready". The recording's row and the outbox's dedupe
 * key each make a second finding of the same recording a no-op.
 * @see docs/kaltura.md "Finding recordings"
 */
import { enqueueNotification } from './meeting-notifier';
import type { NotificationsContext } from './notifications-context';

export interface ReadyRecording {
  readonly entryId: string;
  /** The entry's `rootEntryId`; absent in some webhook shapes, then the entry is looked up. */
  readonly rootEntryId?: string;
  readonly durationSeconds?: number;
}

export type RecordingOutcome = 'recorded' | 'already-recorded' | 'no-meeting' | 'no-entry';

/** Throws (to be retried) when Kaltura cannot be asked for a missing root or duration. */
export async function recordRecording(ctx: NotificationsContext, recording: ReadyRecording, source: 'webhook' | 'poll'): Promise<RecordingOutcome> {
  const { entryId } = recording;
  let { rootEntryId, durationSeconds } = recording;
  if (rootEntryId === undefined) {
    const entry = await ctx.media.getEntry(entryId);
    if (!entry) {
      ctx.logger.debug({ entryId, source }, 'a ready entry no longer exists; ignored');
      return 'no-entry';
    }
    rootEntryId = entry.rootEntryId;
    durationSeconds ??= entry.durationSeconds;
  }
  // an entry without another root was not made from any template (it may copy one's fields)
  const meeting = rootEntryId === undefined || rootEntryId === entryId ? undefined : await ctx.store.meetings.findByTemplateEntryId(rootEntryId);
  if (!meeting || (meeting.status !== 'live' && meeting.status !== 'ended')) {
    // (a start that failed has no card to reply to; its objects are being removed)
    ctx.logger.debug({ entryId, source }, 'a ready entry is not made from the template of any meeting that ran; ignored');
    return 'no-meeting';
  }
  if (durationSeconds === undefined) durationSeconds = (await ctx.media.getEntry(entryId))?.durationSeconds;
  const url = ctx.media.watchUrl(entryId);
  // Where the announcement may go is decided inside the transaction from what ChannelAccess knows;
  // refresh it first (bounded, never rejects), or a stale copy confines it to the meeting's channel.
  await ctx.access?.load?.(meeting.guildId, meeting.channelId);

  const recorded = await ctx.store.transaction(async (tx) => {
    if (!(await tx.meetings.addRecording(meeting.id, entryId, ctx.clock.now()))) return false;
    const current = (await tx.meetings.get(meeting.id)) ?? meeting;
    const withWatch =
      current.recordingEntryId === undefined ? await tx.meetings.transition(meeting.id, ['live', 'ended'], { recordingEntryId: entryId, recordingUrl: url }) : undefined;
    await enqueueNotification(ctx, tx, 'recordingReady', withWatch ?? current, { recording: { entryId, url, ...(durationSeconds !== undefined && { durationSeconds }) } });
    return true;
  });
  if (!recorded) return 'already-recorded';
  ctx.logger.info({ meetingId: meeting.id, entryId, source }, 'meeting recording is ready');
  return 'recorded';
}
