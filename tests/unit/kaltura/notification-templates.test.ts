/**
 * The adapter's decisions over an in-memory `AdminCall`: a server whose system templates
 * include a changed-schedule-event HTTP template (the fake Kaltura offers none), errors
 * turned into fixes, and nothing written when a required template cannot be made.
 * The wire itself is covered against the fake Kaltura in tests/integration/webhooks-cli.
 */
import type { Services } from 'kaltura-client';
import { describe, expect, it } from 'vitest';
import type { AdminCall } from '../../../src/kaltura/admin-call';
import { KalturaAPIError, KalturaTransportError } from '../../../src/kaltura/errors';
import { createNotificationTemplates } from '../../../src/kaltura/notification-templates';
import { NotificationTemplateError } from '../../../src/kaltura/notification-templates-errors';

const URL = 'https://bot.example.org/webhooks/kaltura';
const PARTNER = 1234567;

interface Request {
  readonly action: string;
  readonly args: unknown[];
}
type Stored = Record<string, unknown> & { id: number; status: number; systemName?: string };

const recorder = new Proxy({}, { get: (_t, action: string) => (...args: unknown[]): Request => ({ action, args }) });
const services = { eventNotificationTemplate: recorder } as unknown as Services;

const SYSTEM: Stored[] = [
  { id: 101, partnerId: 0, status: 1, systemName: 'HTTP_ENTRY_STATUS_EQUALS', type: 'httpNotification.Http', eventType: 3, eventObjectType: '1' },
  { id: 130, partnerId: 0, status: 1, systemName: 'HTTP_SCHEDULE_EVENT_CHANGED', type: 'httpNotification.Http', eventType: '3', eventObjectType: 'scheduleEventNotifications.ScheduleEvent' },
];

/** A tiny in-memory server for the five actions the adapter uses. */
function memoryKaltura(options: { system?: Stored[]; fail?: (r: Request) => unknown } = {}) {
  const own = new Map<number, Stored>();
  const requests: Request[] = [];
  let nextId = 500;
  // filters and pages as the server does (see the fake's event-notification-template-service.ts)
  const list = (items: Stored[], filter: any, pager: any) => {
    const matching = items.filter(
      (t) =>
        (filter?.systemNameEqual === undefined || t.systemName === filter.systemNameEqual) &&
        (filter?.systemNameIn === undefined || String(filter.systemNameIn).split(',').includes(t.systemName ?? '')) &&
        (filter?.typeEqual === undefined || t.type === filter.typeEqual),
    );
    const size = Math.min(pager?.pageSize ?? 30, 500);
    const page = matching.slice(((pager?.pageIndex ?? 1) - 1) * size, (pager?.pageIndex ?? 1) * size);
    return { objects: page.map((o) => structuredClone(o)), totalCount: matching.length, objectType: 'KalturaEventNotificationTemplateListResponse' };
  };
  const handle = (r: Request): unknown => {
    const [a, b] = r.args as [any, any];
    switch (r.action) {
      case 'listAction':
        return list([...own.values()], a, b);
      case 'listTemplates':
        return list(options.system ?? SYSTEM, a, b);
      case 'cloneAction': {
        const source = (options.system ?? SYSTEM).find((t) => t.id === a)!;
        const t: Stored = { ...structuredClone(source), ...b, id: nextId++, partnerId: PARTNER, status: 1 };
        own.set(t.id, t);
        return t;
      }
      case 'update':
        Object.assign(own.get(a)!, b);
        return own.get(a);
      case 'updateStatus':
        own.get(a)!.status = b;
        return own.get(a);
      default:
        throw new Error(`unexpected ${r.action}`);
    }
  };
  const call: AdminCall = async (spec) => {
    const r = spec.build(services) as unknown as Request;
    requests.push(r);
    const failure = options.fail?.(r);
    if (failure) throw failure;
    return spec.parse(handle(r));
  };
  return { own, requests, templates: createNotificationTemplates({ call, partnerId: PARTNER }), writes: () => requests.filter((r) => !r.action.startsWith('list')) };
}

async function rejection(p: Promise<unknown>): Promise<NotificationTemplateError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(NotificationTemplateError);
    return err as NotificationTemplateError;
  }
  throw new Error('expected a rejection');
}

describe('setupTemplates', () => {
  it('also sets up session changes where the server offers a schedule-event template', async () => {
    const k = memoryKaltura();
    const results = await k.templates.setupTemplates({ url: URL });
    expect(results.map((r) => [r.spec.systemName, r.outcome, r.templateId, r.source?.id])).toEqual([
      ['kaltura_discord_recording_ready', 'created', 500, 101],
      ['kaltura_discord_session_changed', 'created', 501, 130],
    ]);
    expect(k.own.get(501)).toMatchObject({
      systemName: 'kaltura_discord_session_changed',
      status: 2,
      url: URL,
      method: 2,
      secureHashingAlgo: 2,
      eventObjectType: 'scheduleEventNotifications.ScheduleEvent',
      data: { objectType: 'KalturaHttpNotificationObjectData', apiObjectType: 'KalturaRecordScheduleEvent', format: 1, code: '$scope->getObject()' },
    });
    expect(k.writes().map((r) => r.action)).toEqual(['cloneAction', 'updateStatus', 'cloneAction', 'updateStatus']);

    // both exist now: one read, no system listing, no writes
    const before = k.requests.length;
    const again = await k.templates.setupTemplates({ url: URL });
    expect(again.map((r) => r.outcome)).toEqual(['unchanged', 'unchanged']);
    expect(k.requests.slice(before).map((r) => r.action)).toEqual(['listAction']);
    expect(k.requests[0]!.args[1]).toMatchObject({ pageSize: 500, pageIndex: 1 });
  });

  it('finds a source template that only a later page holds, reading page by page up to totalCount', async () => {
    const fillers: Stored[] = Array.from({ length: 1100 }, (_, i) => ({ id: 1000 + i, partnerId: 0, status: 1, systemName: `HTTP_OTHER_${i}`, type: 'httpNotification.Http', eventType: 2, eventObjectType: '1' }));
    const k = memoryKaltura({ system: [...fillers, ...SYSTEM] });
    const results = await k.templates.setupTemplates({ url: URL });
    expect(results.map((r) => [r.outcome, r.source?.id])).toEqual([
      ['created', 101],
      ['created', 130],
    ]);
    const reads = k.requests.filter((r) => r.action === 'listTemplates').map((r) => [(r.args[0] as any).systemNameEqual ?? (r.args[0] as any).typeEqual, (r.args[1] as any).pageIndex]);
    // by name: one page; by shape: 1102 HTTP templates in pages of 500
    expect(reads).toEqual([
      ['HTTP_ENTRY_STATUS_EQUALS', 1],
      ['httpNotification.Http', 1],
      ['httpNotification.Http', 2],
      ['httpNotification.Http', 3],
    ]);
  });

  it('plans without writing on a dry run', async () => {
    const k = memoryKaltura();
    const results = await k.templates.setupTemplates({ url: URL, dryRun: true });
    expect(results.map((r) => [r.outcome, r.dryRun, r.templateId])).toEqual([
      ['created', true, undefined],
      ['created', true, undefined],
    ]);
    expect(k.writes()).toEqual([]);
  });

  it('writes nothing when the required system template is missing', async () => {
    const k = memoryKaltura({ system: [SYSTEM[1]!] });
    const err = await rejection(k.templates.setupTemplates({ url: URL }));
    expect(err.reason).toBe('no-system-template');
    expect(err.message).toContain('Cannot set up "recording ready"');
    expect(err.message).toContain('HTTP_ENTRY_STATUS_EQUALS');
    expect(err.fix).toContain(`partner ${PARTNER}`);
    expect(k.writes()).toEqual([]);
  });

  it('refuses a URL that is not absolute http(s), before any call', async () => {
    const k = memoryKaltura();
    await expect(k.templates.setupTemplates({ url: 'ftp://x/y' })).rejects.toThrow(TypeError);
    await expect(k.templates.setupTemplates({ url: '/webhooks/kaltura' })).rejects.toThrow(TypeError);
    expect(k.requests).toEqual([]);
  });
});

describe('errors', () => {
  const apiError = (code: string, action: string) => new KalturaAPIError(code, `${code} message`, {}, 'eventNotificationTemplate', action);

  it('SERVICE_FORBIDDEN: the account does not allow event notifications; ask Kaltura', async () => {
    const k = memoryKaltura({ fail: () => apiError('SERVICE_FORBIDDEN', 'list') });
    const err = await rejection(k.templates.listBotTemplates());
    expect(err.reason).toBe('forbidden');
    expect(err.message).toBe('Kaltura refused eventNotificationTemplate.list: SERVICE_FORBIDDEN: the account does not allow event notifications');
    expect(err.fix).toBe(`Ask Kaltura (your account manager or vpaas@kaltura.com) to enable HTTP event notifications (the event notification plugin) for partner ${PARTNER}.`);
    expect(err.cause).toBeInstanceOf(KalturaAPIError);
    expect(err.upstream).toBe('kaltura');
  });

  it('a duplicate systemName, a refused session and an unreachable API each get their own fix', async () => {
    let k = memoryKaltura({ fail: (r) => (r.action === 'cloneAction' ? apiError('EVENT_NOTIFICATION_TEMPLATE_DUPLICATE_SYSTEM_NAME', 'clone') : undefined) });
    let err = await rejection(k.templates.setupTemplates({ url: URL }));
    expect(err).toMatchObject({ reason: 'duplicate-system-name', fix: expect.stringContaining('Disable or rename that template') });

    k = memoryKaltura({ fail: () => apiError('INVALID_KS', 'list') });
    err = await rejection(k.templates.listBotTemplates());
    expect(err).toMatchObject({ reason: 'credentials', fix: expect.stringContaining('kaltura.adminSecret') });

    k = memoryKaltura({ fail: () => new KalturaTransportError('refused', 'eventNotificationTemplate', 'list', true, undefined, 3, 'refused (ECONNREFUSED)') });
    err = await rejection(k.templates.listBotTemplates());
    expect(err).toMatchObject({ reason: 'unreachable', retryable: true, fix: expect.stringContaining('kaltura.serviceUrl') });
  });

  it('lets a bug surface as itself', async () => {
    const k = memoryKaltura({ fail: () => new RangeError('boom') });
    await expect(k.templates.listBotTemplates()).rejects.toThrow(RangeError);
  });
});
