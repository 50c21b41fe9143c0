import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/cli-io';
import { registerServiceCommand } from '../../../src/cli/service-command';
import { applyInstall, planInstall, type ServiceHost } from '../../../src/cli/service-install';
import { MAX_STARTS_PER_DAY, renderServiceUnit } from '../../../src/systemd/render-unit';
import { commentedConfig, GOOD } from '../../helpers/config-fixtures';
import { runCli } from '../../helpers/run-cli';
import { useTempDirs } from '../../helpers/temp-dir';

const EXAMPLE = path.resolve(__dirname, '../../../examples/kaltura-discord.service');
const SECRETS = [GOOD.token, GOOD.adminSecret, GOOD.linkSecret];

/** `systemd-analyze` if present, else installed from Debian packages; undefined (with the reason) when impossible. */
function ensureSystemdAnalyze(): { ok: true } | { ok: false; reason: string } {
  const has = () => spawnSync('systemd-analyze', ['--version'], { stdio: 'ignore' }).status === 0;
  if (has()) return { ok: true };
  if (process.getuid?.() !== 0) return { ok: false, reason: 'systemd-analyze is missing and installing it needs root' };
  const install = () => spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'systemd'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  if (!install()) {
    spawnSync('apt-get', ['update'], { stdio: 'ignore' });
    if (!install()) return { ok: false, reason: 'apt-get install systemd failed (no network or no apt?)' };
  }
  return has() ? { ok: true } : { ok: false, reason: 'systemd-analyze still missing after installing systemd' };
}

/** A config as an operator keeps it, with the database where the unit lets the service write. */
function writeConfig(dir: string, extra: (t: string) => string = (t) => t): string {
  const file = path.join(dir, 'kaltura-discord.yaml');
  fs.writeFileSync(file, extra(commentedConfig({ storage: '/var/lib/kaltura-discord/kaltura-discord.db' })), { mode: 0o600 });
  return file;
}

function unitOf(stdout: string): string {
  return stdout.slice(stdout.indexOf('# Written by'));
}

describe('kaltura-discord service install --dry-run', () => {
  const tempDir = useTempDirs();
  let analyze: ReturnType<typeof ensureSystemdAnalyze>;
  beforeAll(() => {
    analyze = ensureSystemdAnalyze();
  }, 300_000);

  it('prints a hardened unit (and the commands as comments) that systemd-analyze verify accepts', async () => {
    const cwd = tempDir();
    const config = writeConfig(cwd);
    const r = await runCli(['service', 'install', '--config', config, '--dry-run'], { cwd });
    expect(r.code).toBe(0);
    for (const s of SECRETS) expect(r.stdout + r.stderr).not.toContain(s);
    const unit = unitOf(r.stdout);
    for (const line of [
      'Type=notify', 'NotifyAccess=all', 'User=kaltura-discord', 'ProtectSystem=strict', 'ReadWritePaths=/var/lib/kaltura-discord',
      'NoNewPrivileges=yes', 'PrivateTmp=yes', 'ProtectHome=yes', 'Restart=on-failure', 'RestartPreventExitStatus=78',
      'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX', 'LockPersonality=yes', 'EnvironmentFile=-/etc/kaltura-discord/env',
      'CacheDirectory=kaltura-discord', 'Environment=KALTURA_DISCORD_CACHE_DIR=/var/cache/kaltura-discord',
      // issue 11.9: /proc, IPC, system calls and resource limits
      'ProtectProc=invisible', 'ProcSubset=pid', 'RemoveIPC=yes', 'PrivateIPC=yes', 'SystemCallFilter=~@privileged @resources',
      'SystemCallErrorNumber=EPERM', 'MemoryMax=512M', 'TasksMax=64', 'LimitNOFILE=4096',
      // issue 10.5: a crash loop stops long before Discord's 1,000 IDENTIFYs a day
      'StartLimitIntervalSec=3600', 'StartLimitBurst=10',
    ]) expect(unit.split('\n'), line).toContain(line);
    // the start limit is a [Unit] setting (systemd ignores it under [Service] since v230)
    expect(unit.indexOf('StartLimitBurst=')).toBeLessThan(unit.indexOf('[Service]'));
    expect(MAX_STARTS_PER_DAY).toBeLessThanOrEqual(250);
    expect(unit).not.toMatch(/^MemoryDenyWriteExecute/m);
    // not the single executable here: node and the script that runs, both absolute
    expect(unit).toMatch(new RegExp(`^ExecStart=${process.execPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} /\\S+ --config ${config} serve$`, 'm'));
    // the planned commands, as comments (so the whole output is a unit file)
    expect(r.stdout).toMatch(/^#   install -d -m 700 -o kaltura-discord -g kaltura-discord \/var\/lib\/kaltura-discord$/m);
    expect(r.stdout).toMatch(/^#   systemctl daemon-reload/m);
    expect(r.stdout).toContain('journalctl -u kaltura-discord -f');
    expect(r.stdout).toMatch(/^# PROBLEM: the configuration file .* is in a temporary folder, which PrivateTmp=yes replaces/m);
    for (const line of r.stdout.split('\n').filter((l) => l && !l.startsWith('#'))) expect(line).toMatch(/^(\[\w+\]|[A-Za-z]+=.*)$/);

    if (!analyze.ok) {
      console.warn(`not verifying the unit with systemd-analyze: ${analyze.reason}`);
      return;
    }
    const file = path.join(tempDir(), 'kaltura-discord.service');
    // ExecStart must name an existing executable for verify; the rest is the printed unit, comments and all.
    fs.writeFileSync(file, r.stdout.replace(/^ExecStart=.*$/m, `ExecStart=${process.execPath} --version`));
    const verify = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
    expect(verify.stderr.split('\n').filter((l) => l.includes(path.basename(file)))).toEqual([]);
    expect(verify.status, verify.stderr).toBe(0);
    // the score docs/operations.md reports (1.4 with systemd 252; lower is better, 10 is unprotected)
    const security = spawnSync('systemd-analyze', ['security', '--offline=yes', file], { encoding: 'utf8' });
    const score = Number(/Overall exposure level for .*: (\d+\.\d+)/.exec(security.stdout)?.[1]);
    expect(score, security.stdout + security.stderr).toBeLessThanOrEqual(1.5);
  });

  it('is the unit in examples/kaltura-discord.service (the two stay in sync)', async () => {
    const cwd = tempDir();
    const config = writeConfig(cwd);
    const r = await runCli(['service', 'install', '--config', config, '--dry-run'], { cwd });
    const example = fs.readFileSync(EXAMPLE, 'utf8');
    const exampleExec = /^ExecStart=.*$/m.exec(example)![0];
    expect(unitOf(r.stdout).replace(/^ExecStart=.*$/m, exampleExec)).toBe(example);
    expect(exampleExec).toBe('ExecStart=/opt/kaltura-discord/kaltura-discord --config /etc/kaltura-discord/kaltura-discord.yaml serve');
    expect(renderServiceUnit({ exec: ['/opt/kaltura-discord/kaltura-discord'], configPath: '/etc/kaltura-discord/kaltura-discord.yaml', dataDir: '/var/lib/kaltura-discord', user: 'kaltura-discord', port: 8080 })).toBe(example);
  });

  it('grants CAP_NET_BIND_SERVICE only for a port below 1024, and takes --user', async () => {
    const cwd = tempDir();
    const config = writeConfig(cwd, (t) => t.replace('listen: 127.0.0.1:8080', 'listen: 0.0.0.0:443'));
    const r = await runCli(['service', 'install', '--config', config, '--dry-run', '--user', 'kbot'], { cwd });
    expect(r.stdout).toMatch(/^AmbientCapabilities=CAP_NET_BIND_SERVICE$/m);
    expect(r.stdout).toMatch(/^User=kbot$/m);
    const plain = await runCli(['service', 'install', '--config', writeConfig(tempDir()), '--dry-run'], { cwd });
    expect(plain.stdout).toMatch(/^AmbientCapabilities=$/m);
    expect(plain.stdout).toMatch(/^CapabilityBoundingSet=$/m);
  });

  it('refuses an invalid configuration with exit 78, as serve would', async () => {
    const cwd = tempDir();
    const config = writeConfig(cwd, (t) => t.replace('  ttl: 5m', '  tll: 5m'));
    const r = await runCli(['service', 'install', '--config', config, '--dry-run'], { cwd });
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('unknown key "tll"');
  });
});

describe('kaltura-discord service install (for real)', () => {
  const tempDir = useTempDirs();

  it('refuses clearly without systemd or without root', async () => {
    const hasSystemd = fs.existsSync('/run/systemd/system');
    const root = process.getuid?.() === 0;
    if (hasSystemd && root) {
      console.warn('not testing the refusal: this machine runs systemd and the test runs as root (it would install)');
      return;
    }
    const cwd = tempDir();
    const r = await runCli(['service', 'install', '--config', writeConfig(cwd)], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(hasSystemd ? /needs root: run it with sudo.*or add --dry-run/ : /systemd is not running on this machine .*--dry-run/);
  });

  function fakeHost(dir: string, o: { root?: boolean; systemd?: boolean; user?: boolean } = {}) {
    const ran: string[] = [];
    const host: ServiceHost & { ran: string[] } = {
      ran,
      isRoot: () => o.root ?? true,
      hasSystemd: () => o.systemd ?? true,
      userExists: () => o.user ?? false,
      run: (file, args) => void ran.push([file, ...args].join(' ')),
      writeFile: (file, text, mode) => {
        ran.push(`write ${file} ${mode.toString(8)}`);
        fs.writeFileSync(file, text, { mode });
      },
      readEnvFile: () => `# secrets\nKALTURA_DISCORD_DISCORD__TOKEN="${GOOD.token}"\n`,
      unitPath: path.join(dir, 'kaltura-discord.service'),
    };
    return host;
  }

  async function install(host: ServiceHost, args: string[], configFile: string) {
    let stdout = '';
    const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => true }, env: {}, cwd: '/' } as unknown as CliIo;
    const program = new Command().exitOverride().option('-c, --config <path>');
    registerServiceCommand(program, { io, configPath: () => configFile }, host);
    await program.parseAsync(['service', 'install', ...args], { from: 'user' });
    return stdout;
  }

  it('creates the user, the data folder, writes the unit (mode 644) and then reloads systemd', async () => {
    const dir = tempDir();
    const host = fakeHost(dir);
    // The token lives only in the env file, as the docs recommend: the plan reads it as systemd will.
    const config = writeConfig(dir, (t) => t.replace(/^  token: .*\n/m, ''));
    // Through the command: a config in /tmp is refused (the sandbox hides it), and nothing ran.
    await expect(install(host, [], config)).rejects.toThrow(/temporary folder, which PrivateTmp=yes/);
    expect(host.ran).toEqual([]);
    // The same plan, applied as if the paths were fine: order, mode, reload last.
    const plan = { ...planInstall({ configPath: config, user: 'kaltura-discord', exec: ['/opt/kaltura-discord/kaltura-discord'], host, userMissing: true }), problems: [] };
    applyInstall(plan, host);
    expect(host.ran).toEqual([
      'useradd --system --user-group --no-create-home --home-dir /var/lib/kaltura-discord --shell /usr/sbin/nologin kaltura-discord',
      'install -d -m 700 -o kaltura-discord -g kaltura-discord /var/lib/kaltura-discord',
      `chown root:kaltura-discord ${config}`,
      `chmod 640 ${config}`,
      `write ${host.unitPath} 644`,
      'systemctl daemon-reload',
    ]);
    const unit = fs.readFileSync(host.unitPath, 'utf8');
    expect(fs.statSync(host.unitPath).mode & 0o777).toBe(0o644);
    expect(unit).toContain(`ExecStart=/opt/kaltura-discord/kaltura-discord --config ${config} serve`);
    expect(unit).not.toContain(GOOD.token);
  });

  it('refuses through the fake host too: no systemd, then no root', async () => {
    const dir = tempDir();
    const config = writeConfig(dir);
    await expect(install(fakeHost(dir, { systemd: false }), [], config)).rejects.toThrow(/systemd is not running/);
    await expect(install(fakeHost(dir, { root: false }), [], config)).rejects.toThrow(/needs root/);
    const dry = await install(fakeHost(dir, { root: false, systemd: false, user: true }), ['--dry-run'], config);
    expect(dry).not.toContain('useradd');
    expect(dry).toContain('ExecStart=');
  });
});
