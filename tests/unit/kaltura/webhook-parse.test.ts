import { describe, expect, it } from 'vitest';
import { WebhookError, type WebhookErrorCode } from '../../../src/core/ports/webhook-verifier';
import { createWebhookVerifier } from '../../../src/kaltura/create-webhook-verifier';
import { parseWebhookBody } from '../../../src/kaltura/webhook-parse';
import { signWebhookBody } from '../../../src/kaltura/webhook-verify';
import { loadWebhookVector } from './webhook-fixture';

const v = loadWebhookVector();
const notification = JSON.parse(v.body) as Record<string, unknown>;
const bytes = (s: string) => Buffer.from(s, 'utf8');

function errorCode(fn: () => unknown): WebhookErrorCode | undefined {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(WebhookError);
    return (err as WebhookError).code;
  }
  return undefined;
}

describe('parseWebhookBody: JSON notifications', () => {
  it('parses the vector as entry ready, with the job id for de-duplication', () => {
    expect(parseWebhookBody(v.rawBody, 'application/json')).toEqual({
      kind: 'entry.ready',
      jobId: '777001',
      templateId: 4242,
      templateSystemName: 'DISCORD_BOT_ENTRY_READY',
      entry: { id: '1_abcd1234', name: 'Room-1 recording', status: 2, durationSeconds: 3600, ownerId: 'discord_42' },
    });
  });

  it("carries the entry's rootEntryId and templateEntryId (how a recording is tied to its meeting)", () => {
    const object = { ...(notification.object as object), rootEntryId: '1_tmpl0001', templateEntryId: '1_tmpl0001' };
    expect(parseWebhookBody(bytes(JSON.stringify({ ...notification, object })), 'application/json')).toMatchObject({
      kind: 'entry.ready',
      entry: { id: '1_abcd1234', rootEntryId: '1_tmpl0001', templateEntryId: '1_tmpl0001' },
    });
  });

  it('reads numbers sent as numeric strings', () => {
    const body = JSON.stringify({ ...notification, eventType: '3', eventObjectType: 1, eventNotificationJobId: '9' });
    expect(parseWebhookBody(bytes(body), 'application/json')).toMatchObject({ kind: 'entry.ready', jobId: '9' });
  });

  it('classifies OBJECT_ADDED / OBJECT_CREATED on an entry as entry added', () => {
    for (const eventType of [2, 5]) {
      const body = JSON.stringify({ ...notification, eventType, object: { id: '1_new', name: 'n', status: 0, objectType: 'KalturaMediaEntry' } });
      expect(parseWebhookBody(bytes(body), 'application/json')).toMatchObject({ kind: 'entry.added', entry: { id: '1_new', status: 0 } });
    }
  });

  it('classifies schedule event notifications', () => {
    const body = JSON.stringify({
      object: { id: 3371011, status: 1, startDate: 1700000000, endDate: 1700003600, referenceId: 'tok', objectType: 'KalturaRecordScheduleEvent' },
      eventObjectType: 'scheduleEventNotifications.ScheduleEvent',
      eventType: 3,
      eventNotificationJobId: 5,
      objectType: 'KalturaHttpNotification',
    });
    expect(parseWebhookBody(bytes(body), 'application/json')).toEqual({
      kind: 'schedule-event.changed',
      jobId: '5',
      event: { id: 3371011, status: 1, startsAt: new Date(1700000000_000), endsAt: new Date(1700003600_000), referenceId: 'tok' },
    });
  });

  it('returns unknown for other objects and for entries that changed without becoming ready', () => {
    const category = JSON.stringify({ object: { id: 7, objectType: 'KalturaCategory' }, eventObjectType: '2', eventType: 3 });
    expect(parseWebhookBody(bytes(category), 'application/json')).toEqual({ kind: 'unknown', eventType: 3, eventObjectType: '2', objectType: 'KalturaCategory' });
    const converting = JSON.stringify({ ...notification, object: { id: '1_x', status: 1, objectType: 'KalturaMediaEntry' } });
    expect(parseWebhookBody(bytes(converting), 'application/json')).toMatchObject({ kind: 'unknown', objectType: 'KalturaMediaEntry' });
  });

  it.each([
    ['not JSON', '{"object": ', 'MALFORMED_BODY'],
    ['a JSON array', '[1,2]', 'MALFORMED_BODY'],
    ['an empty body', '   ', 'MALFORMED_BODY'],
    ['an entry notification without object', '{"eventObjectType":"1","eventType":3}', 'MISSING_FIELDS'],
    ['an entry without id', '{"eventObjectType":"1","eventType":3,"object":{"status":2,"objectType":"KalturaMediaEntry"}}', 'MISSING_FIELDS'],
    ['a schedule event without id', '{"object":{"objectType":"KalturaRecordScheduleEvent"}}', 'MISSING_FIELDS'],
  ])('rejects %s', (_label, body, code) => {
    expect(errorCode(() => parseWebhookBody(bytes(body), 'application/json'))).toBe(code);
  });

  it('rejects bytes that are not UTF-8', () => {
    expect(errorCode(() => parseWebhookBody(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 'application/json'))).toBe('MALFORMED_BODY');
  });

  it('rejects XML notifications with a hint', () => {
    expect(errorCode(() => parseWebhookBody(bytes('<notification/>'), 'application/xml'))).toBe('MALFORMED_BODY');
    expect(errorCode(() => parseWebhookBody(bytes('data=%3Cnotification%2F%3E'), 'application/x-www-form-urlencoded'))).toBe('MALFORMED_BODY');
  });
});

describe('parseWebhookBody: form variants', () => {
  it('parses the data=<urlencoded JSON> variant like the JSON body', () => {
    const form = `data=${encodeURIComponent(v.body)}`;
    expect(parseWebhookBody(bytes(form), 'application/x-www-form-urlencoded')).toEqual(parseWebhookBody(v.rawBody, 'application/json'));
  });

  it('rejects a data= field that is not JSON', () => {
    expect(errorCode(() => parseWebhookBody(bytes('data=%7Bbroken'), 'application/x-www-form-urlencoded'))).toBe('MALFORMED_BODY');
  });

  it('parses DataFields (entry status equals READY) as entry ready, without a job id', () => {
    const form = 'trigger_status=2&entry_id=1_abcd1234&entry_name=Room-1+recording&entry_status=2';
    expect(parseWebhookBody(bytes(form), 'application/x-www-form-urlencoded')).toEqual({
      kind: 'entry.ready',
      entry: { id: '1_abcd1234', name: 'Room-1 recording', status: 2 },
    });
  });

  it('uses an event_type field in DataFields when the template adds one', () => {
    const form = 'event_type=2&entry_id=1_new&entry_status=7';
    expect(parseWebhookBody(bytes(form), undefined)).toMatchObject({ kind: 'entry.added', entry: { id: '1_new', status: 7 } });
  });

  it('rejects DataFields without entry_id', () => {
    expect(errorCode(() => parseWebhookBody(bytes('entry_status=2&entry_name=x'), 'application/x-www-form-urlencoded'))).toBe('MISSING_FIELDS');
  });

  it('verifies form bodies over their raw bytes, then parses them', () => {
    const form = bytes(`data=${encodeURIComponent(v.body)}`);
    const headers = { 'content-type': 'application/x-www-form-urlencoded', 'x-kaltura-signature': signWebhookBody(v.adminSecret, form, 'sha512'), 'x-kaltura-hash-algo': 'sha512' };
    expect(createWebhookVerifier(v.adminSecret).receive({ rawBody: form, headers })).toMatchObject({ kind: 'entry.ready', jobId: '777001' });
    // the signature of the JSON body does not cover the form body
    const wrong = { ...headers, 'x-kaltura-signature': v.signatures.sha512 };
    expect(errorCode(() => createWebhookVerifier(v.adminSecret).receive({ rawBody: form, headers: wrong }))).toBe('BAD_SIGNATURE');
  });
});
