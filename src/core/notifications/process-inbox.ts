/**
 * Acting on stored webhook events, one transaction per event. A failing event is retried
 * later with backoff and never holds up the others; after its attempt budget it is `dead`.
 * Every instance runs this: events are claimed (leased) a batch at a time, so two instances do
 * not work on the same event; if one dies mid-batch, its events are due again when the lease
 * runs out. Acting on an event twice changes nothing (a recording is remembered once, a meeting
 * ends once), so a lease that runs out mid-work costs a repeat, never a duplicate message.
 */
import type { InboxItem } from '../ports/notification-inbox';
import type { WebhookScheduleEvent } from '../ports/webhook-verifier';
import { enqueueNotification } from './meeting-notifier';
import type { NotificationsContext } from './notifications-context';
import { recordRecording } from './record-recording';
import { backoffDelay, describeFailure, INBOX_BACKOFF } from './retry-backoff';

export const INBOX_MAX_ATTEMPTS = 15;
/** Claimed together; small, because the lease covers the whole batch's Kaltura lookups. */
const BATCH = 10;
/** Batches per pass, so a flood cannot keep one pass running forever. */
const MAX_BATCHES = 100;
/** Longer than a batch of lookups can take (each Kaltura call is bounded by its timeout and retries). */
export const INBOX_LEASE_MS = 5 * 60_000;

/** Kaltura schedule event statuses that mean the session is off. */
const CANCELLED = 1;
const DELETED = 3;

export interface InboxPassResult {
  readonly processed: number;
  readonly failed: number;
}

/** `keepGoing` is asked between batches: a stopping instance finishes the batch it holds and claims no more. */
export async function processInbox(ctx: NotificationsContext, leaseMs = INBOX_LEASE_MS, keepGoing: () => boolean = () => true): Promise<InboxPassResult> {
  let processed = 0;
  let failed = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    if (batch > 0 && !keepGoing()) break;
    const items = await ctx.store.inbox.claimDue(BATCH, ctx.owner, leaseMs, ctx.clock.now());
    if (items.length === 0) break;
    for (const item of items) {
      if (await processOne(ctx, item)) processed++;
      else failed++;
    }
    if (items.length < BATCH) break;
  }
  return { processed, failed };
}

async function processOne(ctx: NotificationsContext, item: InboxItem): Promise<boolean> {
  const { event } = item;
  try {
    switch (event.kind) {
      case 'entry.ready':
        await recordRecording(
          ctx,
          {
            entryId: event.entry.id,
            ...(event.entry.rootEntryId !== undefined && { rootEntryId: event.entry.rootEntryId }),
            ...(event.entry.durationSeconds !== undefined && { durationSeconds: event.entry.durationSeconds }),
          },
          'webhook',
        );
        break;
      case 'schedule-event.changed':
        await endCancelledMeeting(ctx, event.event);
        break;
      default:
        break; // entry.added, unknown: nothing to do
    }
    await ctx.store.inbox.markDone(item.id, ctx.owner, ctx.clock.now());
    return true;
  } catch (err) {
    const attempts = item.attempts + 1;
    const reason = describeFailure(err);
    const log = { inboxId: item.id, kind: event.kind, jobId: event.jobId, attempts, reason };
    if (attempts >= INBOX_MAX_ATTEMPTS) {
      await ctx.store.inbox.markDead(item.id, ctx.owner, attempts, reason, ctx.clock.now());
      ctx.logger.warn(log, `a webhook event failed ${attempts} times; gave up on it`);
    } else {
      const delay = backoffDelay(attempts, INBOX_BACKOFF, ctx.random);
      await ctx.store.inbox.markRetry(item.id, ctx.owner, attempts, ctx.clock.now() + delay, reason);
      ctx.logger.info({ ...log, retryInMs: delay }, 'a webhook event could not be processed; will retry');
    }
    return false;
  }
}

/** The session was cancelled or deleted in Kaltura: the live meeting ends, with its notification. */
async function endCancelledMeeting(ctx: NotificationsContext, scheduleEvent: WebhookScheduleEvent): Promise<void> {
  if (scheduleEvent.status !== CANCELLED && scheduleEvent.status !== DELETED) return;
  const meeting = await ctx.store.meetings.findByEventId(scheduleEvent.id);
  if (!meeting || meeting.status !== 'live') return;
  await ctx.access?.load?.(meeting.guildId, meeting.channelId); // fresh channel access for the routing, outside the transaction
  const ended = await ctx.store.transaction(async (tx) => {
    const row = await tx.meetings.transition(meeting.id, ['live'], { status: 'ended', endedAt: ctx.clock.now(), endedBy: 'kaltura' });
    if (row) await enqueueNotification(ctx, tx, 'sessionEnded', row);
    return row;
  });
  if (ended) ctx.logger.info({ meetingId: meeting.id, eventId: scheduleEvent.id }, 'meeting ended: its session was cancelled in Kaltura');
}
