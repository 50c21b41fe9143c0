/**
 * What a meeting leaves in Kaltura, and the durable jobs that remove it. Every path that ends
 * or abandons a meeting calls one of these inside the same transaction as its state change,
 * so the intent survives a crash at any point; the reconciler then runs the jobs (run-cleanup-jobs.ts).
 *
 * - A meeting that ended (member, schedule, Kaltura): its event is ended in Kaltura now (member
 *   End only: the schedule ends it by itself, a cancellation already did), and its room and
 *   template entry are removed `retireAfterMs` after the end, once its recordings had time to be
 *   found (`recordings.retireAfter` ≥ `recordings.pollWindow`).
 * - A start that failed or was abandoned: everything it created is found by the meeting id the
 *   Kaltura objects carry and removed (`discard-start`), plus the objects whose ids we know.
 */
import type { CleanupJobKind } from '../ports/cleanup-jobs';
import type { Transaction } from '../ports/store';
import type { Meeting } from './meeting';
import type { MeetingContext } from './meeting-service-deps';

export const DEFAULT_RETIRE_AFTER_MS = 7 * 24 * 3_600_000;

/**
 * A member's own End tries Kaltura first (within `kaltura.interactiveTimeout`); the job waits this
 * long so it does not race that attempt, then takes over if it did not get through.
 */
export const MEMBER_END_HEAD_START_MS = 15_000;

/**
 * Jobs for a meeting that has just ended at `endedAt`, queued in `tx` (the transaction of the
 * state change). `endEventAt`: when the job that ends the session in Kaltura (shorten, cancel) is
 * due; absent when Kaltura needs no telling.
 */
export async function enqueueEndJobs(ctx: MeetingContext, tx: Transaction, meeting: Meeting, endedAt: number, opts: { endEventAt?: number }): Promise<void> {
  const now = ctx.clock.now();
  const add = async (kind: CleanupJobKind, objectId: string | number | undefined, dueAt: number) => {
    if (objectId !== undefined) await tx.cleanupJobs.enqueue({ kind, objectId: String(objectId), meetingId: meeting.id, dueAt }, now);
  };
  if (opts.endEventAt !== undefined) await add('end-event', meeting.eventId, opts.endEventAt);
  await add('delete-resource', meeting.resourceId, endedAt + ctx.retireAfterMs);
  await add('delete-entry', meeting.templateEntryId, endedAt + ctx.retireAfterMs);
}

/** Jobs for a start that will never be live: remove all it made, now (nothing of it was ever shown). Queued in `tx`. */
export async function enqueueDiscardJobs(ctx: MeetingContext, tx: Transaction, meeting: Pick<Meeting, 'id' | 'eventId' | 'resourceId' | 'templateEntryId'>): Promise<void> {
  const now = ctx.clock.now();
  const add = (kind: CleanupJobKind, objectId: string) => tx.cleanupJobs.enqueue({ kind, objectId, meetingId: meeting.id, dueAt: now }, now);
  await add('discard-start', meeting.id);
  if (meeting.eventId !== undefined) await add('end-event', String(meeting.eventId));
  if (meeting.resourceId !== undefined) await add('delete-resource', String(meeting.resourceId));
  if (meeting.templateEntryId !== undefined) await add('delete-entry', meeting.templateEntryId);
}
