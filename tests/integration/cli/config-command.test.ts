import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commentedConfig, GOOD } from '../../helpers/config-fixtures';
import { runCli } from '../../helpers/run-cli';
import { useTempDirs } from '../../helpers/temp-dir';

describe('kaltura-discord config', () => {
  const tempDir = useTempDirs();
  function setup(text = commentedConfig()) {
    const cwd = tempDir();
    const file = path.join(cwd, 'kaltura-discord.yaml');
    fs.writeFileSync(file, text, { mode: 0o600 });
    return { cwd, file };
  }

  it('set changes only the value: comments, order and the rest of the file survive, mode stays 0600', async () => {
    const { cwd, file } = setup();
    const before = fs.readFileSync(file, 'utf8');
    const r = await runCli(['config', 'set', 'kaltura.partnerId', '7654321'], { cwd });
    expect(r).toMatchObject({ code: 0, stdout: 'set kaltura.partnerId = 7654321\n' });
    const after = fs.readFileSync(file, 'utf8');
    const changed = after.split('\n').filter((line, i) => line !== before.split('\n')[i]);
    expect(changed).toEqual(['  partnerId: 7654321    # our partner']);
    expect(after.split('\n')).toHaveLength(before.split('\n').length);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('set adds a missing key inside its section and keeps numbers-as-text quoted', async () => {
    const { cwd, file } = setup();
    expect((await runCli(['config', 'set', 'kaltura.kafUrl', 'https://kaf.example.org'], { cwd })).code).toBe(0);
    expect((await runCli(['config', 'set', 'discord.applicationId', '1200000000000000002'], { cwd })).code).toBe(0);
    const after = fs.readFileSync(file, 'utf8');
    expect(after).toContain('applicationId: "1200000000000000002"');
    expect(after).toMatch(/serviceUrl: https:\/\/www\.kaltura\.com\n  kafUrl: https:\/\/kaf\.example\.org\n/);
    expect((await runCli(['config', 'get', 'kaltura.kafUrl'], { cwd })).stdout).toBe('https://kaf.example.org\n');
    expect((await runCli(['config', 'validate'], { cwd })).code).toBe(0);
  });

  it('sets a list from comma-separated ids, in place of the list already there', async () => {
    const { cwd, file } = setup(`${commentedConfig()}defaults:\n  roles:\n    moderatorRoleIds: []   # mods\n`);
    const r = await runCli(['config', 'set', 'defaults.roles.moderatorRoleIds', '1200000000000000001,1200000000000000002'], { cwd });
    expect(r.code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toContain('    moderatorRoleIds: ["1200000000000000001","1200000000000000002"]   # mods\n');
    expect((await runCli(['config', 'get', 'defaults.roles.moderatorRoleIds'], { cwd })).stdout).toBe('["1200000000000000001","1200000000000000002"]\n');
    const bad = await runCli(['config', 'set', 'defaults.roles.moderatorRoleIds', 'moderators'], { cwd });
    expect(bad).toMatchObject({ code: 2, stderr: 'error: invalid value ["moderators"] for defaults.roles.moderatorRoleIds: "moderators" must be a Discord role id (17 to 20 digits)\n' });
  });

  it('replaces a block list that another key follows, and prints lists as lists', async () => {
    const { cwd, file } = setup(`${commentedConfig()}defaults:\n  roles:\n    moderatorRoleIds:\n      - "1200000000000000001"\n  permissions:\n    starterRoleIds: []\n    startMeetings: everyone\n`);
    const r = await runCli(['config', 'set', 'defaults.roles.moderatorRoleIds', '1200000000000000002,1200000000000000003'], { cwd });
    expect(r.code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toContain('    moderatorRoleIds: ["1200000000000000002","1200000000000000003"]\n  permissions:\n');
    expect((await runCli(['config', 'validate'], { cwd })).code).toBe(0);
    const section = await runCli(['config', 'get', 'defaults.permissions'], { cwd });
    expect(section.stdout).toBe('starterRoleIds: []\nstartMeetings: everyone\n');
    const roles = await runCli(['config', 'get', 'defaults.roles'], { cwd });
    expect(roles.stdout).toBe('moderatorRoleIds:\n  - "1200000000000000002"\n  - "1200000000000000003"\n');
  });

  it('reports a bad value the same way for every key: exit 2, the value and the rule, nothing written', async () => {
    const { cwd, file } = setup();
    const before = fs.readFileSync(file, 'utf8');
    const cases: [string, string, string][] = [
      ['kaltura.partnerId', 'abc', 'error: invalid value "abc" for kaltura.partnerId: must be a whole number\n'],
      ['defaults.meetings.record', 'maybe', 'error: invalid value "maybe" for defaults.meetings.record: must be true or false (or yes/no, on/off)\n'],
      ['logging.level', 'loud', 'error: invalid value "loud" for logging.level: must be one of: fatal, error, warn, info, debug, trace, silent\n'],
      ['http.publicUrl', 'ftp://x', 'error: invalid value "ftp://x" for http.publicUrl: must be an http(s) URL such as https://bot.example.org\n'],
      ['defaults.meetings.durationMinutes', '0', 'error: invalid value 0 for defaults.meetings.durationMinutes: '],
      ['discord.token', 'Bot abc', 'error: invalid value (hidden) for discord.token: must be a bot token'],
    ];
    for (const [key, value, message] of cases) {
      const r = await runCli(['config', 'set', key, value], { cwd });
      expect(r.code, key).toBe(2);
      expect(r.stderr.startsWith(message), `${key}: ${r.stderr}`).toBe(true);
      expect(r.stderr).not.toContain('Bot abc');
    }
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
  });

  it('refuses an invalid value with a clear message and leaves the file byte-for-byte untouched', async () => {
    const { cwd, file } = setup();
    const before = fs.readFileSync(file);
    const mtime = fs.statSync(file).mtimeMs;
    const wrongType = await runCli(['config', 'set', 'kaltura.partnerId', 'abc'], { cwd });
    expect(wrongType).toMatchObject({ code: 2, stderr: 'error: invalid value "abc" for kaltura.partnerId: must be a whole number\n' });
    const outOfRange = await runCli(['config', 'set', 'links.ttl', '3h'], { cwd });
    expect(outOfRange).toMatchObject({ code: 2, stderr: expect.stringMatching(/^error: invalid value "3h" for links\.ttl: must be between 30s and 1h\b/) });
    const unknown = await runCli(['config', 'set', 'links.tll', '3m'], { cwd });
    expect(unknown).toMatchObject({ code: 2, stderr: 'error: unknown key "links.tll"; did you mean "links.ttl"?\n' });
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.statSync(file).mtimeMs).toBe(mtime);
    expect(fs.readdirSync(cwd)).toEqual(['kaltura-discord.yaml']); // no temp files left behind
  });

  it('reads a secret from standard input and never echoes it', async () => {
    const { cwd, file } = setup();
    const newToken = 'MTIwMDAwMDAwMDAwMDAwMDAwMg.AbCdEf.zyxwvutsrqponmlkjihgfedcba9876';
    const r = await runCli(['config', 'set', 'discord.token', '-'], { cwd, stdin: `${newToken}\n` });
    expect(r).toMatchObject({ code: 0, stdout: 'set discord.token = ********\n' });
    expect(fs.readFileSync(file, 'utf8')).toContain(`token: ${newToken}   # from the portal`);
  });

  it('get and list mask secrets unless --show-secrets, and list says where each value comes from', async () => {
    const { cwd } = setup();
    const env = { KALTURA_DISCORD_LOGGING__LEVEL: 'debug' };
    expect((await runCli(['config', 'get', 'kaltura.adminSecret'], { cwd })).stdout).toBe('********\n');
    expect((await runCli(['config', 'get', 'kaltura.adminSecret', '--show-secrets'], { cwd })).stdout).toBe(`${GOOD.adminSecret}\n`);
    const section = await runCli(['config', 'get', 'discord'], { cwd });
    expect(section.stdout).not.toContain(GOOD.token);
    expect(section.stdout).toContain('applicationId: "1100000000000000001"');
    const list = await runCli(['config', 'list'], { cwd, env });
    expect(list.code).toBe(0);
    for (const secret of [GOOD.token, GOOD.adminSecret, GOOD.linkSecret]) expect(list.stdout).not.toContain(secret);
    expect(list.stdout).toMatch(/^logging\.level +debug +\(KALTURA_DISCORD_LOGGING__LEVEL\)$/m);
    expect(list.stdout).toMatch(/^kaltura\.search +auto +\(default\)$/m);
    expect(list.stdout).toMatch(/^kaltura\.partnerId +1234567 +\(file\)$/m);
    const json = JSON.parse((await runCli(['config', 'list', '--json'], { cwd })).stdout);
    expect(json.keys.find((k: { key: string }) => k.key === 'links.secret').value).toBe('********');
  });

  it('unset removes a key so its default applies again', async () => {
    const { cwd, file } = setup();
    expect((await runCli(['config', 'unset', 'links.ttl'], { cwd })).code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).not.toContain('ttl:');
    expect((await runCli(['config', 'get', 'links.ttl'], { cwd })).stdout).toBe('5m\n');
    const required = await runCli(['config', 'unset', 'http.publicUrl'], { cwd });
    expect(required.code).toBe(2);
    expect(required.stderr).toMatch(/^error: cannot unset http\.publicUrl: /);
    expect(fs.readFileSync(file, 'utf8')).toContain('publicUrl:');
  });

  it('validate lists every problem and exits non-zero; path prints the resolved file', async () => {
    const { cwd, file } = setup(commentedConfig().replace('  ttl: 5m', '  tll: 5m').replace('partnerId: 1234567', 'partnerId: x'));
    const r = await runCli(['config', 'validate'], { cwd });
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('error: invalid configuration, 2 problems:');
    expect(r.stderr).toMatch(/kaltura-discord\.yaml:\d+:3: links\.tll: unknown key "tll"; did you mean "ttl"\?/);
    expect(r.stderr).toMatch(/kaltura\.partnerId: must be an integer/);
    expect((await runCli(['config', 'path'], { cwd })).stdout).toBe(`${file}\n`);
    expect((await runCli(['--config', 'other.yaml', 'config', 'path'], { cwd })).stdout).toBe(`${path.join(cwd, 'other.yaml')}\n`);
    expect((await runCli(['config', 'path'], { cwd, env: { KALTURA_DISCORD_CONFIG: '/etc/kd.yaml' } })).stdout).toBe('/etc/kd.yaml\n');
  });

  it('validate warns about a file other users can read', async () => {
    const { cwd, file } = setup();
    fs.chmodSync(file, 0o644);
    const r = await runCli(['config', 'validate'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`warning: ${file} is readable by other users (mode 644); run: chmod 600 ${file}`);
  });
});

describe('kaltura-discord config set on a service installation', () => {
  const tempDir = useTempDirs();
  it.runIf(process.getuid?.() === 0)('keeps the root:<group> 640 that service install gave the file, so the service can still read it', async () => {
    const cwd = tempDir();
    const file = path.join(cwd, 'kaltura-discord.yaml');
    fs.writeFileSync(file, commentedConfig(), { mode: 0o640 });
    fs.chmodSync(file, 0o640);
    fs.chownSync(file, 0, 65534);
    const r = await runCli(['config', 'set', 'links.ttl', '10m'], { cwd });
    expect(r.code).toBe(0);
    const st = fs.statSync(file);
    expect({ mode: st.mode & 0o777, uid: st.uid, gid: st.gid }).toEqual({ mode: 0o640, uid: 0, gid: 65534 });
    expect((await runCli(['config', 'validate'], { cwd })).stderr).not.toContain('readable by other users');
  });
});
