import { createServer, type Server } from 'node:http';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../../src/core/health-check';
import { runDeepProbe } from '../../../src/kaltura/deep-probe';
import { startFakeKaltura, type FakeKaltura, type FakeKalturaOptions } from '../../fakes/kaltura/index';
import { configFor, createCapturingLogger, expectNoSecrets } from './helpers';

/** Issue 9 §7: `doctor --deep` proves the account can do what meetings need, names what is missing, and leaves nothing behind. */
const logger = createCapturingLogger();
const messages: string[] = [];
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
afterAll(() => expectNoSecrets([...logger.lines, ...messages], ['abcdef0123456789abcdef0123456789']));

async function probe(opts: FakeKalturaOptions = {}, kafUrl?: (fake: FakeKaltura) => string) {
  const fake = await startFakeKaltura(opts);
  cleanups.push(() => fake.close());
  const results = await runDeepProbe(configFor(fake, kafUrl ? { kafUrl: kafUrl(fake) } : {}), { logger, timeoutMs: 2000 });
  for (const r of results) messages.push(r.detail, r.fix ?? '');
  const byId = Object.fromEntries(results.map((r) => [r.id, r])) as Record<string, CheckResult>;
  return { fake, results, byId };
}

/** Objects a probe could leave behind: anything not DELETED (status 3) / deleted. */
function leftovers(fake: FakeKaltura) {
  return {
    resources: [...fake.store.resources.values()].filter((r) => r.status !== 3).length,
    events: [...fake.store.events.values()].filter((e) => e.status !== 3).length,
    links: fake.store.eventResources.length,
    entries: [...fake.store.entries.values()].filter((e) => e.status !== 3).length,
    categories: [...fake.store.categories.values()].filter((c) => c.status !== 3).length,
    templates: [...fake.store.templates.values()].filter((t) => t.status !== 3).length,
  };
}
const NOTHING = { resources: 0, events: 0, links: 0, entries: 0, categories: 0, templates: 0 };

describe('doctor --deep on a full account', () => {
  it('is green, exercised every call the bot needs, and leaves nothing behind', async () => {
    const { fake, results } = await probe();
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['kaltura.deep.category', 'ok'],
      ['kaltura.deep.template-entry', 'ok'],
      ['kaltura.deep.rooms', 'ok'],
      ['kaltura.deep.kaf-launch', 'ok'],
      ['kaltura.deep.notification-templates', 'ok'],
      ['kaltura.deep.cleanup', 'ok'],
    ]);
    const calls = fake.requests.map((r) => `${r.service}.${r.action}`);
    for (const c of ['category.add', 'media.add', 'schedule_scheduleresource.add', 'schedule_scheduleevent.add', 'schedule_scheduleeventresource.add', 'schedule_scheduleevent.update', 'schedule_scheduleevent.cancel', 'eventnotification_eventnotificationtemplate.clone']) {
      expect(calls).toContain(c);
    }
    // the template entry sits in the category (a category entry) and is the session's template
    const entry = [...fake.store.entries.values()][0];
    expect(entry.categoriesIds).toBe(String([...fake.store.categories.values()][0].id));
    expect([...fake.store.events.values()][0].templateEntryId).toBe(entry.id);
    expect(fake.launches).toEqual([expect.objectContaining({ role: 'adminRole', userContextualRole: '0', resourceId: String([...fake.store.resources.keys()][0]) })]);
    expect(leftovers(fake)).toEqual(NOTHING);
  });
});

describe('doctor --deep with an app token', () => {
  it('runs every step with the token\'s sessions, the KAF launch included, and cleans up', async () => {
    const token = { id: '0_tok1', token: 'c0ffee0123456789c0ffee0123456789', hashType: 'SHA256' as const };
    const fake = await startFakeKaltura({ appTokens: [token] });
    cleanups.push(() => fake.close());
    const results = await runDeepProbe({ ...configFor(fake), adminSecret: undefined, appToken: token }, { logger, timeoutMs: 2000 });
    messages.push(...results.flatMap((r) => [r.detail, r.fix ?? '']));
    expect(results.every((r) => r.status === 'ok')).toBe(true);
    expect(fake.launches[0]!.privileges).toMatchObject({ apptoken: token.id, role: 'adminRole' });
    expect(leftovers(fake)).toEqual(NOTHING);
  });
});

describe('doctor --deep on an account that lacks a permission', () => {
  it('names the missing permission for rooms, and still removes what it made', async () => {
    const { fake, byId } = await probe({ missingPermissions: ['SCHEDULE_RESOURCE_MANAGE', 'CAPTURE_DEVICE_PERMISSION'] });
    expect(byId['kaltura.deep.rooms']).toMatchObject({ status: 'fail' });
    expect(byId['kaltura.deep.rooms']!.detail).toMatch(/scheduleResource\.add is refused: SERVICE_FORBIDDEN/);
    expect(byId['kaltura.deep.rooms']!.fix).toMatch(/permission SCHEDULE_RESOURCE_MANAGE \(Kaltura Meetings/);
    expect(byId['kaltura.deep.kaf-launch']!.status).toBe('warn');
    expect(byId['kaltura.deep.category']!.status).toBe('ok');
    expect(byId['kaltura.deep.cleanup']!.status).toBe('ok');
    expect(leftovers(fake)).toEqual(NOTHING);
  });

  it('names the permission for webhook templates', async () => {
    const { byId, fake } = await probe({ missingPermissions: ['eventNotification.EVENT_NOTIFICATIONS_TEMPLATE_MANAGE'] });
    expect(byId['kaltura.deep.notification-templates']).toMatchObject({ status: 'fail' });
    expect(byId['kaltura.deep.notification-templates']!.fix).toMatch(/EVENT_NOTIFICATIONS_TEMPLATE_MANAGE/);
    expect(leftovers(fake)).toEqual(NOTHING);
  });

  it('reports, by id, what it could not remove when deleting is refused, and the permission the bot needs for it', async () => {
    const { fake, byId } = await probe({ missingPermissions: ['SCHEDULE_RESOURCE_DELETE'] });
    expect(byId['kaltura.deep.rooms']!.status).toBe('fail');
    expect(byId['kaltura.deep.rooms']!.fix).toMatch(/SCHEDULE_RESOURCE_DELETE/);
    const room = [...fake.store.resources.keys()][0];
    expect(byId['kaltura.deep.cleanup']).toMatchObject({ status: 'fail', detail: expect.stringContaining(`room resource #${room}`) });
    // everything else was still removed
    expect(leftovers(fake)).toEqual({ ...NOTHING, resources: 1 });
  });

  it('cleans up even when Kaltura stops answering half-way', async () => {
    const fake = await startFakeKaltura();
    cleanups.push(() => fake.close());
    fake.inject({ kind: 'status', status: 503 }, { service: 'schedule_scheduleevent', action: 'add' });
    const results = await runDeepProbe(configFor(fake), { logger, timeoutMs: 2000 });
    expect(results.find((r) => r.id === 'kaltura.deep.rooms')!.detail).toMatch(/scheduleEvent\.add: Kaltura did not answer/);
    expect(leftovers(fake)).toEqual(NOTHING);
  });
});

describe('doctor --deep: the KAF URL must answer like KAF', () => {
  let other: Server | undefined;
  afterEach(async () => {
    if (other) await new Promise((r) => other!.close(r));
    other = undefined;
  });

  it('fails on a site that answers every path with the same 200', async () => {
    other = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Welcome</body></html>'));
    await new Promise<void>((r) => other!.listen(0, '127.0.0.1', r));
    const port = (other.address() as { port: number }).port;
    const { byId } = await probe({}, () => `http://127.0.0.1:${port}`);
    expect(byId['kaltura.deep.kaf-launch']).toMatchObject({ status: 'fail', detail: expect.stringMatching(/not a KAF endpoint/) });
    expect(byId['kaltura.deep.kaf-launch']!.fix).toMatch(/kaltura\.kafUrl/);
  });

  it('fails when the launch path is not there (HTTP 404)', async () => {
    const { byId } = await probe({}, (f) => `${f.url}/elsewhere`);
    expect(byId['kaltura.deep.kaf-launch']).toMatchObject({ status: 'fail', detail: expect.stringMatching(/HTTP 404/) });
  });
});
