/**
 * The notifications feature as the app builds it: a real store (SQLite in a temp file, or a fresh
 * PostgreSQL database), the real Kaltura adapter against the wire-level fake Kaltura, the meeting
 * service with the notification hooks, the real webhook route in-process, and an in-test
 * ChannelSender (Discord with `enforce_nonce`). Webhook bodies are built and signed exactly as the
 * fake's emitter does.
 */
import { testChannelAccess, type TestChannelAccess } from '../meetings/channel-access';
import type { H3 } from 'h3';
import { expect } from 'vitest';
import type { Config, NotificationConfig, NotificationKind } from '../../../src/config/config-types';
import type { Logger } from '../../../src/core/logger';
import { createMeetingService } from '../../../src/core/meetings/create-meeting-service';
import type { Meeting } from '../../../src/core/meetings/meeting';
import type { MeetingService } from '../../../src/core/meetings/meeting-service';
import { createNotifications, notificationPolicyFromConfig, type Notifications, type NotificationsDeps } from '../../../src/core/notifications/create-notifications';
import type { Store } from '../../../src/core/ports/store';
import { createHttpApp } from '../../../src/http/create-http-app';
import { joinRoutes } from '../../../src/http/join-routes';
import { webhookRoutes } from '../../../src/http/webhook-routes';
import { createKaltura, type Kaltura } from '../../../src/kaltura/create-kaltura';
import type { StoreDriver } from '../../helpers/stores';
import { signWebhookBody, startFakeKaltura, type FakeKaltura } from '../../fakes/kaltura/index';
import { phpJsonEncode } from '../../fakes/kaltura/php-encoding';
import { toWire } from '../../fakes/kaltura/wire-format';
import { FAST_RETRY, GUILD, CHANNEL, host, LINK_TTL_MS, LINKS_SECRET, policy, recordingCards, type RecordingCards } from '../meetings/harness';
import { openNotificationTestStore, type NotificationTestStore } from './notification-test-store';
import { createTestSender, until, type TestSender } from './test-sender';

export { CHANNEL, GUILD, host, member, moderator, LINKS_SECRET, joinPath, expectCleanLogs } from '../meetings/harness';

export const OTHER_CHANNEL = '900000000000000077';

export const DEFAULT_NOTIFICATIONS: Record<NotificationKind, NotificationConfig> = {
  recordingReady: { enabled: true, template: '🎬 The recording of **{title}** is ready ({duration}).' },
  sessionStarted: { enabled: false, template: '🟢 {host} started a {kind}: **{title}**.' },
  sessionEnded: { enabled: false, template: '**{title}** has ended after {duration}.' },
  memberJoined: { enabled: false, template: '{member} joined **{title}**.' },
};

export const allEnabled = (): Record<NotificationKind, NotificationConfig> => ({
  recordingReady: { ...DEFAULT_NOTIFICATIONS.recordingReady },
  sessionStarted: { ...DEFAULT_NOTIFICATIONS.sessionStarted, enabled: true },
  sessionEnded: { ...DEFAULT_NOTIFICATIONS.sessionEnded, enabled: true },
  memberJoined: { ...DEFAULT_NOTIFICATIONS.memberJoined, enabled: true },
});

export interface HarnessOptions {
  readonly logger: Logger;
  readonly dir: string;
  /** Default sqlite. */
  readonly driver?: StoreDriver;
  readonly notifications?: Record<NotificationKind, NotificationConfig>;
  readonly webhooksEnabled?: boolean;
  /** App-token mode: webhooks cannot be verified. */
  readonly appTokenMode?: boolean;
  readonly dispatcher?: NotificationsDeps['dispatcher'];
  /** Start the notification jobs (default true); false leaves them to the test. */
  readonly startJobs?: boolean;
}

export interface Harness {
  readonly fake: FakeKaltura;
  readonly kaltura: Kaltura;
  readonly service: MeetingService;
  readonly cards: RecordingCards;
  readonly sender: TestSender;
  /** Who can see which channel, shared by the meetings and the notifications (all open unless told). */
  readonly access: TestChannelAccess;
  readonly store: Store;
  /** Raw SQL on the harness's database (assertions, faults). */
  readonly db: NotificationTestStore;
  readonly notifications: Notifications;
  readonly app: H3;
  readonly clock: { now(): number; advance(ms: number): void };
  readonly config: Pick<Config, 'webhooks' | 'recordings'>;
  post(body: string | Uint8Array | ReadableStream<Uint8Array>, headers?: Record<string, string>): Promise<Response>;
  get(path: string): Promise<Response>;
  /** Starts a meeting in CHANNEL as the host. */
  start(title: string, extra?: { durationMinutes?: number; record?: boolean }): Promise<Meeting>;
  /** Waits until every stored event is processed and every pending message sent or dead. */
  settle(): Promise<void>;
  rows(table: 'webhook_inbox' | 'outbox'): Promise<Record<string, unknown>[]>;
  /** Makes every outbox INSERT fail as a full disk would (`false` undoes it). */
  breakOutbox(broken: boolean): Promise<void>;
  close(): Promise<void>;
}

export const APP_TOKEN = { id: '0_tok1', token: 'c0ffee0123456789c0ffee0123456789', hashType: 'SHA256' as const };

export const POLL_WINDOW_MS = 6 * 60 * 60_000;

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  let nowMs = Date.UTC(2026, 10, 25, 12, 0, 0);
  const clock = { now: () => nowMs, advance: (ms: number) => void (nowMs += ms) };
  const fake = await startFakeKaltura({ now: () => Math.floor(nowMs / 1000), ...(options.appTokenMode && { appTokens: [APP_TOKEN] }) });
  const kaltura = createKaltura({
    config: {
      partnerId: fake.partnerId,
      serviceUrl: fake.url,
      kafUrl: fake.kafUrl,
      requestTimeout: 2_000,
      search: 'auto',
      ...(options.appTokenMode ? { appToken: { id: APP_TOKEN.id, token: APP_TOKEN.token, hashType: 'SHA256' as const } } : { adminSecret: fake.adminSecret }),
    },
    logger: options.logger,
    clock,
    retry: FAST_RETRY,
  });
  const db = await openNotificationTestStore(options.driver ?? 'sqlite', options.dir);
  const { store } = db;
  const sender = createTestSender();
  const config = { webhooks: { enabled: options.webhooksEnabled ?? true }, recordings: { pollEvery: 60 * 60_000, pollWindow: POLL_WINDOW_MS } };
  const access = testChannelAccess();
  const notifications = createNotifications({
    access,
    store,
    leadership: { isLeader: () => true, instanceId: 'test-instance' },
    sender,
    media: kaltura.media,
    provider: kaltura.meetings,
    verifier: kaltura.webhooks,
    policyFor: notificationPolicyFromConfig(options.notifications ?? DEFAULT_NOTIFICATIONS),
    config,
    clock,
    logger: options.logger,
    dispatcher: { backoff: { baseMs: 1, maxMs: 4 }, ...options.dispatcher },
  });
  const cards = recordingCards();
  const service = createMeetingService({
    store,
    provider: kaltura.meetings,
    members: kaltura.members,
    cards,
    access,
    policyFor: async () => policy,
    clock,
    logger: options.logger,
    links: { secret: LINKS_SECRET, ttlMs: LINK_TTL_MS, publicUrl: 'https://bot.example.org/' },
    notifier: notifications.meetingNotifier,
  });
  const app = createHttpApp({
    logger: options.logger,
    routes: [
      webhookRoutes({ ...notifications.intake, logger: options.logger }),
      joinRoutes({ redeem: (t) => service.redeemJoinLink(t), logger: options.logger, linkTtlMs: LINK_TTL_MS }),
    ],
  });
  if (options.startJobs ?? true) notifications.start();

  const rows = (table: 'webhook_inbox' | 'outbox') => db.all(`SELECT * FROM ${table} ORDER BY id`);
  return {
    fake,
    kaltura,
    service,
    cards,
    sender,
    access,
    db,
    store,
    notifications,
    app,
    clock,
    config,
    post: async (body, headers = {}) =>
      app.fetch(new Request('http://bot.test/webhooks/kaltura', { method: 'POST', body, headers, ...(body instanceof ReadableStream && { duplex: 'half' }) } as RequestInit)),
    get: async (p) => app.fetch(new Request(`http://bot.test${p}`)),
    start: (title, extra = {}) => service.start(host, { guildId: GUILD, channelId: CHANNEL, title, durationMinutes: extra.durationMinutes ?? 60, record: extra.record ?? true }),
    async settle() {
      await notifications.processInbox();
      await notifications.processInbox(); // a pass that was already running when the event arrived
      await until(async () => (await notifications.stats()).outbox.pending === 0 && notifications.dispatcher.inFlight === 0, 'the outbox to drain');
    },
    rows,
    breakOutbox: (broken) => breakOutbox(db, broken),
    async close() {
      await notifications.stop();
      await kaltura.close();
      await fake.close();
      await db.close();
      expect(fake.internalErrors).toEqual([]);
    },
  };
}


/** A trigger that refuses outbox rows as a full disk would (each engine's own trigger syntax). */
async function breakOutbox(db: NotificationTestStore, broken: boolean): Promise<void> {
  if (db.driver === 'sqlite') {
    await db.run(broken ? "CREATE TRIGGER outbox_full BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END" : 'DROP TRIGGER outbox_full');
    return;
  }
  if (broken) {
    await db.run("CREATE FUNCTION outbox_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'could not extend file: database or disk is full'; END $$");
    await db.run('CREATE TRIGGER outbox_full BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION outbox_full()');
  } else {
    await db.run('DROP TRIGGER outbox_full ON outbox');
    await db.run('DROP FUNCTION outbox_full()');
  }
}

export interface SignedBody {
  readonly body: string;
  readonly headers: Record<string, string>;
}

/** Signs like KDispatchHttpNotificationEngine (and the fake's emitter): hex(algo(adminSecret . body)). */
export function signed(fake: FakeKaltura, body: string, algo: 'sha1' | 'sha256' | 'sha512' = 'sha256', contentType = 'application/json'): SignedBody {
  return { body, headers: { 'content-type': contentType, 'x-kaltura-signature': signWebhookBody(body, fake.adminSecret, algo), 'x-kaltura-hash-algo': algo } };
}

/** The raw JSON `KalturaHttpNotification` the fake's emitter sends for an entry (keys in declared order). */
export function entryNotificationBody(entry: object, jobId: number): string {
  return phpJsonEncode(
    toWire({
      object: { objectType: 'KalturaMediaEntry', ...entry },
      eventObjectType: '1',
      eventNotificationJobId: jobId,
      templateId: 4242,
      templateName: 'Entry Status Equals',
      templateSystemName: 'HTTP_ENTRY_STATUS_EQUALS',
      eventType: 3,
      objectType: 'KalturaHttpNotification',
    }),
  );
}

/** A schedule-event notification (a template on `scheduleEventNotifications.ScheduleEvent`). */
export function scheduleEventNotificationBody(event: object, jobId: number): string {
  return phpJsonEncode(
    toWire({
      object: { ...event, objectType: 'KalturaRecordScheduleEvent' },
      eventObjectType: 'scheduleEventNotifications.ScheduleEvent',
      eventNotificationJobId: jobId,
      templateId: 4343,
      templateName: 'Schedule Event Changed',
      templateSystemName: 'HTTP_SCHEDULE_EVENT_CHANGED',
      eventType: 3,
      objectType: 'KalturaHttpNotification',
    }),
  );
}
