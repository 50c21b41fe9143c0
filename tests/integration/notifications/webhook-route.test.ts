import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { selfTestBody } from '../../../src/http/webhook-self-test';
import { startHttpServer } from '../../../src/http/start-http-server';
import { captureLogger } from '../../helpers/capture-logger';
import { STORE_DRIVERS, type StoreDriver } from '../../helpers/stores';
import { useTempDirs } from '../../helpers/temp-dir';
import {
  allEnabled,
  APP_TOKEN,
  CHANNEL,
  DEFAULT_NOTIFICATIONS,
  entryNotificationBody,
  expectCleanLogs,
  GUILD,
  host,
  LINKS_SECRET,
  OTHER_CHANNEL,
  scheduleEventNotificationBody,
  signed,
  startHarness,
  type Harness,
  type HarnessOptions,
} from './harness';

const logs = captureLogger();
const tempDir = useTempDirs();
const secrets = new Set<string>([LINKS_SECRET, APP_TOKEN.token]);
let h: Harness | undefined;

let driver: StoreDriver = 'sqlite';
async function harness(options: Partial<HarnessOptions> = {}): Promise<Harness> {
  h = await startHarness({ logger: logs.logger, dir: tempDir(), driver, ...options });
  secrets.add(h.fake.adminSecret);
  return h;
}
afterEach(async () => {
  await h?.close();
  h = undefined;
});
afterAll(() => expectCleanLogs(logs.text(), [...secrets]));

let jobs = 777_000;

/** A meeting that ran and ended, and its recording in Kaltura (ready, named after the room). */
async function endedMeetingWithRecording(t: Harness) {
  const meeting = await t.start('Design review');
  t.clock.advance(42 * 60_000);
  await t.service.end(host, GUILD, meeting.id);
  const entry = t.fake.addRecording(meeting.resourceId!);
  return { meeting: (await t.store.meetings.get(meeting.id))!, entry };
}

async function expectNothingStoredOrSent(t: Harness): Promise<void> {
  expect(await t.rows('webhook_inbox')).toEqual([]);
  expect(await t.rows('outbox')).toEqual([]);
  expect(t.sender.attempts).toEqual([]);
}

describe.each(STORE_DRIVERS)('webhooks (%s)', (d) => {
  beforeEach(() => {
    driver = d;
  });

  describe('POST /webhooks/kaltura: a recording becomes ready', () => {
    it('answers 200 accepted, sets the recording on the meeting (card re-rendered) and replies to the card with a Watch button', async () => {
      const t = await harness();
      const { meeting, entry } = await endedMeetingWithRecording(t);
      const versionBefore = meeting.version;
      const { body, headers } = signed(t.fake, entryNotificationBody(entry, ++jobs));

      const res = await t.post(body, headers);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(await res.json()).toEqual({ status: 'accepted' });
      await t.settle();

      const watchUrl = t.kaltura.media.watchUrl(entry.id);
      expect(t.sender.posted).toHaveLength(1);
      expect(t.sender.posted[0]).toMatchObject({
        channelId: CHANNEL,
        message: {
          content: '🎬 The recording of **Design review** is ready (42 min).', // End shortened the session to its 42 minutes; the recording lasts that
          replyToMessageId: meeting.cardMessageId,
          linkButtons: [{ label: 'Watch', url: watchUrl }],
        },
      });
      const after = (await t.store.meetings.get(meeting.id))!;
      expect(after).toMatchObject({ recordingEntryId: entry.id, recordingUrl: watchUrl, version: versionBefore + 1 });
      expect(after.cardVersion).toBeLessThan(after.version);
      // the reconciler re-renders the card, now with the recording
      await t.service.reconcile();
      expect(t.cards.updates.at(-1)).toMatchObject({ id: meeting.id, recordingEntryId: entry.id, recordingUrl: watchUrl });
      expect(await t.rows('webhook_inbox')).toEqual([expect.objectContaining({ dedupe_key: `job:${jobs}`, kind: 'entry.ready', status: 'done' })]);
    });

    it('routes the announcement as configured after refreshing a channel it no longer knew (never confined by a stale copy)', async () => {
      const t = await harness({ notifications: { ...DEFAULT_NOTIFICATIONS, recordingReady: { ...DEFAULT_NOTIFICATIONS.recordingReady, channelId: OTHER_CHANNEL } } });
      const { entry } = await endedMeetingWithRecording(t);
      // hours later (http mode: the REST copy is old; gateway: an archived thread left the cache) the channel is unknown until asked
      t.access.gone.add(CHANNEL);
      t.access.loadable.add(CHANNEL);
      const { body, headers } = signed(t.fake, entryNotificationBody(entry, ++jobs));
      expect((await t.post(body, headers)).status).toBe(200);
      await t.settle();
      expect(t.access.loads).toContain(CHANNEL);
      expect(t.sender.posted.map((p) => p.channelId)).toEqual([OTHER_CHANNEL]);
    });

    it('does not announce a look-alike entry (same name, tags, owner and template id, uploaded by someone else); does announce a second recording', async () => {
      const t = await harness();
      const { meeting, entry } = await endedMeetingWithRecording(t);
      const template = t.fake.store.entries.get(meeting.templateEntryId!);
      // copyTemplate copies name, tags, owner and categories, but the root stays the entry itself
      const lookAlike = t.fake.addEntry({ name: template.name, tags: template.tags, userId: template.userId, categoriesIds: template.categoriesIds, templateEntryId: template.id });
      const tokenNamed = t.fake.addEntry({ name: `anything (${meeting.roomToken})`, userId: 'discord_666' }); // the reported attack
      const second = t.fake.addRecording(meeting.resourceId!);
      for (const e of [lookAlike, tokenNamed, entry, second]) {
        const { body, headers } = signed(t.fake, entryNotificationBody(e, ++jobs));
        expect(await (await t.post(body, headers)).json()).toEqual({ status: 'accepted' });
      }
      await t.settle();
      expect(t.sender.posted.map((p) => p.message.linkButtons?.[0]?.url)).toEqual([t.kaltura.media.watchUrl(entry.id), t.kaltura.media.watchUrl(second.id)]);
      expect((await t.rows('webhook_inbox')).map((r) => r.status)).toEqual(['done', 'done', 'done', 'done']);
    });

    it('posts once when Kaltura delivers the same notification three times (over a real socket, signed by the fake)', async () => {
      const t = await harness();
      const { entry } = await endedMeetingWithRecording(t);
      const server = await startHttpServer(t.app, '127.0.0.1', 0);
      try {
        const url = `${server.url}/webhooks/kaltura`;
        const jobId = ++jobs;
        const replies = [];
        for (let i = 0; i < 3; i++) replies.push(await t.fake.emitWebhook(url, { entry, jobId }));
        expect(replies.map((r) => [r.status, JSON.parse(r.body)])).toEqual([
          [200, { status: 'accepted' }],
          [200, { status: 'duplicate' }],
          [200, { status: 'duplicate' }],
        ]);
        // and the older `data=` form and a sha1-only server
        const legacy = await t.fake.emitWebhook(url, { entry, jobId: ++jobs }, { variant: 'data-form', algo: 'sha1', algoHeader: false });
        expect([legacy.status, JSON.parse(legacy.body)]).toEqual([200, { status: 'accepted' }]);
        await t.settle();
      } finally {
        await server.close();
      }
      expect(t.sender.posted).toHaveLength(1);
      expect(await t.rows('webhook_inbox')).toHaveLength(2);
      expect(await t.rows('outbox')).toEqual([expect.objectContaining({ status: 'sent', dedupe_key: expect.stringMatching(/^recording:/) })]);
    });

    it('de-duplicates bodies without a job id (DataFields form) on the body hash', async () => {
      const t = await harness();
      const { meeting, entry } = await endedMeetingWithRecording(t);
      const form = `trigger_status=2&entry_id=${entry.id}&entry_name=${encodeURIComponent(entry.name)}&entry_status=2`;
      const { body, headers } = signed(t.fake, form, 'sha256', 'application/x-www-form-urlencoded');
      expect(await (await t.post(body, headers)).json()).toEqual({ status: 'accepted' });
      expect(await (await t.post(body, headers)).json()).toEqual({ status: 'duplicate' });
      await t.settle();
      expect(await t.rows('webhook_inbox')).toEqual([expect.objectContaining({ dedupe_key: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), status: 'done' })]);
      // the form carries no duration: it was looked up on the entry
      expect(t.sender.contents()).toEqual(['🎬 The recording of **Design review** is ready (42 min).']);
      expect((await t.store.meetings.get(meeting.id))!.recordingEntryId).toBe(entry.id);
    });

    it('sends nothing for a ready entry that is no meeting’s recording, and marks it processed', async () => {
      const t = await harness();
      await endedMeetingWithRecording(t);
      const upload = t.fake.addEntry({ name: 'Quarterly all-hands (uploaded)' });
      const { body, headers } = signed(t.fake, entryNotificationBody(upload, ++jobs));
      expect((await t.post(body, headers)).status).toBe(200);
      await t.settle();
      expect(t.sender.attempts).toEqual([]);
      expect(await t.rows('webhook_inbox')).toEqual([expect.objectContaining({ status: 'done' })]);
    });

    it('retries an event whose entry lookup failed, later, without a second message', async () => {
      const t = await harness();
      const { meeting, entry } = await endedMeetingWithRecording(t);
      const form = `entry_id=${entry.id}&entry_status=2`; // no name: the entry must be looked up
      const { body, headers } = signed(t.fake, form, 'sha256', 'application/x-www-form-urlencoded');
      t.fake.inject({ kind: 'status', status: 503 }, { service: 'media', times: 10 });
      expect((await t.post(body, headers)).status).toBe(200);
      await t.notifications.processInbox();
      await t.notifications.processInbox();
      expect(await t.rows('webhook_inbox')).toEqual([expect.objectContaining({ status: 'pending', attempts: 1, last_error: expect.any(String) })]);
      expect((await t.store.meetings.get(meeting.id))!.recordingEntryId).toBeUndefined();
      t.fake.clearFaults();
      t.clock.advance(60_000);
      await t.settle();
      expect(await t.rows('webhook_inbox')).toEqual([expect.objectContaining({ status: 'done' })]);
      expect(t.sender.posted).toHaveLength(1);
    });

    it('a failing event never holds up others, and is given up (dead) after its attempt budget', async () => {
      const t = await harness();
      const { meeting, entry } = await endedMeetingWithRecording(t);
      const nameless = signed(t.fake, 'entry_id=0_gone1234&entry_status=2', 'sha256', 'application/x-www-form-urlencoded');
      t.fake.inject({ kind: 'status', status: 503 }, { service: 'media', action: 'get', times: 1_000 });
      expect((await t.post(nameless.body, nameless.headers)).status).toBe(200);
      const good = signed(t.fake, entryNotificationBody(entry, ++jobs));
      expect((await t.post(good.body, good.headers)).status).toBe(200);
      await t.settle();
      expect((await t.store.meetings.get(meeting.id))!.recordingEntryId).toBe(entry.id);
      expect(t.sender.posted).toHaveLength(1);
      for (let i = 0; i < 20 && (await t.notifications.stats()).inbox.pending > 0; i++) {
        t.clock.advance(60 * 60_000);
        await t.notifications.processInbox();
      }
      expect((await t.notifications.stats()).inbox).toEqual({ pending: 0, dead: 1 });
      expect((await t.rows('webhook_inbox'))[0]).toMatchObject({ status: 'dead', attempts: 15 });
      expect(logs.lines.some((l) => l.level === 40 && String(l.msg).includes('webhook event failed 15 times'))).toBe(true);
    });

    it('commits the recording and its message together: if the outbox write fails, neither happens, and the retry does both', async () => {
      const t = await harness();
      const { meeting, entry } = await endedMeetingWithRecording(t);
      await t.breakOutbox(true);
      const { body, headers } = signed(t.fake, entryNotificationBody(entry, ++jobs));
      expect((await t.post(body, headers)).status).toBe(200);
      await t.notifications.processInbox();
      await t.notifications.processInbox();
      expect((await t.store.meetings.get(meeting.id))!.recordingEntryId).toBeUndefined();
      expect((await t.rows('webhook_inbox'))[0]).toMatchObject({ status: 'pending', attempts: 1 });
      await t.breakOutbox(false);
      t.clock.advance(60_000);
      await t.settle();
      expect((await t.store.meetings.get(meeting.id))!.recordingEntryId).toBe(entry.id);
      expect(t.sender.posted).toHaveLength(1);
    });
  });

  describe('POST /webhooks/kaltura: refusals store nothing and send nothing', () => {
    it('401 when unsigned, 401 with a wrong signature', async () => {
      const t = await harness();
      const { entry } = await endedMeetingWithRecording(t);
      const body = entryNotificationBody(entry, ++jobs);
      const unsigned = await t.post(body, { 'content-type': 'application/json' });
      expect([unsigned.status, await unsigned.json()]).toEqual([401, { status: 'rejected', reason: 'MISSING_SIGNATURE' }]);
      const wrong = await t.post(body, { ...signed(t.fake, body).headers, 'x-kaltura-signature': signed({ ...t.fake, adminSecret: 'not-the-secret' }, body).headers['x-kaltura-signature']! });
      expect([wrong.status, await wrong.json()]).toEqual([401, { status: 'rejected', reason: 'BAD_SIGNATURE' }]);
      await t.settle();
      await expectNothingStoredOrSent(t);
    });

    it('a truncated delivery fails its signature (401); a truncated body signed as sent is malformed (400)', async () => {
      const t = await harness();
      const { entry } = await endedMeetingWithRecording(t);
      const full = signed(t.fake, entryNotificationBody(entry, ++jobs));
      const cut = full.body.slice(0, Math.floor(full.body.length / 2));
      const truncated = await t.post(cut, full.headers);
      expect([truncated.status, await truncated.json()]).toEqual([401, { status: 'rejected', reason: 'BAD_SIGNATURE' }]);
      const resigned = signed(t.fake, cut);
      const malformed = await t.post(resigned.body, resigned.headers);
      expect([malformed.status, await malformed.json()]).toEqual([400, { status: 'rejected', reason: 'MALFORMED_BODY' }]);
      await t.settle();
      await expectNothingStoredOrSent(t);
    });

    it('413 for a body over 256 KiB, declared or streamed, without reading the rest', async () => {
      const t = await harness();
      const big = signed(t.fake, JSON.stringify({ padding: 'x'.repeat(300 * 1024) }));
      const declared = await t.post(big.body, { ...big.headers, 'content-length': String(big.body.length) });
      expect([declared.status, await declared.json()]).toEqual([413, { status: 'rejected', reason: 'BODY_TOO_LARGE' }]);

      let pulled = 0;
      const chunk = new Uint8Array(64 * 1024).fill(0x20);
      const endless = new ReadableStream<Uint8Array>({
        pull(controller) {
          pulled++;
          controller.enqueue(chunk);
        },
      });
      const streamed = await t.post(endless, big.headers);
      expect(streamed.status).toBe(413);
      expect(pulled).toBeLessThan(10); // stopped at the limit (the stream never ends by itself)
      await t.settle();
      await expectNothingStoredOrSent(t);
    });

    it('503 when signatures cannot be checked (app-token mode)', async () => {
      const t = await harness({ appTokenMode: true });
      const res = await t.post('{"object":{}}', { 'content-type': 'application/json', 'x-kaltura-signature': 'a'.repeat(64) });
      expect([res.status, await res.json()]).toEqual([503, { status: 'rejected', reason: 'WEBHOOKS_UNAVAILABLE' }]);
      await expectNothingStoredOrSent(t);
    });

    it('never a 500 for odd input: empty body, XML, non-UTF-8, wrong method', async () => {
      const t = await harness();
      for (const body of ['', '<notification/>', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])]) {
        const raw = typeof body === 'string' ? body : Buffer.from(body).toString('latin1');
        const headers = typeof body === 'string' ? signed(t.fake, raw).headers : { 'x-kaltura-signature': signedBytes(t, body), 'x-kaltura-hash-algo': 'sha256' };
        const res = await t.post(body, headers);
        expect(res.status, String(raw)).toBe(400);
      }
      const get = await t.get('/webhooks/kaltura');
      expect(get.status).toBe(405);
      expect(get.headers.get('allow')).toBe('POST');
      await expectNothingStoredOrSent(t);
    });
  });

  function signedBytes(t: Harness, body: Uint8Array): string {
    return signed(t.fake, Buffer.from(body) as unknown as string).headers['x-kaltura-signature']!;
  }

  describe('POST /webhooks/kaltura: a session cancelled in Kaltura', () => {
    it('ends the live meeting (endedBy kaltura) and posts the session-ended notification when it is on', async () => {
      const t = await harness({ notifications: { ...allEnabled(), sessionStarted: { enabled: false, template: 'x' } } });
      const meeting = await t.start('Standup');
      t.clock.advance(10 * 60_000);
      const event = t.fake.store.events.get(meeting.eventId!);
      event.status = 1; // cancelled by an admin in Kaltura
      const { body, headers } = signed(t.fake, scheduleEventNotificationBody(event, ++jobs));
      expect(await (await t.post(body, headers)).json()).toEqual({ status: 'accepted' });
      await t.settle();
      expect(await t.store.meetings.get(meeting.id)).toMatchObject({ status: 'ended', endedBy: 'kaltura', endedAt: t.clock.now() });
      expect(t.sender.posted.map((p) => [p.channelId, p.message.content, p.message.replyToMessageId])).toEqual([[CHANNEL, '**Standup** has ended after 10 min.', meeting.cardMessageId]]);
      // the notification of our own end arriving later changes nothing
      const again = signed(t.fake, scheduleEventNotificationBody(event, ++jobs));
      await t.post(again.body, again.headers);
      await t.settle();
      expect(t.sender.posted).toHaveLength(1);
    });

    it('ends it without a message when session-ended notifications are off; an active event changes nothing', async () => {
      const t = await harness();
      const live = await t.start('Still on');
      const cancelled = await t.start('Called off');
      const active = signed(t.fake, scheduleEventNotificationBody(t.fake.store.events.get(live.eventId!), ++jobs));
      const event = { ...t.fake.store.events.get(cancelled.eventId!), status: 3 };
      const deleted = signed(t.fake, scheduleEventNotificationBody(event, ++jobs));
      await t.post(active.body, active.headers);
      await t.post(deleted.body, deleted.headers);
      await t.settle();
      expect((await t.store.meetings.get(live.id))!.status).toBe('live');
      expect(await t.store.meetings.get(cancelled.id)).toMatchObject({ status: 'ended', endedBy: 'kaltura' });
      expect(t.sender.attempts).toEqual([]);
    });
  });

  describe('POST /webhooks/kaltura: self-test and switch', () => {
    it('answers a signed self-test with its nonce and stores nothing; an unsigned one is refused', async () => {
      const t = await harness();
      const test = signed(t.fake, selfTestBody('doctor-3f9a'));
      const res = await t.post(test.body, test.headers);
      expect([res.status, await res.json()]).toEqual([200, { status: 'self-test', nonce: 'doctor-3f9a' }]);
      const unsigned = await t.post(test.body, { 'content-type': 'application/json' });
      expect(unsigned.status).toBe(401);
      const forged = await t.post(test.body, signed({ ...t.fake, adminSecret: 'guess' }, test.body).headers);
      expect(forged.status).toBe(401);
      await t.settle();
      await expectNothingStoredOrSent(t);
    });

    it('404 when webhooks.enabled is false', async () => {
      const t = await harness({ webhooksEnabled: false });
      const { entry } = await endedMeetingWithRecording(t);
      const { body, headers } = signed(t.fake, entryNotificationBody(entry, ++jobs));
      expect((await t.post(body, headers)).status).toBe(404);
      const test = signed(t.fake, selfTestBody('n1'));
      expect((await t.post(test.body, test.headers)).status).toBe(404);
      await expectNothingStoredOrSent(t);
    });
  });
});
