import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeKaltura, type FakeKaltura } from '../../fakes/kaltura/index';
import { GOOD } from '../../helpers/config-fixtures';
import { useTempDirs } from '../../helpers/temp-dir';
import { cli, ourTemplates, templateCalls, templateWrites, writeConfig, APP_TOKEN, type ConfigOptions } from './helpers';

interface StatusJson {
  partnerId: number;
  expectedUrl: string;
  webhooksEnabled: boolean;
  available: boolean;
  ok?: boolean;
  reason?: string;
  templates: Array<Record<string, unknown>>;
}

describe('kaltura-discord webhooks status', () => {
  const tempDir = useTempDirs();
  let fake: FakeKaltura;
  beforeEach(async () => {
    fake = await startFakeKaltura({ adminSecret: GOOD.adminSecret, appTokens: [{ ...APP_TOKEN }] });
  });
  afterEach(() => fake.close());

  const configDir = (o: Partial<ConfigOptions> = {}) => writeConfig(tempDir(), { kaltura: fake, ...o });
  const statusJson = async (cwd: string) => {
    const r = await cli(['webhooks', 'status', '--json'], cwd);
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout) as StatusJson;
  };

  it('says what is missing before setup', async () => {
    const cwd = configDir();
    const r = await cli(['webhooks', 'status'], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `Kaltura webhook templates of partner ${fake.partnerId} (configured URL: https://bot.example.org/webhooks/kaltura):\n` +
        '  recording ready: kaltura_discord_recording_ready, not set up\n' +
        '  session changed: kaltura_discord_session_changed, not set up (optional)\n' +
        'Run `kaltura-discord webhooks setup` to fix what is listed above (add --dry-run to preview).\n',
    );
    const json = await statusJson(cwd);
    expect(json).toMatchObject({ partnerId: fake.partnerId, expectedUrl: 'https://bot.example.org/webhooks/kaltura', available: true, ok: false, webhooksEnabled: true });
    expect(json.templates[0]).toMatchObject({ systemName: 'kaltura_discord_recording_ready', required: true, present: false, upToDate: false });
    expect(json.templates[1]).toMatchObject({ systemName: 'kaltura_discord_session_changed', required: false, present: false });
  });

  it('lists our templates after setup: status, URL, hash algorithm, and that the URL matches', async () => {
    const cwd = configDir();
    expect((await cli(['webhooks', 'setup'], cwd)).code).toBe(0);
    const id = ourTemplates(fake)[0].id;
    const before = fake.requests.length;
    const r = await cli(['webhooks', 'status'], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `  recording ready: kaltura_discord_recording_ready #${id} "kaltura-discord: recording ready"\n` +
        '    ACTIVE, POST https://bot.example.org/webhooks/kaltura, signed with sha256, body JSON KalturaMediaEntry\n' +
        '    URL matches the configuration\n',
    );
    expect(r.stdout).toMatch(/Everything is in place\.\n$/);
    const json = await statusJson(cwd);
    expect(json.ok).toBe(true);
    expect(json.templates[0]).toEqual({
      key: 'recordingReady',
      label: 'recording ready',
      systemName: 'kaltura_discord_recording_ready',
      required: true,
      present: true,
      id,
      name: 'kaltura-discord: recording ready',
      status: 'ACTIVE',
      url: 'https://bot.example.org/webhooks/kaltura',
      urlMatches: true,
      method: 'POST',
      hashAlgo: 'sha256',
      body: 'JSON KalturaMediaEntry',
      upToDate: true,
      differences: [],
      duplicateIds: [],
    });
    expect(templateWrites(fake, before)).toEqual([]);
    expect(templateCalls(fake, before).map((c) => c.action)).toEqual(['list', 'list']);
  });

  it('flags a URL that differs from the configuration, and a disabled template', async () => {
    expect((await cli(['webhooks', 'setup'], configDir())).code).toBe(0);
    ourTemplates(fake)[0].status = 1;
    const cwd = configDir({ publicUrl: 'https://moved.example.org' });
    const r = await cli(['webhooks', 'status'], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('    DISABLED, POST https://bot.example.org/webhooks/kaltura, signed with sha256, body JSON KalturaMediaEntry\n');
    expect(r.stdout).toContain('    URL DIFFERS from the configuration (expected https://moved.example.org/webhooks/kaltura)\n');
    expect(r.stdout).toContain('    setup would change: status DISABLED → ACTIVE\n');
    expect(r.stdout).toContain('Run `kaltura-discord webhooks setup`');
    const json = await statusJson(cwd);
    expect(json.ok).toBe(false);
    expect(json.templates[0]).toMatchObject({
      status: 'DISABLED',
      urlMatches: false,
      upToDate: false,
      differences: ['url https://bot.example.org/webhooks/kaltura → https://moved.example.org/webhooks/kaltura', 'status DISABLED → ACTIVE'],
    });
  });

  it('says plainly that app-token mode cannot use webhooks, without calling Kaltura', async () => {
    const cwd = configDir({ appToken: true });
    const r = await cli(['webhooks', 'status'], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Kaltura webhooks need kaltura\.adminSecret: .*the bot cannot verify them \(see docs\/kaltura\.md, "Credentials"\)\.\nConfigure kaltura\.adminSecret/);
    expect(await statusJson(cwd)).toMatchObject({ available: false, reason: expect.stringContaining('cannot verify'), templates: [] });
    expect(templateCalls(fake)).toEqual([]);
  });

  it('notes when webhooks are disabled in the configuration', async () => {
    const r = await cli(['webhooks', 'status'], configDir({ webhooksEnabled: false }));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Note: webhooks.enabled is false, so the bot answers 404 to these notifications.');
  });

  it('reports a forbidden service as an error with the fix', async () => {
    fake.inject({ kind: 'forbid' }, { service: 'eventnotification_eventnotificationtemplate' });
    const r = await cli(['webhooks', 'status'], configDir());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/SERVICE_FORBIDDEN.*Fix: Ask Kaltura .*enable HTTP event notifications/);
  });
});
