import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VERSION } from '../../../src/version';
import { startFakeDiscord, type FakeDiscord } from '../../fakes/discord/index';
import { startFakeKaltura, type FakeKaltura } from '../../fakes/kaltura/index';
import { commentedConfig, GOOD } from '../../helpers/config-fixtures';
import { runCli } from '../../helpers/run-cli';
import { useTempDirs } from '../../helpers/temp-dir';

interface Check { id: string; title: string; status: 'ok' | 'warn' | 'fail'; detail: string; fix?: string }

const CLIENT_SECRET = 'Zq3xV9bN2mK7pL4sT8wY1cR6dF0gH5jA';

/** The Activity's failed checks (the other groups are other tests' business). */
const activityFailures = (byId: Record<string, Check>) => Object.values(byId).filter((c) => c.id.startsWith('activity.') && c.status === 'fail').map((c) => c.id);

/** What the bot's public URL answers: the health check, and /activity/ in the chosen way. */
type ActivityMode = 'activity' | '404' | '503' | 'other-app' | 'not-activity';

describe('kaltura-discord doctor: the Watch together Activity', () => {
  const tempDir = useTempDirs();
  let discord: FakeDiscord;
  let kaltura: FakeKaltura;
  let site: http.Server;
  let siteUrl: string;
  let mode: ActivityMode = 'activity';
  const siteRequests: string[] = [];

  beforeAll(async () => {
    discord = await startFakeDiscord({ applicationId: GOOD.applicationId, token: GOOD.token, clientSecret: CLIENT_SECRET, guilds: [] });
    kaltura = await startFakeKaltura({ adminSecret: GOOD.adminSecret });
    site = http.createServer((req, res) => {
      siteRequests.push(req.url ?? '');
      const path = (req.url ?? '').replace(/^\/kd/, '');
      if (path === '/healthz') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ status: 'ok', version: VERSION, uptimeSeconds: 7 }));
      }
      if (path === '/activity/' && mode !== '404') {
        if (mode === '503') {
          res.writeHead(503, { 'content-type': 'text/plain' });
          return res.end('The Activity is not built: run `npm run build`');
        }
        const id = mode === 'other-app' ? '1100000000000000099' : GOOD.applicationId;
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(mode === 'not-activity' ? '<html><body>It works!</body></html>' : `<!doctype html><html><head><meta name="kd-client-id" content="${id}"></head><body></body></html>`);
      }
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not Found');
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    site.closeAllConnections();
    await new Promise<void>((resolve) => site.close(() => resolve()));
    await discord.close();
    await kaltura.close();
  });
  beforeEach(() => {
    mode = 'activity';
    siteRequests.length = 0;
    discord.setActivitiesEnabled(true);
  });

  function configDir(o: { clientSecret?: string; publicPath?: string; mappings?: string } = {}): string {
    const cwd = tempDir();
    const text = commentedConfig()
      .replace('discord:\n', `discord:\n  apiBaseUrl: ${discord.apiBaseUrl}\n${o.clientSecret ? `  clientSecret: ${o.clientSecret}\n` : ''}`)
      .replace('  serviceUrl: https://www.kaltura.com', `  serviceUrl: ${kaltura.url}\n  kafUrl: ${kaltura.kafUrl}\n  cdnUrl: https://cdn.example.net/`)
      .replace('publicUrl: https://bot.example.org', `publicUrl: ${siteUrl}${o.publicPath ?? ''}`)
      .concat(`webhooks:\n  enabled: false\n${o.mappings ? `activity:\n  mediaMappings:\n${o.mappings}` : ''}`);
    fs.writeFileSync(path.join(cwd, 'kaltura-discord.yaml'), text, { mode: 0o600 });
    return cwd;
  }

  async function doctor(cwd: string) {
    const [json, text] = [await runCli(['doctor', '--json'], { cwd }), await runCli(['doctor'], { cwd })];
    for (const s of [GOOD.token, GOOD.adminSecret, GOOD.linkSecret, CLIENT_SECRET, 'wrong-secret-0123456789abcdef']) expect(json.stdout + json.stderr + text.stdout + text.stderr).not.toContain(s);
    const checks = (JSON.parse(json.stdout) as { checks: Check[] }).checks;
    return { code: json.code, text: text.stdout, byId: Object.fromEntries(checks.map((c) => [c.id, c])) as Record<string, Check> };
  }

  it('prints the portal URL mappings, longer prefixes first, even while the Activity is off (a warning, not a failure)', async () => {
    const r = await doctor(configDir({ publicPath: '/kd', mappings: '    - prefix: /vod\n      target: vod.example.net\n    - prefix: /kaltura-vod-eu\n      target: cfvod.kaltura.com\n' }));
    expect(r.byId['activity.client-secret']).toMatchObject({ status: 'warn', title: 'Watch together Activity', detail: expect.stringContaining('off: discord.clientSecret is not set') });
    expect(r.byId['activity.client-secret']!.fix).toContain('docs/activity.md');
    const host = new URL(siteUrl).host;
    expect(r.byId['activity.url-mappings']).toMatchObject({ status: 'ok' });
    expect(r.byId['activity.url-mappings']!.detail.split('\n').at(-1)).toBe('(the Kaltura API needs no mapping: only the bot calls it, never the Activity)');
    expect(r.byId['activity.url-mappings']!.detail.split('\n').slice(1, -1)).toEqual([
      '  /kaltura-vod-eu  →  cfvod.kaltura.com',
      '  /kaltura-cdn     →  cdn.example.net',
      '  /vod             →  vod.example.net',
      `  /                →  ${host}/kd/activity`,
    ]);
    expect(r.text).toContain(`  /                →  ${host}/kd/activity`);
    // nothing is probed for an Activity that is off
    expect(r.byId['activity.served']).toBeUndefined();
    expect(discord.requests.some((q) => q.path === '/oauth2/token')).toBe(false);
    expect(activityFailures(r.byId)).toEqual([]);
  });

  it('passes when Discord accepts the client secret, /activity/ serves this application and Activities are enabled', async () => {
    const before = discord.requests.length;
    const r = await doctor(configDir({ clientSecret: CLIENT_SECRET }));
    expect(activityFailures(r.byId)).toEqual([]);
    expect(r.byId['activity.client-secret']).toMatchObject({ status: 'ok', detail: `Discord accepted the OAuth2 client secret of application ${GOOD.applicationId}` });
    expect(r.byId['activity.served']).toMatchObject({ status: 'ok', detail: `GET ${siteUrl}/activity/ serves the Activity` });
    expect(r.byId['activity.embedded']).toMatchObject({ status: 'ok', detail: 'Activities are enabled (EMBEDDED flag)' });
    const token = discord.requests.slice(before).find((q) => q.path === '/oauth2/token')!;
    expect(token.method).toBe('POST');
    expect(token.authorization).toMatch(/^Basic /);
    expect(siteRequests).toContain('/activity/');
  });

  it('fails on a client secret Discord refuses, naming the fix and never the secret', async () => {
    const r = await doctor(configDir({ clientSecret: 'wrong-secret-0123456789abcdef' }));
    expect(r.code).toBe(1);
    expect(r.byId['activity.client-secret']).toMatchObject({ status: 'fail', detail: expect.stringContaining('refused the client secret') });
    expect(r.byId['activity.client-secret']!.fix).toContain('config set discord.clientSecret -');
  });

  it('warns when the application has no EMBEDDED flag (Activities not enabled in the portal)', async () => {
    discord.setActivitiesEnabled(false);
    const r = await doctor(configDir({ clientSecret: CLIENT_SECRET }));
    expect(r.byId['activity.embedded']).toMatchObject({ status: 'warn', detail: expect.stringContaining('does not have the EMBEDDED flag') });
    expect(r.byId['activity.embedded']!.fix).toContain('Enable Activities');
    expect(activityFailures(r.byId)).toEqual([]); // a warning: Discord documents the flag as not always public
  });

  it('fails when the public URL does not serve the Activity, saying why', async () => {
    const cwd = configDir({ clientSecret: CLIENT_SECRET });
    const cases: [ActivityMode, RegExp, RegExp][] = [
      ['404', /answered HTTP 404$/, /forward \/activity\/ to the bot, WebSocket upgrades for \/activity\/ws included/],
      ['503', /answered HTTP 503: The Activity is not built/, /npm run build/],
      ['other-app', /serves the Activity of application 1100000000000000099, not 1100000000000000001/, /another installation/],
      ['not-activity', /answered, but not with the Activity's page \(text\/html\)/, /forward \/activity\//],
    ];
    for (const [m, detail, fix] of cases) {
      mode = m;
      const r = await doctor(cwd);
      expect(r.byId['activity.served']!.status, m).toBe('fail');
      expect(r.byId['activity.served']!.detail, m).toMatch(detail);
      expect(r.byId['activity.served']!.fix, m).toMatch(fix);
      expect(r.code, m).toBe(1);
    }
  });

  it('does not probe /activity/ when the public URL does not reach the bot', async () => {
    const r = await doctor(configDir({ clientSecret: CLIENT_SECRET, publicPath: '/elsewhere' }));
    expect(r.byId['http.public-url']!.status).toBe('fail');
    expect(r.byId['activity.served']).toMatchObject({ status: 'warn', detail: expect.stringContaining('not checked:') });
    expect(siteRequests.some((u) => u.includes('/activity'))).toBe(false);
  });
});
