import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeKaltura, type FakeKaltura } from '../../fakes/kaltura/index';
import { GOOD } from '../../helpers/config-fixtures';
import { useTempDirs } from '../../helpers/temp-dir';
import { cli, ourTemplates, templateCalls, templateWrites, writeConfig, APP_TOKEN, type ConfigOptions } from './helpers';

const URL_A = 'https://bot.example.org/webhooks/kaltura';

describe('kaltura-discord webhooks setup', () => {
  const tempDir = useTempDirs();
  let fake: FakeKaltura;
  beforeEach(async () => {
    fake = await startFakeKaltura({ adminSecret: GOOD.adminSecret, appTokens: [{ ...APP_TOKEN }] });
  });
  afterEach(() => fake.close());

  const configDir = (o: Partial<ConfigOptions> = {}) => writeConfig(tempDir(), { kaltura: fake, ...o });

  it('clones HTTP_ENTRY_STATUS_EQUALS with our URL, POST, JSON object data and SHA-256, and activates it', async () => {
    const r = await cli(['webhooks', 'setup'], configDir());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [t, ...others] = ourTemplates(fake);
    expect(others).toEqual([]);
    expect(t).toMatchObject({
      systemName: 'kaltura_discord_recording_ready',
      name: 'kaltura-discord: recording ready',
      status: 2,
      url: URL_A,
      method: 2,
      secureHashingAlgo: 2,
      data: { objectType: 'KalturaHttpNotificationObjectData', apiObjectType: 'KalturaMediaEntry', format: 1, code: '$scope->getObject()' },
      // kept from the system template: the "status changed to READY" condition
      eventType: '3',
      eventObjectType: '1',
      userParameters: [expect.objectContaining({ key: 'trigger_status', value: expect.objectContaining({ value: '2' }) })],
    });
    const calls = templateCalls(fake);
    expect(calls.map((c) => c.action)).toEqual(['list', 'listTemplates', 'listTemplates', 'clone', 'updateStatus']);
    expect(calls.every((c) => c.ks?.type === 2)).toBe(true);
    // the recording template's source is looked up by name; the optional one by shape among the HTTP ones
    expect(calls[1]!.params.filter).toMatchObject({ systemNameEqual: 'HTTP_ENTRY_STATUS_EQUALS' });
    expect(calls[2]!.params.filter).toMatchObject({ typeEqual: 'httpNotification.Http' });
    expect(calls[3]!.params.id).toBe(101); // HTTP_ENTRY_STATUS_EQUALS in the fake
    expect(calls[4]!.params).toMatchObject({ id: t.id, status: 2 });
    expect(r.stdout).toContain(`Kaltura webhook templates of partner ${fake.partnerId}, notifying ${URL_A}:`);
    expect(r.stdout).toMatch(new RegExp(`created +kaltura_discord_recording_ready \\(#${t.id}\\), cloned from HTTP_ENTRY_STATUS_EQUALS \\(#101\\), ACTIVE`));
    // the fake offers no schedule-event template: the optional one is skipped, and said so
    expect(r.stdout).toMatch(/skipped +kaltura_discord_session_changed \(session changed, optional\): this Kaltura server offers no system template/);
    expect(r.stdout).toContain('Done: 1 created, 0 updated, 0 unchanged.');
  });

  it('changes nothing on a second run and sends no writes', async () => {
    const cwd = configDir();
    expect((await cli(['webhooks', 'setup'], cwd)).code).toBe(0);
    const before = fake.requests.length;
    const snapshot = structuredClone(ourTemplates(fake));
    const r = await cli(['webhooks', 'setup'], cwd);
    expect(r.code).toBe(0);
    expect(templateWrites(fake, before)).toEqual([]);
    // reads only: our templates, and the system ones (to say again why the optional one is skipped)
    expect(templateCalls(fake, before).map((c) => c.action)).toEqual(['list', 'listTemplates']);
    expect(ourTemplates(fake)).toEqual(snapshot);
    expect(r.stdout).toMatch(/unchanged +kaltura_discord_recording_ready \(#\d+\)/);
    expect(r.stdout).toContain('Done: 0 created, 0 updated, 1 unchanged.');
  });

  it('updates the URL in place when the public URL changed, without a second template', async () => {
    expect((await cli(['webhooks', 'setup'], configDir())).code).toBe(0);
    const id = ourTemplates(fake)[0].id;
    const before = fake.requests.length;
    const r = await cli(['webhooks', 'setup'], configDir({ publicUrl: 'https://discord-bot.example.net/base' }));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`updated      kaltura_discord_recording_ready (#${id}): url ${URL_A} → https://discord-bot.example.net/base/webhooks/kaltura`);
    expect(templateWrites(fake, before).map((c) => c.action)).toEqual(['update']);
    expect(templateWrites(fake, before)[0]!.params).toMatchObject({ id, eventNotificationTemplate: { objectType: 'KalturaHttpNotificationTemplate', url: 'https://discord-bot.example.net/base/webhooks/kaltura', method: 2, secureHashingAlgo: 2 } });
    expect(ourTemplates(fake)).toEqual([expect.objectContaining({ id, status: 2, url: 'https://discord-bot.example.net/base/webhooks/kaltura' })]);
  });

  it('reactivates a disabled template and repairs a hand-edited one', async () => {
    const cwd = configDir();
    expect((await cli(['webhooks', 'setup'], cwd)).code).toBe(0);
    const t = ourTemplates(fake)[0];
    Object.assign(t, { status: 1, secureHashingAlgo: 1, data: { objectType: 'KalturaHttpNotificationDataFields' } });
    const before = fake.requests.length;
    const r = await cli(['webhooks', 'setup'], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`updated      kaltura_discord_recording_ready (#${t.id}): body DataFields → JSON KalturaMediaEntry; signature sha1 → sha256; status DISABLED → ACTIVE`);
    expect(templateWrites(fake, before).map((c) => c.action)).toEqual(['update', 'updateStatus']);
    expect(ourTemplates(fake)[0]).toMatchObject({ status: 2, secureHashingAlgo: 2, data: { objectType: 'KalturaHttpNotificationObjectData' } });
  });

  it('--dry-run shows what would change and writes nothing', async () => {
    const cwd = configDir();
    let r = await cli(['webhooks', 'setup', '--dry-run'], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/would create +kaltura_discord_recording_ready \(recording ready\), cloning HTTP_ENTRY_STATUS_EQUALS \(#101\)/);
    expect(r.stdout).toContain('Dry run: nothing was written.');
    expect(templateWrites(fake)).toEqual([]);
    expect(ourTemplates(fake)).toEqual([]);

    expect((await cli(['webhooks', 'setup'], cwd)).code).toBe(0);
    const before = fake.requests.length;
    r = await cli(['webhooks', 'setup', '--dry-run', '--url', 'https://hooks.example.net/k'], cwd);
    expect(r.stdout).toMatch(/would update +kaltura_discord_recording_ready \(#\d+\): url https:\/\/bot\.example\.org\/webhooks\/kaltura → https:\/\/hooks\.example\.net\/k/);
    expect(templateWrites(fake, before)).toEqual([]);
    r = await cli(['webhooks', 'setup', '--dry-run'], cwd);
    expect(r.stdout).toContain('Nothing to change.');
  });

  it('--url overrides the public URL', async () => {
    const r = await cli(['webhooks', 'setup', '--url', 'https://hooks.example.net/kaltura-in'], configDir());
    expect(r.code).toBe(0);
    expect(ourTemplates(fake)[0]).toMatchObject({ url: 'https://hooks.example.net/kaltura-in', status: 2 });
  });

  it('refuses a plain-http URL unless it is loopback', async () => {
    let r = await cli(['webhooks', 'setup'], configDir({ publicUrl: 'http://bot.example.org' }));
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/^error: refusing to point Kaltura webhooks at http:\/\/bot\.example\.org\/webhooks\/kaltura: http\.publicUrl must use https:\/\//);
    expect(r.stderr).toContain('kaltura-discord config set http.publicUrl https://');
    r = await cli(['webhooks', 'setup', '--url', 'http://hooks.example.net/k'], configDir());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--url must use https://');
    expect(templateCalls(fake)).toEqual([]);

    r = await cli(['webhooks', 'setup'], configDir({ publicUrl: 'http://127.0.0.1:8080' }));
    expect(r.code).toBe(0);
    expect(ourTemplates(fake)[0]).toMatchObject({ url: 'http://127.0.0.1:8080/webhooks/kaltura' });
  });

  it('refuses in app-token mode, saying why, without touching Kaltura', async () => {
    const r = await cli(['webhooks', 'setup'], configDir({ appToken: true }));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^error: Kaltura webhooks need kaltura\.adminSecret: Kaltura signs every notification with the admin secret, and with an app token the bot cannot verify them \(see docs\/kaltura\.md/);
    expect(r.stdout).toBe('');
    expect(templateCalls(fake)).toEqual([]);
  });

  it('refuses when webhooks are disabled in the configuration', async () => {
    const r = await cli(['webhooks', 'setup'], configDir({ webhooksEnabled: false }));
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/webhooks\.enabled is false .*kaltura-discord config set webhooks\.enabled true/);
    expect(templateCalls(fake)).toEqual([]);
  });

  it('explains a forbidden service with the fix', async () => {
    fake.inject({ kind: 'forbid' }, { service: 'eventnotification_eventnotificationtemplate' });
    const r = await cli(['webhooks', 'setup'], configDir());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: Kaltura refused eventNotificationTemplate\.list: SERVICE_FORBIDDEN: the account does not allow event notifications\. Fix: Ask Kaltura .*to enable HTTP event notifications .*for partner \d+\./);
    expect(r.stderr).not.toContain('unexpected');
  });

  it('finishes the job on the next run after a failure between clone and activation', async () => {
    fake.inject({ kind: 'forbid' }, { service: 'eventnotification_eventnotificationtemplate', action: 'updateStatus', times: 1 });
    const cwd = configDir();
    let r = await cli(['webhooks', 'setup'], cwd);
    expect(r.code).toBe(1);
    expect(ourTemplates(fake)).toEqual([expect.objectContaining({ status: 1 })]); // cloned, still DISABLED
    r = await cli(['webhooks', 'setup'], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/updated +kaltura_discord_recording_ready \(#\d+\): status DISABLED → ACTIVE/);
    expect(ourTemplates(fake)).toEqual([expect.objectContaining({ status: 2, url: URL_A })]);
  });

  it('leaves templates that are not ours alone, and reports duplicates of ours without deleting them', async () => {
    const foreign = { id: 900, partnerId: fake.partnerId, systemName: 'crm_sync', name: 'CRM', status: 2, url: 'https://crm.example.com/hook', method: 2, secureHashingAlgo: 1, createdAt: 1, updatedAt: 1, objectType: 'KalturaHttpNotificationTemplate' };
    const oldCopy = { ...foreign, id: 901, systemName: 'kaltura_discord_recording_ready', name: 'old copy', status: 1, url: 'https://old.example.org/webhooks/kaltura' };
    fake.store.templates.set(900, structuredClone(foreign));
    fake.store.templates.set(901, structuredClone(oldCopy));
    const cwd = configDir();
    let r = await cli(['webhooks', 'setup'], cwd);
    expect(r.code).toBe(0);
    // the disabled copy is ours by systemName: it is repaired and activated rather than cloned again
    expect(r.stdout).toMatch(/updated +kaltura_discord_recording_ready \(#901\): url https:\/\/old\.example\.org\/webhooks\/kaltura → https:\/\/bot\.example\.org\/webhooks\/kaltura; body no body → JSON KalturaMediaEntry; signature sha1 → sha256; status DISABLED → ACTIVE/);
    expect(fake.store.templates.get(900)).toEqual(foreign);
    expect(templateCalls(fake).filter((c) => c.params.id === 900)).toEqual([]);

    // a second copy (made by hand, DISABLED) is reported and kept
    fake.store.templates.set(902, { ...structuredClone(oldCopy), id: 902 });
    const before = fake.requests.length;
    r = await cli(['webhooks', 'setup'], cwd);
    expect(r.stdout).toMatch(/unchanged +kaltura_discord_recording_ready \(#901\)\n +also found #902 with the same systemName; left alone/);
    expect(templateWrites(fake, before)).toEqual([]);
    expect(fake.store.templates.get(902)!.status).toBe(1);
    expect(fake.requests.some((c) => c.action === 'delete')).toBe(false);
  });
});
