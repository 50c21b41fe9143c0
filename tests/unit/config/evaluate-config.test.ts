import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatConfigIssue } from '../../../src/config/config-error';
import { evaluateConfig } from '../../../src/config/evaluate-config';
import { loadConfig } from '../../../src/config/load-config';
import { commentedConfig, EXAMPLE_ENV, GOOD } from '../../helpers/config-fixtures';
import { useTempDirs } from '../../helpers/temp-dir';

const example = fs.readFileSync(path.resolve(__dirname, '../../../kaltura-discord.example.yaml'), 'utf8');
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('evaluateConfig', () => {
  it('accepts the example file once its secrets are in the environment', () => {
    expect(evaluateConfig(example, 'ex.yaml', EXAMPLE_ENV).issues).toEqual([]);
  });

  it('names a misspelled key with its line and column and suggests the right one', () => {
    const text = commentedConfig().replace('  publicUrl:', '  publicURL:');
    const [issue, ...rest] = evaluateConfig(text, 'c.yaml', {}).issues.filter((i) => i.message.startsWith('unknown key'));
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({ path: 'http.publicURL', line: lineOf(text, 'publicURL'), column: 3 });
    expect(issue!.message).toBe('unknown key "publicURL"; did you mean "publicUrl"?');
    expect(formatConfigIssue('c.yaml', issue!)).toBe(`c.yaml:${lineOf(text, 'publicURL')}:3: http.publicURL: unknown key "publicURL"; did you mean "publicUrl"?`);
  });

  it("refuses one Kaltura category for every server in the YAML defaults (a server's media would show in another)", () => {
    const text = `${commentedConfig()}\ndefaults:\n  kaltura:\n    categoryId: 55\n`;
    const issue = evaluateConfig(text, 'c.yaml', {}).issues.find((i) => i.path === 'defaults.kaltura.categoryId');
    expect(issue?.message).toContain('per-server choice');
    expect(evaluateConfig(commentedConfig(), 'c.yaml', {}).issues.find((i) => i.path.startsWith('defaults'))).toBeUndefined();
  });

  it('suggests the full path when a key sits in the wrong section', () => {
    const text = commentedConfig().replace('  ttl: 5m', '  ttl: 5m\n  partnerId: 5');
    const issue = evaluateConfig(text, 'c.yaml', {}).issues.find((i) => i.path === 'links.partnerId');
    expect(issue?.message).toContain('did you mean "kaltura.partnerId"?');
  });

  it('reports every problem at once, each at its own line', () => {
    const text = commentedConfig()
      .replace('partnerId: 1234567', 'partnerId: "abc"')
      .replace('ttl: 5m', 'ttl: soon')
      .replace(/applicationId: .*/, 'applicationId: "12"')
      .replace('  serviceUrl:', '  servceUrl:');
    const issues = evaluateConfig(text, 'c.yaml', {}).issues;
    expect(issues.map((i) => [i.path, i.line])).toEqual(
      expect.arrayContaining([
        ['kaltura.partnerId', lineOf(text, 'partnerId')],
        ['links.ttl', lineOf(text, 'ttl: soon')],
        ['discord.applicationId', lineOf(text, 'applicationId')],
        ['kaltura.servceUrl', lineOf(text, 'servceUrl')],
      ]),
    );
    expect(issues).toHaveLength(4);
    expect(issues.find((i) => i.path === 'kaltura.partnerId')!.message).toMatch(/must be an integer/);
  });

  it('reports a missing required key at the section that should hold it', () => {
    const text = commentedConfig().replace(/  token: .*\n/, '');
    const issue = evaluateConfig(text, 'c.yaml', {}).issues[0]!;
    expect(issue.path).toBe('discord.token');
    expect(issue.message).toMatch(/^is required but missing/);
    expect(issue.line).toBe(lineOf(text, 'discord:'));
  });

  it('reports YAML syntax errors with their position', () => {
    const issues = evaluateConfig('discord:\n  token: a\n  token: b\n', 'c.yaml', {}).issues;
    expect(issues).toHaveLength(1); // no follow-on noise about sections the broken file could not declare
    expect(issues[0]!.message).toMatch(/^YAML:/);
    expect(issues[0]!.message).toMatch(/unique/);
    expect(issues[0]!.line).toBe(3);
  });

  it('reports an alias without its anchor, and an alias bomb, as problems at their line (never a crash)', () => {
    const text = `${commentedConfig()}defaults:\n  permissions:\n    starterRoleIds: *mods\n`;
    const issues = evaluateConfig(text, 'c.yaml', {}).issues;
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: '', line: lineOf(text, '*mods'), column: 21 });
    expect(issues[0]!.message).toMatch(/^YAML: Unresolved alias .*mods/);
    const bomb = `${commentedConfig()}x: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\ny: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nz: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nw: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n`;
    const [bombIssue, ...others] = evaluateConfig(bomb, 'c.yaml', {}).issues;
    expect(others).toEqual([]);
    expect(bombIssue!.message).toMatch(/^YAML: .*alias/i);
  });

  it('takes any key from an environment variable named after its path, typed by the schema', () => {
    const text = commentedConfig();
    const r = evaluateConfig(text, 'c.yaml', { KALTURA_DISCORD_KALTURA__PARTNER_ID: '999', KALTURA_DISCORD_LOGGING__LEVEL: 'debug' });
    expect(r.issues).toEqual([]);
    expect(r.value).toMatchObject({ kaltura: { partnerId: 999 }, logging: { level: 'debug' } });
    expect(r.sources.get('kaltura.partnerId')).toBe('env');
    expect(r.sources.get('logging.level')).toBe('env');
    expect(r.sources.get('links.ttl')).toBe('file');
    expect(r.sources.get('kaltura.search')).toBe('default');
  });

  it('lets secrets live only in the environment', () => {
    const text = commentedConfig().replace(/  adminSecret: .*\n/, '').replace(/  token: .*\n/, '');
    const r = evaluateConfig(text, 'c.yaml', { KALTURA_DISCORD_KALTURA__ADMIN_SECRET: GOOD.adminSecret, KALTURA_DISCORD_DISCORD__TOKEN: GOOD.token });
    expect(r.issues).toEqual([]);
  });

  it('names the environment variable when an override is invalid, and flags unknown ones', () => {
    const r = evaluateConfig(commentedConfig(), 'c.yaml', {
      KALTURA_DISCORD_KALTURA__PARTNER_ID: 'twelve',
      KALTURA_DISCORD_HTTP__LISTN: '0.0.0.0:1',
      KALTURA_DISCORD_LOGGING__LEVEL: 'loud',
    });
    expect(r.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ envVar: 'KALTURA_DISCORD_KALTURA__PARTNER_ID', message: 'must be a whole number' }),
        expect.objectContaining({ envVar: 'KALTURA_DISCORD_HTTP__LISTN', message: expect.stringContaining('did you mean KALTURA_DISCORD_HTTP__LISTEN?') }),
        expect.objectContaining({ envVar: 'KALTURA_DISCORD_LOGGING__LEVEL', path: 'logging.level' }),
      ]),
    );
    expect(formatConfigIssue('c.yaml', r.issues.find((i) => i.path === 'logging.level')!)).toMatch(/^environment variable KALTURA_DISCORD_LOGGING__LEVEL: logging.level: must be one of/);
  });

  it('expands ${NAME} references, reports unset ones once, and keeps $${ literal', () => {
    const text = commentedConfig().replace(`secret: ${GOOD.linkSecret}`, 'secret: "${LINK_KEY}"').replace('publicUrl: https://bot.example.org', () => 'publicUrl: https://$${x}.example.org');
    const missing = evaluateConfig(text, 'c.yaml', {}).issues;
    expect(missing).toEqual([expect.objectContaining({ path: 'links.secret', message: 'references ${LINK_KEY}, which is not set in the environment' })]);
    const ok = evaluateConfig(text.replace('$${x}', 'bot'), 'c.yaml', { LINK_KEY: GOOD.linkSecret });
    expect(ok.issues).toEqual([]);
    expect((ok.value.links as { secret: string }).secret).toBe(GOOD.linkSecret);
    const literal = evaluateConfig(text, 'c.yaml', { LINK_KEY: GOOD.linkSecret });
    expect((literal.value.http as { publicUrl: string }).publicUrl).toBe('https://${x}.example.org');
  });

  it('reads lists of role ids from the file or a comma-separated variable, and names a bad id', () => {
    const text = `${commentedConfig()}defaults:\n  roles:\n    moderatorRoleIds: ["1200000000000000001", "12"]\n`;
    const bad = evaluateConfig(text, 'c.yaml', {}).issues;
    expect(bad).toEqual([expect.objectContaining({ path: 'defaults.roles.moderatorRoleIds.1', message: 'must be a Discord role id (17 to 20 digits)', line: lineOf(text, 'moderatorRoleIds') })]);
    const env = evaluateConfig(commentedConfig(), 'c.yaml', { KALTURA_DISCORD_DEFAULTS__ROLES__MODERATOR_ROLE_IDS: '1200000000000000001, 1200000000000000002', KALTURA_DISCORD_DEFAULTS__MEETINGS__RECORD: 'true' });
    expect(env.issues).toEqual([]);
    expect(env.value.defaults).toMatchObject({
      roles: { moderatorRoleIds: ['1200000000000000001', '1200000000000000002'] },
      permissions: { startMeetings: 'manage-events', starterRoleIds: [] },
      meetings: { kind: 'meeting', durationMinutes: 60, record: true },
    });
  });

  it('requires exactly one Kaltura credential', () => {
    const none = commentedConfig().replace(/  adminSecret: .*\n/, '');
    expect(evaluateConfig(none, 'c.yaml', {}).issues[0]!.message).toMatch(/set either kaltura.adminSecret or kaltura.appToken/);
    const both = commentedConfig().replace('  serviceUrl:', '  appToken:\n    id: 0_abc\n    token: tokentokentoken\n  serviceUrl:');
    expect(evaluateConfig(both, 'c.yaml', {}).issues[0]).toMatchObject({ path: 'kaltura.appToken', message: expect.stringMatching(/not both/) });
    const tokenOnly = both.replace(/  adminSecret: .*\n/, '');
    expect(evaluateConfig(tokenOnly, 'c.yaml', {}).issues).toEqual([]);
  });

  it('takes a join role id or systemName, refuses one that could add privileges, and refuses it with an app token', () => {
    const withRole = (v: string) => commentedConfig().replace('  serviceUrl:', `  joinRoleId: ${v}\n  serviceUrl:`);
    expect(evaluateConfig(withRole('"12345"'), 'c.yaml', {}).issues).toEqual([]);
    expect(evaluateConfig(withRole('KALTURA_DISCORD_JOIN'), 'c.yaml', {}).value).toMatchObject({ kaltura: { joinRoleId: 'KALTURA_DISCORD_JOIN' } });
    for (const bad of ['"a,setrole:1"', '"-1"', 'null-role:x', '"null"']) {
      expect(evaluateConfig(withRole(bad), 'c.yaml', {}).issues.map((i) => i.path), bad).toContain('kaltura.joinRoleId');
    }
    const token = withRole('"12345"').replace(/  adminSecret: .*\n/, '').replace('  serviceUrl:', '  appToken:\n    id: 0_abc\n    token: tokentokentoken\n  serviceUrl:');
    expect(evaluateConfig(token, 'c.yaml', {}).issues).toEqual([expect.objectContaining({ path: 'kaltura.joinRoleId', message: expect.stringMatching(/adminSecret/) })]);
  });

  it('keeps join links short-lived', () => {
    const r = evaluateConfig(commentedConfig().replace('ttl: 5m', 'ttl: 2h'), 'c.yaml', {});
    expect(r.issues).toEqual([expect.objectContaining({ path: 'links.ttl', message: expect.stringMatching(/between 30s and 1h/) })]);
  });
});

describe('loadConfig', () => {
  const tempDir = useTempDirs();

  it('returns a frozen config with defaults, milliseconds and absolute paths', () => {
    const dir = tempDir();
    const file = path.join(dir, 'conf', 'kd.yaml');
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, commentedConfig());
    const config = loadConfig(file, {});
    expect(config.storage.path).toBe(path.join(dir, 'conf', 'data', 'kd.db'));
    expect(config.links.ttl).toBe(300_000);
    expect(config.kaltura.requestTimeout).toBe(30_000);
    expect(config.kaltura.kafUrl).toBe('https://1234567.kaf.kaltura.com');
    expect(config.http).toMatchObject({ host: '127.0.0.1', port: 8080 });
    expect(config.discord.apiBaseUrl).toBe('https://discord.com/api');
    expect(Object.isFrozen(config.kaltura)).toBe(true);
    expect(() => ((config.kaltura as { partnerId: number }).partnerId = 1)).toThrow(TypeError);
  });

  it('explains a missing file', () => {
    expect(() => loadConfig(path.join(tempDir(), 'nope.yaml'), {})).toThrow(/file not found; create it with `kaltura-discord init`/);
  });
});
