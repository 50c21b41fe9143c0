import { describe, expect, it } from 'vitest';
import {
  BOT_TEMPLATES,
  cloneOverrides,
  deliveryDifferences,
  hashAlgoName,
  parseTemplate,
  pickOwn,
  pickSource,
  sameUrl,
  type TemplateInfo,
} from '../../../src/kaltura/notification-templates-plan';
import { ShapeError } from '../../../src/kaltura/parse';

const [recording, session] = BOT_TEMPLATES as [(typeof BOT_TEMPLATES)[0], (typeof BOT_TEMPLATES)[0]];
const URL = 'https://bot.example.org/webhooks/kaltura';

const tpl = (fields: Partial<TemplateInfo> & { id: number }): TemplateInfo => ({ status: 2, partnerId: 1234567, ...fields });
const good = (id: number, more: Partial<TemplateInfo> = {}) =>
  tpl({ id, systemName: recording.systemName, url: URL, method: 2, secureHashingAlgo: 2, data: { objectType: 'KalturaHttpNotificationObjectData', apiObjectType: 'KalturaMediaEntry', format: 1, code: '$scope->getObject()' }, ...more });

describe('BOT_TEMPLATES', () => {
  it('needs recording ready, cloned from HTTP_ENTRY_STATUS_EQUALS; session changes are optional', () => {
    expect(BOT_TEMPLATES.map((t) => [t.systemName, t.required])).toEqual([
      ['kaltura_discord_recording_ready', true],
      ['kaltura_discord_session_changed', false],
    ]);
    expect(recording.source.matches(tpl({ id: 1, systemName: 'HTTP_ENTRY_STATUS_EQUALS' }))).toBe(true);
    expect(recording.source.matches(tpl({ id: 1, systemName: 'HTTP_ENTRY_STATUS_CHANGED' }))).toBe(false);
  });

  it('clones with our names and the delivery settings: POST, JSON object data, SHA-256', () => {
    expect(cloneOverrides(recording, URL)).toEqual({
      objectType: 'KalturaHttpNotificationTemplate',
      name: 'kaltura-discord: recording ready',
      systemName: 'kaltura_discord_recording_ready',
      description: expect.stringContaining('webhooks setup'),
      url: URL,
      method: 2,
      data: { objectType: 'KalturaHttpNotificationObjectData', apiObjectType: 'KalturaMediaEntry', format: 1, code: '$scope->getObject()' },
      secureHashingAlgo: 2,
    });
    expect(cloneOverrides(session, URL)).toMatchObject({ data: { apiObjectType: 'KalturaRecordScheduleEvent' } });
  });
});

describe('parseTemplate', () => {
  it('accepts enums as numbers or numeric strings and keeps what the bot reads', () => {
    const t = parseTemplate({
      id: '12', status: '2', partnerId: 1234567, name: 'n', systemName: 's', type: 'httpNotification.Http', eventType: '3', eventObjectType: 1,
      url: URL, method: '2', secureHashingAlgo: 2, data: { objectType: 'KalturaHttpNotificationObjectData', apiObjectType: 'KalturaMediaEntry', format: '1', code: 'c' },
      contentParameters: [], objectType: 'KalturaHttpNotificationTemplate',
    });
    expect(t).toEqual({
      id: 12, status: 2, partnerId: 1234567, name: 'n', systemName: 's', type: 'httpNotification.Http', eventType: 3, eventObjectType: '1',
      url: URL, method: 2, secureHashingAlgo: 2, data: { objectType: 'KalturaHttpNotificationObjectData', apiObjectType: 'KalturaMediaEntry', format: 1, code: 'c' },
    });
  });

  it('refuses objects without an id or status', () => {
    expect(() => parseTemplate({ status: 2 })).toThrow(ShapeError);
    expect(() => parseTemplate({ id: 1 })).toThrow(ShapeError);
    expect(() => parseTemplate('<html>')).toThrow(ShapeError);
  });
});

describe('deliveryDifferences', () => {
  it('is empty for a template as setup makes it', () => {
    expect(deliveryDifferences(recording, good(1), URL)).toEqual([]);
    expect(deliveryDifferences(recording, good(1, { url: 'HTTPS://BOT.example.org/webhooks/kaltura' }), URL)).toEqual([]);
  });

  it('names every difference in words', () => {
    const t = tpl({ id: 1, url: 'https://old.example.org/x', method: 1, secureHashingAlgo: undefined, data: { objectType: 'KalturaHttpNotificationDataFields' } });
    expect(deliveryDifferences(recording, t, URL)).toEqual([
      `url https://old.example.org/x → ${URL}`,
      'method GET → POST',
      `body DataFields → JSON KalturaMediaEntry`,
      'signature sha1 → sha256',
    ]);
    expect(deliveryDifferences(recording, good(1, { data: { objectType: 'KalturaHttpNotificationObjectData', apiObjectType: 'KalturaBaseEntry', format: 1, code: '$scope->getObject()' } }), URL)).toEqual([
      'body JSON KalturaBaseEntry → JSON KalturaMediaEntry',
    ]);
  });
});

describe('pickOwn', () => {
  it('manages the ACTIVE one even when a newer copy is DISABLED, and reports the rest', () => {
    const own = [good(5, { status: 1 }), good(3), good(9, { status: 3 }), good(7, { systemName: 'someone_else' }), good(8, { partnerId: 0 })];
    const { template, duplicates } = pickOwn(recording, own);
    expect(template?.id).toBe(3);
    expect(duplicates.map((d) => d.id)).toEqual([5]);
  });

  it('takes the newest when none is ACTIVE, and nothing when none exists', () => {
    expect(pickOwn(recording, [good(5, { status: 1 }), good(6, { status: 1 })]).template?.id).toBe(6);
    expect(pickOwn(recording, [])).toEqual({ duplicates: [] });
  });
});

describe('pickSource', () => {
  const system = [
    tpl({ id: 104, systemName: 'HTTP_ENTRY_CHANGED', eventType: 3, eventObjectType: '1', partnerId: 0, status: 1 }),
    tpl({ id: 101, systemName: 'HTTP_ENTRY_STATUS_EQUALS', eventType: 3, eventObjectType: '1', partnerId: 0, status: 1 }),
    tpl({ id: 120, systemName: 'HTTP_SCHEDULE_EVENT_ADDED', eventType: 5, eventObjectType: 'scheduleEventNotifications.ScheduleEvent', partnerId: 0, status: 1, type: 'httpNotification.Http' }),
    tpl({ id: 121, systemName: 'EMAIL_SCHEDULE_EVENT_CHANGED', eventType: 3, eventObjectType: 'scheduleEventNotifications.ScheduleEvent', partnerId: 0, status: 1, type: 'emailNotification.Email' }),
    tpl({ id: 122, systemName: 'ANY_NAME', eventType: 3, eventObjectType: 'scheduleEventNotifications.ScheduleEvent', partnerId: 0, status: 1, type: 'httpNotification.Http' }),
  ];

  it('finds HTTP_ENTRY_STATUS_EQUALS by name (DISABLED, as system templates are)', () => {
    expect(pickSource(recording, system)?.id).toBe(101);
  });

  it('finds a changed-schedule-event HTTP template by shape, not by name', () => {
    expect(pickSource(session, system)?.id).toBe(122);
    expect(pickSource(session, system.slice(0, 4))).toBeUndefined();
  });
});

describe('small helpers', () => {
  it('the server signs with SHA-1 unless told otherwise', () => {
    expect([undefined, 1, 2, 3, 9].map(hashAlgoName)).toEqual(['sha1', 'sha1', 'sha256', 'sha512', 'sha1']);
  });

  it('compares URLs after parsing', () => {
    expect(sameUrl('https://Bot.Example.org:443/webhooks/kaltura', URL)).toBe(true);
    expect(sameUrl('https://bot.example.org/webhooks/kaltura/', URL)).toBe(false);
    expect(sameUrl(undefined, URL)).toBe(false);
  });
});
