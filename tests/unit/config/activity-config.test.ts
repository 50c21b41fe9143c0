import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { secretsOf } from '../../../src/cli/secrets-of';
import { evaluateConfig } from '../../../src/config/evaluate-config';
import { loadConfig } from '../../../src/config/load-config';
import { createLogger } from '../../../src/logging/create-logger';
import { commentedConfig } from '../../helpers/config-fixtures';
import { runCli } from '../../helpers/run-cli';
import { useTempDirs } from '../../helpers/temp-dir';

const CLIENT_SECRET = 'Zq3xV9bN2mK7pL4sT8wY1cR6dF0gH5jA';
const ENV = 'KALTURA_DISCORD_DISCORD__CLIENT_SECRET';

const withActivity = (yaml: string) => `${commentedConfig()}\nactivity:\n${yaml}`;
const issuesOf = (text: string, env: NodeJS.ProcessEnv = {}) =>
  evaluateConfig(text, 'c.yaml', env).issues.map((i) => `${i.envVar ? `${i.envVar}: ` : ''}${i.path}: ${i.message}`);

describe('discord.clientSecret', () => {
  const tempDir = useTempDirs();

  it('is optional: without it the Activity is off (no secret in the config), with it the config carries it', () => {
    const dir = tempDir();
    const file = path.join(dir, 'c.yaml');
    fs.writeFileSync(file, commentedConfig(), { mode: 0o600 });
    expect(loadConfig(file, {}).discord.clientSecret).toBeUndefined();
    expect(loadConfig(file, { [ENV]: CLIENT_SECRET }).discord.clientSecret).toBe(CLIENT_SECRET);
    fs.writeFileSync(file, commentedConfig().replace('  applicationId:', `  clientSecret: ${CLIENT_SECRET}\n  applicationId:`));
    expect(loadConfig(file, {}).discord.clientSecret).toBe(CLIENT_SECRET);
  });

  it('refuses a value that cannot be a client secret, without echoing it', () => {
    const text = commentedConfig().replace('  applicationId:', '  clientSecret: "not a secret!"\n  applicationId:');
    const [issue, ...rest] = issuesOf(text);
    expect(rest).toEqual([]);
    expect(issue).toMatch(/^discord\.clientSecret: must be the Client Secret as the Developer Portal shows it/);
    expect(issue).not.toContain('not a secret!');
  });

  it('is masked by config list and config get, and shown only with --show-secrets', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'kaltura-discord.yaml'), commentedConfig(), { mode: 0o600 });
    const env = { [ENV]: CLIENT_SECRET };
    const list = await runCli(['config', 'list'], { cwd: dir, env });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`discord\\.clientSecret +\\*{8} +\\(${ENV}\\)`));
    const json = await runCli(['config', 'list', '--json'], { cwd: dir, env });
    expect(JSON.parse(json.stdout).keys.find((k: { key: string }) => k.key === 'discord.clientSecret')).toMatchObject({ value: '********', source: 'env' });
    const get = await runCli(['config', 'get', 'discord'], { cwd: dir, env });
    expect(get.stdout).toContain('clientSecret: "********"');
    for (const out of [list.stdout, json.stdout, get.stdout, list.stderr]) expect(out).not.toContain(CLIENT_SECRET);
    expect((await runCli(['config', 'get', 'discord.clientSecret', '--show-secrets'], { cwd: dir, env })).stdout.trim()).toBe(CLIENT_SECRET);
  });

  it('never reaches a log line: redacted by key (clientSecret, client_secret, access_token) and by value', () => {
    const dir = tempDir();
    const file = path.join(dir, 'c.yaml');
    fs.writeFileSync(file, commentedConfig(), { mode: 0o600 });
    const config = loadConfig(file, { [ENV]: CLIENT_SECRET });
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', format: 'json', secrets: secretsOf(config), destination: { write: (l: string) => lines.push(l) } });
    const accessToken = 'ya1Bq2Wc3Ed4Rf5Tg6Yh7Uj8Ik9Ol0P';
    logger.info({ clientSecret: CLIENT_SECRET, form: { client_secret: 'another-secret-value-xyz', access_token: accessToken }, reply: { accessToken } }, 'oauth');
    logger.warn(`POST /oauth2/token failed with client_secret=${CLIENT_SECRET}`);
    const out = lines.join('');
    for (const secret of [CLIENT_SECRET, 'another-secret-value-xyz', accessToken]) expect(out).not.toContain(secret);
    expect(out.match(/\[REDACTED\]/g)?.length).toBeGreaterThanOrEqual(5);
  });
});

describe('activity.mediaMappings', () => {
  const tempDir = useTempDirs();

  it('takes prefix → host[/path] mappings; the default is none', () => {
    const dir = tempDir();
    const file = path.join(dir, 'c.yaml');
    fs.writeFileSync(file, commentedConfig(), { mode: 0o600 });
    expect(loadConfig(file, {}).activity?.mediaMappings).toEqual([]);
    fs.writeFileSync(file, withActivity('  mediaMappings:\n    - prefix: /kaltura-vod\n      target: cfvod.kaltura.com\n    - { prefix: /media, target: "cdn.example.org/vod/" }\n'));
    expect(loadConfig(file, {}).activity?.mediaMappings).toEqual([
      { prefix: '/kaltura-vod', target: 'cfvod.kaltura.com' },
      { prefix: '/media', target: 'cdn.example.org/vod' },
    ]);
  });

  it('reads the environment and config set form prefix=target,prefix=target', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'kaltura-discord.yaml');
    fs.writeFileSync(file, commentedConfig(), { mode: 0o600 });
    const env = { KALTURA_DISCORD_ACTIVITY__MEDIA_MAPPINGS: '/kaltura-vod=cfvod.kaltura.com, /media=cdn.example.org/vod' };
    expect(loadConfig(file, env).activity?.mediaMappings).toEqual([
      { prefix: '/kaltura-vod', target: 'cfvod.kaltura.com' },
      { prefix: '/media', target: 'cdn.example.org/vod' },
    ]);
    const set = await runCli(['config', 'set', 'activity.mediaMappings', '/vod=cfvod.kaltura.com'], { cwd: dir });
    expect(set.code).toBe(0);
    expect(loadConfig(file, {}).activity?.mediaMappings).toEqual([{ prefix: '/vod', target: 'cfvod.kaltura.com' }]);
    const bad = await runCli(['config', 'set', 'activity.mediaMappings', '/vod'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('target: is required but missing');
    expect(loadConfig(file, {}).activity?.mediaMappings).toEqual([{ prefix: '/vod', target: 'cfvod.kaltura.com' }]); // file untouched
  });

  it('refuses each bad mapping with a message that says what the portal expects', () => {
    const mapping = (prefix: string, target: string) => `    - prefix: "${prefix}"\n      target: "${target}"\n`;
    expect(issuesOf(withActivity(`  mediaMappings:\n${mapping('/', 'cfvod.kaltura.com')}`))).toEqual([
      'activity.mediaMappings.0.prefix: must be a path prefix of one segment: / then lower-case letters, digits or - (e.g. /kaltura-vod); not / alone, which is the Activity itself',
    ]);
    expect(issuesOf(withActivity(`  mediaMappings:\n${mapping('/Vod/x', 'cfvod.kaltura.com')}`))[0]).toMatch(/^activity\.mediaMappings\.0\.prefix: must be a path prefix of one segment/);
    expect(issuesOf(withActivity(`  mediaMappings:\n${mapping('/vod', 'https://cfvod.kaltura.com')}`))).toEqual([
      'activity.mediaMappings.0.target: must be a host with an optional path, without https:// (e.g. cfvod.kaltura.com or cdn.example.org/vod), as the Developer Portal takes it',
    ]);
    expect(issuesOf(withActivity('  mediaMappings:\n    - prefix: /vod\n'))).toEqual([
      'activity.mediaMappings.0.target: is required but missing (The host (and optional path) the prefix maps to, without the protocol)',
    ]);
    expect(issuesOf(withActivity('  mediaMappings:\n    - prefix: /vod\n      target: a.example.org\n      host: b\n'))[0]).toMatch(/^activity\.mediaMappings\.0\.host: unknown key "host"/);
    expect(issuesOf(withActivity(`  mediaMappings:\n${mapping('/api', 'a.example.org')}${mapping('/kaltura-cdn', 'b.example.org')}${mapping('/vod', 'c.example.org')}${mapping('/vod', 'd.example.org')}`))).toEqual([
      'activity.mediaMappings.0.prefix: "/api" is the Activity\'s own API (under the / mapping); pick another prefix',
      'activity.mediaMappings.1.prefix: "/kaltura-cdn" is always mapped to the host of kaltura.cdnUrl; pick another prefix',
      'activity.mediaMappings.3.prefix: "/vod" is mapped twice; a prefix maps to one target',
    ]);
  });
});

describe('init and the client secret (optional, never asked)', () => {
  const tempDir = useTempDirs();
  const base = ['init', '--non-interactive', '--offline', '--discord-token', 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.GhIjKl.abcdefghijklmnopqrstuvwxyz0123', '--application-id', '1100000000000000001',
    '--partner-id', '1234567', '--admin-secret', 'abcdef0123456789abcdef0123456789', '--public-url', 'https://bot.example.org'];

  it('writes --client-secret into the file, never into the output; from the environment it stays a ${NAME} reference', async () => {
    const cwd = tempDir();
    const r = await runCli([...base, '--client-secret', CLIENT_SECRET], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(CLIENT_SECRET);
    expect(loadConfig(path.join(cwd, 'kaltura-discord.yaml'), {}).discord.clientSecret).toBe(CLIENT_SECRET);
    const fromEnv = tempDir();
    expect((await runCli(base, { cwd: fromEnv, env: { [ENV]: CLIENT_SECRET } })).code).toBe(0);
    const text = fs.readFileSync(path.join(fromEnv, 'kaltura-discord.yaml'), 'utf8');
    expect(text).toContain(`clientSecret: \${${ENV}}`);
    expect(text).not.toContain(CLIENT_SECRET);
    const without = tempDir();
    expect((await runCli(base, { cwd: without })).code).toBe(0);
    expect(loadConfig(path.join(without, 'kaltura-discord.yaml'), {}).discord.clientSecret).toBeUndefined();
  });

  it('refuses a malformed --client-secret before writing anything', async () => {
    const cwd = tempDir();
    const r = await runCli([...base, '--client-secret', 'has spaces in it, no'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Discord client secret (--client-secret): must be the Client Secret as the Developer Portal shows it');
    expect(fs.existsSync(path.join(cwd, 'kaltura-discord.yaml'))).toBe(false);
  });
});
