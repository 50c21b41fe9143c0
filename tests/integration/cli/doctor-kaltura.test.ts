import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commandDefinitions } from '../../../src/discord/commands/kaltura-command';
import { startFakeDiscordRest, type FakeDiscordRest } from '../../fakes/discord/start-fake-discord-rest';
import { startFakeKaltura, type FakeKaltura } from '../../fakes/kaltura/index';
import { commentedConfig, GOOD } from '../../helpers/config-fixtures';
import { runCli } from '../../helpers/run-cli';
import { freePort } from '../../helpers/free-port';
import { useTempDirs } from '../../helpers/temp-dir';

interface Check { id: string; status: 'ok' | 'warn' | 'fail'; detail: string; fix?: string }

describe('kaltura-discord doctor against the fake Kaltura', () => {
  const tempDir = useTempDirs();
  let discord: FakeDiscordRest;
  let kaltura: FakeKaltura;
  beforeAll(async () => {
    discord = await startFakeDiscordRest([{ token: GOOD.token, applicationId: GOOD.applicationId, applicationName: 'Campus', botId: '1100000000000000009', botName: 'campus-bot', verifyKey: 'cd'.repeat(32), commands: [...commandDefinitions] }]);
    kaltura = await startFakeKaltura({ adminSecret: GOOD.adminSecret });
  });
  afterAll(async () => {
    await discord.close();
    await kaltura.close();
  });
  beforeEach(() => kaltura.clearFaults());

  async function doctor(edit: (text: string) => string = (t) => t) {
    const cwd = tempDir();
    const text = edit(
      commentedConfig()
        .replace('discord:\n', `discord:\n  apiBaseUrl: ${discord.apiBaseUrl}\n`)
        .replace('  serviceUrl: https://www.kaltura.com', `  serviceUrl: ${kaltura.url}\n  kafUrl: ${kaltura.kafUrl}`)
        .concat('webhooks:\n  enabled: false   # the webhook checks have their own tests\n'),
    );
    fs.writeFileSync(path.join(cwd, 'kaltura-discord.yaml'), text, { mode: 0o600 });
    const r = await runCli(['doctor', '--json'], { cwd });
    const out = JSON.parse(r.stdout) as { ok: boolean; checks: Check[] };
    for (const s of [GOOD.token, GOOD.adminSecret, GOOD.linkSecret, 'djJ8']) expect(r.stdout + r.stderr).not.toContain(s);
    return { code: r.code, ok: out.ok, byId: Object.fromEntries(out.checks.map((c) => [c.id, c])) as Record<string, Check>, human: r };
  }

  it('passes every Kaltura check with good credentials', async () => {
    const r = await doctor();
    expect(r.code).toBe(0);
    expect(r.ok).toBe(true);
    expect(r.byId['discord.commands']).toMatchObject({ status: 'ok', detail: 'kaltura, kaltura-admin up to date' });
    for (const id of ['kaltura.service-url', 'kaltura.credentials', 'kaltura.meeting-rooms', 'kaltura.kaf', 'kaltura.webhooks']) {
      expect(r.byId[id]?.status, id).toBe('ok');
    }
  });

  it('fails precisely on a wrong admin secret', async () => {
    const r = await doctor((t) => t.replace(GOOD.adminSecret, 'ffffffffffffffffffffffffffffffff'));
    expect(r.code).toBe(1);
    expect(r.byId['kaltura.service-url']!.status).toBe('ok');
    expect(r.byId['kaltura.credentials']).toMatchObject({ status: 'fail', fix: expect.stringContaining('Administrator Secret') });
    expect(r.byId['kaltura.meeting-rooms']!.status).toBe('warn'); // not checked without a session
  });

  it('fails precisely when the Kaltura URL is unreachable', async () => {
    const port = await freePort();
    const r = await doctor((t) => t.replace(`serviceUrl: ${kaltura.url}`, `serviceUrl: http://127.0.0.1:${port}`));
    expect(r.code).toBe(1);
    expect(r.byId['kaltura.service-url']).toMatchObject({ status: 'fail', fix: expect.stringContaining('kaltura.serviceUrl') });
    expect(r.byId['kaltura.service-url']!.detail).toContain(`http://127.0.0.1:${port}`);
  });

  it('fails precisely when the account may not use the meeting-room API', async () => {
    kaltura.inject({ kind: 'forbid' }, { service: 'schedule_scheduleresource' });
    const r = await doctor();
    expect(r.code).toBe(1);
    expect(r.byId['kaltura.credentials']!.status).toBe('ok');
    expect(r.byId['kaltura.meeting-rooms']).toMatchObject({ status: 'fail', detail: expect.stringContaining('SERVICE_FORBIDDEN'), fix: expect.stringContaining('Kaltura Meetings') });
  });

  it('prints a readable report with a fix under each failed check', async () => {
    kaltura.inject({ kind: 'forbid' }, { service: 'schedule_scheduleresource' });
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, 'kaltura-discord.yaml'), commentedConfig().replace('discord:\n', `discord:\n  apiBaseUrl: ${discord.apiBaseUrl}\n`).replace('  serviceUrl: https://www.kaltura.com', `  serviceUrl: ${kaltura.url}\n  kafUrl: ${kaltura.kafUrl}`).concat('webhooks:\n  enabled: false\n'), { mode: 0o600 });
    const r = await runCli(['doctor'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^\[FAIL\] Kaltura meeting-room API permitted: .*\n\s+fix: .*Kaltura Meetings/m);
    expect(r.stdout).toMatch(/^\[ok  \] Kaltura credentials: /m);
    expect(r.stdout).toMatch(/\d+ checks: \d+ ok, \d+ warnings, 1 failed\nnot verified: Public URL reaches the bot\n$/); // a placeholder host is not checked
    expect(r.stderr).toBe('error: 1 check(s) failed\n');
  });
});
