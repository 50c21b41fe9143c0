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
import { STUCK_ATTEMPTS, type CleanupJobs, type CleanupJob, type CleanupJobCounts, type CleanupJobKind, type NewCleanupJob } from '../ports/cleanup-jobs';
import type { Meeting } from './meeting';
import type { MeetingContext } from './meeting-service-deps';

export const DEFAULT_RETIRE_AFTER_MS = 7 * 24 * 3_600_000;

/**
 * A member's own End tries Kaltura first (within `kaltura.interactiveTimeout`); the job waits this
 * long so it does not race that attempt, then takes over if it did not get through.
 */
export const MEMBER_END_HEAD_START_MS = 15_000;

/**
 * Jobs for a meeting that has just ended at `endedAt`. `endEventAt`: when the job that ends the
 * session in Kaltura (shorten, cancel) is due; absent when Kaltura needs no telling.
 */
export function enqueueEndJobs(ctx: MeetingContext, meeting: Meeting, endedAt: number, opts: { endEventAt?: number }): void {
  const now = ctx.clock.now();
  const add = (kind: CleanupJobKind, objectId: string | number | undefined, dueAt: number) => {
    if (objectId !== undefined) ctx.cleanup.enqueue({ kind, objectId: String(objectId), meetingId: meeting.id, dueAt }, now);
  };
  if (opts.endEventAt !== undefined) add('end-event', meeting.eventId, opts.endEventAt);
  add('delete-resource', meeting.resourceId, endedAt + ctx.retireAfterMs);
  add('delete-entry', meeting.templateEntryId, endedAt + ctx.retireAfterMs);
}

/** Jobs for a start that will never be live: remove all it made, now (nothing of it was ever shown). */
export function enqueueDiscardJobs(ctx: MeetingContext, meeting: Pick<Meeting, 'id' | 'eventId' | 'resourceId' | 'templateEntryId'>): void {
  const now = ctx.clock.now();
  ctx.cleanup.enqueue({ kind: 'discard-start', objectId: meeting.id, meetingId: meeting.id, dueAt: now }, now);
  if (meeting.eventId !== undefined) ctx.cleanup.enqueue({ kind: 'end-event', objectId: String(meeting.eventId), meetingId: meeting.id, dueAt: now }, now);
  if (meeting.resourceId !== undefined) ctx.cleanup.enqueue({ kind: 'delete-resource', objectId: String(meeting.resourceId), meetingId: meeting.id, dueAt: now }, now);
  if (meeting.templateEntryId !== undefined) ctx.cleanup.enqueue({ kind: 'delete-entry', objectId: meeting.templateEntryId, meetingId: meeting.id, dueAt: now }, now);
}

/**
 * The queue kept in memory, for tests and benches that build the service without a database.
 * The composition root always uses the SQLite queue (`createCleanupJobs`).
 */
export function memoryCleanupJobs(): CleanupJobs {
  const jobs: (CleanupJob & { doneAt?: number })[] = [];
  let nextId = 1;
  const pending = () => jobs.filter((j) => j.doneAt === undefined);
  const update = (id: number, patch: Partial<CleanupJob & { doneAt: number }>) => {
    const i = jobs.findIndex((j) => j.id === id && j.doneAt === undefined);
    if (i >= 0) jobs[i] = { ...jobs[i]!, ...patch };
    return i >= 0;
  };
  return {
    enqueue(job: NewCleanupJob, now) {
      if (jobs.some((j) => j.kind === job.kind && j.objectId === job.objectId)) return false;
      jobs.push({ ...job, id: nextId++, createdAt: now, attempts: 0 });
      return true;
    },
    listDue: (now, limit) => pending().filter((j) => j.dueAt <= now).sort((a, b) => a.dueAt - b.dueAt || a.id - b.id).slice(0, limit),
    complete: (id, now) => update(id, { doneAt: now }),
    completeObject: (kind, objectId, now) => {
      const job = pending().find((j) => j.kind === kind && j.objectId === objectId);
      return job !== undefined && update(job.id, { doneAt: now });
    },
    fail: (id, error, retryAt) => void update(id, { attempts: (jobs.find((j) => j.id === id)?.attempts ?? 0) + 1, lastError: error, dueAt: retryAt }),
    postpone: (id, dueAt) => void update(id, { dueAt }),
    counts(now): CleanupJobCounts {
      const p = pending();
      const oldest = p.length ? Math.min(...p.map((j) => j.createdAt)) : undefined;
      return { pending: p.length, failing: p.filter((j) => j.attempts > 0).length, stuck: p.filter((j) => j.attempts >= STUCK_ATTEMPTS).length, due: p.filter((j) => j.dueAt <= now).length, ...(oldest !== undefined && { oldestPendingAt: oldest }) };
    },
    pruneDone(before) {
      const keep = jobs.filter((j) => j.doneAt === undefined || j.doneAt >= before);
      const removed = jobs.length - keep.length;
      jobs.splice(0, jobs.length, ...keep);
      return removed;
    },
  };
}
