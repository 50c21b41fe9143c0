/**
 * Ending sessions and removing what meetings left, through the real adapter against the fake
 * Kaltura (whose rules cite kaltura/server ScheduleEventService / KalturaScheduleEvent).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKaltura, type Kaltura } from '../../../src/kaltura/create-kaltura';
import { startFakeKaltura, type FakeKaltura } from '../../fakes/kaltura/index';
import { catchError, configFor, countCalls, createCapturingLogger, FAST_RETRY } from './helpers';

const logger = createCapturingLogger();
let fake: FakeKaltura;
let kaltura: Kaltura;
let nowMs: number;
const owner = '80351110224678912';
const MEETING = 'm_abcdefghijklmnop';

beforeEach(async () => {
  nowMs = Date.UTC(2026, 10, 25, 12, 0, 0);
  fake = await startFakeKaltura({ now: () => Math.floor(nowMs / 1000) });
  kaltura = createKaltura({ config: configFor(fake, { interactiveTimeout: 500 }), logger, clock: { now: () => nowMs }, retry: FAST_RETRY });
});
afterEach(async () => {
  await kaltura.close();
  await fake.close();
  expect(fake.internalErrors).toEqual([]);
});

const create = (meetingId = MEETING) => kaltura.meetings.createSession({ kind: 'meeting', title: 'Lab', durationMinutes: 60, record: true, ownerDiscordId: owner, meetingId });

describe('endSession', () => {
  it('shortens the event to now, then cancels it, so the auto-recording stops', async () => {
    const s = await create();
    nowMs += 10 * 60_000;
    expect(fake.recordingNow(s.eventId)).toBe(true);
    await kaltura.meetings.endSession({ eventId: s.eventId, startsAt: s.startsAt, endsAt: s.endsAt });
    expect(fake.store.events.get(s.eventId)).toMatchObject({ status: 1, endDate: Math.floor(nowMs / 1000), sequence: 2 });
    expect(fake.recordingNow(s.eventId)).toBe(false);
    const calls = fake.requests.filter((r) => r.service === 'schedule_scheduleevent' && r.action !== 'add').map((r) => r.action);
    expect(calls).toEqual(['update', 'cancel']);
    // only endDate is sent: the stored startDate and recurrenceType stay
    expect(Object.keys(fake.requests.find((r) => r.action === 'update')!.params.scheduleEvent).sort()).toEqual(['endDate', 'objectType']);
  });

  it('shortens to when the meeting ended, never before its start, and never lengthens an event that is over', async () => {
    const s = await create();
    nowMs += 30 * 60_000;
    await kaltura.meetings.endSession({ eventId: s.eventId, startsAt: s.startsAt, endsAt: s.endsAt, endedAt: new Date(s.startsAt.getTime() + 5 * 60_000) });
    expect(fake.store.events.get(s.eventId)!.endDate).toBe(Math.floor(s.startsAt.getTime() / 1000) + 300);

    const early = await create('m_bbbbbbbbbbbbbbbb');
    await kaltura.meetings.endSession({ eventId: early.eventId, startsAt: new Date(nowMs + 60_000), endsAt: early.endsAt, endedAt: new Date(nowMs - 60_000) });
    // the server refuses an end before the stored start (INVALID_SCHEDULE_END_BEFORE_START)
    expect(fake.requests.filter((r) => r.errorCode === 'INVALID_SCHEDULE_END_BEFORE_START')).toEqual([]);
    expect(fake.store.events.get(early.eventId)!.status).toBe(1);

    const over = await create('m_cccccccccccccccc');
    nowMs += 2 * 3_600_000;
    const updatesBefore = countCalls(fake, 'schedule_scheduleevent', 'update');
    await kaltura.meetings.endSession({ eventId: over.eventId, startsAt: over.startsAt, endsAt: over.endsAt });
    expect(countCalls(fake, 'schedule_scheduleevent', 'update')).toBe(updatesBefore);
    expect(fake.store.events.get(over.eventId)).toMatchObject({ status: 1, endDate: Math.floor(over.endsAt.getTime() / 1000) });
  });

  it('treats an event that is gone (deleted, or unknown) as ended', async () => {
    const s = await create();
    fake.store.events.get(s.eventId)!.status = 3;
    await expect(kaltura.meetings.endSession({ eventId: s.eventId })).resolves.toBeUndefined();
    await expect(kaltura.meetings.endSession({ eventId: 2_999_999 })).resolves.toBeUndefined();
  });

  it('gives an interactive end kaltura.interactiveTimeout in all, however long requestTimeout is', async () => {
    const s = await create();
    fake.inject({ kind: 'hang' }, { service: 'schedule_scheduleevent', action: 'update' });
    const began = performance.now();
    const err = await catchError(kaltura.meetings.endSession({ eventId: s.eventId, interactive: true }));
    expect(err).toMatchObject({ name: 'KalturaTransportError', failure: 'timeout', retryable: true });
    expect(performance.now() - began).toBeLessThan(1_900); // 0.5 s budget; requestTimeout is 2 s
  });
});

describe('createSession under the interactive budget', () => {
  it('gives up after kaltura.interactiveTimeout when Kaltura hangs, not after requestTimeout', async () => {
    fake.inject({ kind: 'hang' }, { service: 'schedule_scheduleresource', action: 'add' });
    const began = performance.now();
    const err = await catchError(create());
    expect(err).toMatchObject({ name: 'KalturaTransportError', failure: 'timeout' });
    expect(performance.now() - began).toBeLessThan(1_900);
  });
});

describe('createSession in app-token mode', () => {
  it('does not wait for a fresh admin session past the interactive budget either', async () => {
    const token = { id: '0_tok', token: 'a5f2c6b1d9e84e0f9c3b7a6d5e4f3a21', hashType: 'SHA256' as const, sessionType: 2 as const };
    const tokFake = await startFakeKaltura({ appTokens: [token] });
    const tokKaltura = createKaltura({
      config: { ...configFor(tokFake, { interactiveTimeout: 500 }), adminSecret: undefined, appToken: { id: token.id, token: token.token, hashType: 'SHA256' } },
      logger,
      retry: FAST_RETRY,
    });
    try {
      tokFake.inject({ kind: 'hang' }, { service: 'apptoken', action: 'startSession' });
      const began = performance.now();
      expect(await catchError(tokKaltura.meetings.createSession({ kind: 'meeting', title: 'Lab', durationMinutes: 60, record: false, ownerDiscordId: owner, meetingId: MEETING }))).toMatchObject({
        name: 'KalturaTransportError',
        failure: 'timeout',
      });
      expect(performance.now() - began).toBeLessThan(1_900);
    } finally {
      await tokKaltura.close();
      await tokFake.close();
    }
  });
});

describe('removeObject and discardSession', () => {
  it('removes rooms, events and template entries; one already gone is done', async () => {
    const s = await create();
    await kaltura.meetings.removeObject({ kind: 'resource', id: String(s.resourceId) });
    await kaltura.meetings.removeObject({ kind: 'resource', id: String(s.resourceId) });
    await kaltura.meetings.removeObject({ kind: 'entry', id: s.templateEntryId });
    await kaltura.meetings.removeObject({ kind: 'entry', id: s.templateEntryId });
    await kaltura.meetings.removeObject({ kind: 'event', id: String(s.eventId) });
    expect(fake.store.resources.get(s.resourceId)!.status).toBe(3);
    expect(fake.store.entries.get(s.templateEntryId)!.status).toBe(3);
    expect(fake.store.events.get(s.eventId)!.status).toBe(3);
    expect(fake.requests.filter((r) => r.errorCode).map((r) => r.errorCode)).toEqual(['INVALID_OBJECT_ID', 'ENTRY_ID_NOT_FOUND']);
  });

  it('finds what a start made by the meeting id alone (ids never learned), and leaves recordings and other meetings alone', async () => {
    fake.inject({ kind: 'lost-reply' }, { service: 'schedule_scheduleevent', action: 'add', times: 1 });
    expect(await catchError(create())).toMatchObject({ name: 'KalturaTransportError' });
    const other = await create('m_otherotherother');
    const template = [...fake.store.entries.values()].find((e) => e.referenceId === MEETING)!;
    // a recording copies the template but carries templateEntryId (and, in the stricter reading, the referenceId too)
    const recording = fake.addEntry({ name: 'Lab', referenceId: MEETING, templateEntryId: template.id, rootEntryId: template.id });
    expect(await kaltura.meetings.discardSession({ meetingId: MEETING })).toBe(3);
    expect([...fake.store.events.values()].filter((e) => e.referenceId === MEETING).map((e) => e.status)).toEqual([3]);
    expect([...fake.store.resources.values()].filter((r) => r.systemName === `discord_${MEETING}`).map((r) => r.status)).toEqual([3]);
    expect(fake.store.entries.get(template.id)!.status).toBe(3);
    expect(fake.store.entries.get(recording.id)!.status).toBe(2);
    expect(fake.store.events.get(other.eventId)!.status).toBe(2);
    expect(await kaltura.meetings.discardSession({ meetingId: MEETING })).toBe(0);
  });
});

describe('sessionStates', () => {
  it('looks events up in batches of 100 with idIn, and confirms one not listed with get before calling it deleted', async () => {
    const a = await create('m_aaaaaaaaaaaaaaaa');
    const b = await create('m_bbbbbbbbbbbbbbbb');
    fake.store.events.get(a.eventId)!.status = 1;
    fake.store.events.get(b.eventId)!.status = 3;
    const unknown = Array.from({ length: 120 }, (_, i) => 2_500_000 + i);
    const states = await kaltura.meetings.sessionStates([a.eventId, b.eventId, ...unknown]);
    expect(states.get(a.eventId)).toBe('cancelled');
    expect(states.get(b.eventId)).toBe('deleted');
    expect(states.get(unknown[0]!)).toBe('deleted');
    expect(countCalls(fake, 'schedule_scheduleevent', 'list')).toBe(2);
    expect(countCalls(fake, 'schedule_scheduleevent', 'get')).toBe(121);
  });
});
