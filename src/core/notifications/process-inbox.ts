/**
 * Acting on stored webhook events, one transaction per event. A failing event is retried
 * later with backoff and never holds up the others; after its attempt budget it is `dead`.
 */
import type { InboxItem } from '../ports/notification-inbox';
import type { WebhookScheduleEvent } from '../ports/webhook-verifier';
import { enqueueNotification } from './meeting-notifier';
import type { NotificationsContext } from './notifications-context';
import { recordRecording } from './record-recording';
import { backoffDelay, describeFailure, INBOX_BACKOFF } from './retry-backoff';

export const INBOX_MAX_ATTEMPTS = 15;
const BATCH = 50;
/** Batches per pass, so a flood cannot keep one pass running forever. */
const MAX_BATCHES = 20;

/** Kaltura schedule event statuses that mean the session is off. */
const CANCELLED = 1;
const DELETED = 3;

export interface InboxPassResult {
  readonly processed: number;
  readonly failed: number;
}

export async function processInbox(ctx: NotificationsContext): Promise<InboxPassResult> {
  let processed = 0;
  let failed = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const items = ctx.store.inbox.listDue(ctx.clock.now(), BATCH);
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
        endCancelledMeeting(ctx, event.event);
        break;
      default:
        break; // entry.added, unknown: nothing to do
    }
    ctx.store.inbox.markDone(item.id, ctx.clock.now());
    return true;
  } catch (err) {
    const attempts = item.attempts + 1;
    const reason = describeFailure(err);
    const log = { inboxId: item.id, kind: event.kind, jobId: event.jobId, attempts, reason };
    if (attempts >= INBOX_MAX_ATTEMPTS) {
      ctx.store.inbox.markDead(item.id, attempts, reason, ctx.clock.now());
      ctx.logger.warn(log, `a webhook event failed ${attempts} times; gave up on it`);
    } else {
      const delay = backoffDelay(attempts, INBOX_BACKOFF, ctx.random);
      ctx.store.inbox.markRetry(item.id, attempts, ctx.clock.now() + delay, reason);
      ctx.logger.info({ ...log, retryInMs: delay }, 'a webhook event could not be processed; will retry');
    }
    return false;
  }
}

/** The session was cancelled or deleted in Kaltura: the live meeting ends, with its notification. */
function endCancelledMeeting(ctx: NotificationsContext, scheduleEvent: WebhookScheduleEvent): void {
  if (scheduleEvent.status !== CANCELLED && scheduleEvent.status !== DELETED) return;
  const meeting = ctx.store.meetings.findByEventId(scheduleEvent.id);
  if (!meeting || meeting.status !== 'live') return;
  const ended = ctx.store.transact(() => {
    const row = ctx.store.meetings.transition(meeting.id, ['live'], { status: 'ended', endedAt: ctx.clock.now(), endedBy: 'kaltura' });
    if (row) enqueueNotification(ctx, 'sessionEnded', row);
    return row;
  });
  if (ended) ctx.logger.info({ meetingId: meeting.id, eventId: scheduleEvent.id }, 'meeting ended: its session was cancelled in Kaltura');
}
