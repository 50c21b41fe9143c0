/**
 * The one path by which a ready recording reaches a meeting, whether a webhook or the poller
 * found it: match the room token in the entry's name, then — in one transaction — set the
 * meeting's recording (which bumps `version`, so the reconciler re-renders the card with a
 * Watch button) and enqueue the "recording ready" reply. The meeting already having a
 * recording, and the outbox's dedupe key, each make a second finding a no-op.
 * @see docs/kaltura.md "Finding recordings"
 */
import type { Meeting } from '../meetings/meeting';
import { enqueueNotification } from './meeting-notifier';
import type { NotificationsContext } from './notifications-context';

export interface ReadyRecording {
  readonly entryId: string;
  /** Absent in some webhook shapes; then the entry is looked up. */
  readonly name?: string;
  readonly durationSeconds?: number;
}

export type RecordingOutcome = 'recorded' | 'already-recorded' | 'no-meeting' | 'no-entry';

/** Room tokens are 32 lowercase hex characters, in the room name as `(<token>)`. */
const ROOM_TOKEN = /(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])/gi;

export const roomTokensIn = (name: string): string[] => [...new Set((name.match(ROOM_TOKEN) ?? []).map((t) => t.toLowerCase()))];

function meetingNamed(ctx: NotificationsContext, name: string): Meeting | undefined {
  for (const token of roomTokensIn(name)) {
    const meeting = ctx.store.meetings.findByRoomToken(token);
    if (meeting) return meeting;
  }
  return undefined;
}

/** Throws (to be retried) when Kaltura cannot be asked for a missing name or duration. */
export async function recordRecording(ctx: NotificationsContext, recording: ReadyRecording, source: 'webhook' | 'poll'): Promise<RecordingOutcome> {
  let { name, durationSeconds } = recording;
  if (name === undefined) {
    const entry = await ctx.media.getEntry(recording.entryId);
    if (!entry) {
      ctx.logger.debug({ entryId: recording.entryId, source }, 'a ready entry no longer exists; ignored');
      return 'no-entry';
    }
    name = entry.name;
    durationSeconds ??= entry.durationSeconds;
  }
  const meeting = meetingNamed(ctx, name);
  if (!meeting) {
    ctx.logger.debug({ entryId: recording.entryId, source }, 'a ready entry matches no meeting; ignored');
    return 'no-meeting';
  }
  if (meeting.recordingEntryId !== undefined) return 'already-recorded';
  if (durationSeconds === undefined) durationSeconds = (await ctx.media.getEntry(recording.entryId))?.durationSeconds;
  const url = ctx.media.watchUrl(recording.entryId);

  const recorded = ctx.store.transact(() => {
    const current = ctx.store.meetings.get(meeting.id);
    if (!current || current.recordingEntryId !== undefined) return undefined;
    const updated = ctx.store.meetings.transition(meeting.id, ['live', 'ended'], { recordingEntryId: recording.entryId, recordingUrl: url });
    if (updated) enqueueNotification(ctx, 'recordingReady', updated, { recording: { url, ...(durationSeconds !== undefined && { durationSeconds }) } });
    return updated;
  });
  if (!recorded) return 'already-recorded';
  ctx.logger.info({ meetingId: meeting.id, entryId: recording.entryId, source }, 'meeting recording is ready');
  return 'recorded';
}
