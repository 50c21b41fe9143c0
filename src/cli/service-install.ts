import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config/config-error';
import { evaluateConfig } from '../config/evaluate-config';
import { readConfigText } from '../config/load-config';
import { resolveConfig } from '../config/resolve-config';
import { isSingleExecutable } from '../native/sqlite-binding';
import { ENV_FILE, renderServiceUnit, UNIT_PATH, unitPathProblem } from '../systemd/render-unit';
import { CliError } from './cli-error';

/** What installing touches; tests pass a fake. */
export interface ServiceHost {
  isRoot(): boolean;
  /** systemd is the init system (sd_booted(3): `/run/systemd/system` exists). */
  hasSystemd(): boolean;
  userExists(name: string): boolean;
  /** Runs a command; throws with its stderr when it fails. */
  run(file: string, args: readonly string[]): void;
  writeFile(file: string, text: string, mode: number): void;
  readEnvFile(): string | undefined;
  readonly unitPath: string;
}

export const systemHost: ServiceHost = {
  isRoot: () => process.getuid?.() === 0,
  hasSystemd: () => fs.existsSync('/run/systemd/system'),
  userExists(name) {
    try {
      execFileSync('id', ['-u', name], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  },
  run(file, args) {
    try {
      execFileSync(file, [...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (err) {
      const stderr = String((err as { stderr?: Buffer }).stderr ?? '').trim();
      throw new CliError(`\`${[file, ...args].join(' ')}\` failed: ${stderr || (err as Error).message}`, undefined, { cause: err });
    }
  },
  writeFile(file, text, mode) {
    const tmp = `${file}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, text, { mode });
    fs.chmodSync(tmp, mode); // not narrowed by the umask
    fs.renameSync(tmp, file);
  },
  readEnvFile() {
    try {
      return fs.readFileSync(ENV_FILE, 'utf8');
    } catch {
      return undefined;
    }
  },
  unitPath: UNIT_PATH,
};

export interface InstallPlan {
  readonly unit: string;
  readonly unitPath: string;
  /** Commands in order; `useradd` only when the user is missing. */
  readonly commands: readonly (readonly string[])[];
  /** Why the service could not run this way (printed by --dry-run, refused by install). */
  readonly problems: readonly string[];
}

/** Paths the sandbox hides: ProtectHome=yes and PrivateTmp=yes. */
function hiddenFromService(what: string, p: string): string | undefined {
  if (/^\/(home|root|run\/user)(\/|$)/.test(p)) return `${what} ${p} is under a home folder, which ProtectHome=yes hides from the service; use /etc/kaltura-discord/ for the configuration and /var/lib/kaltura-discord/ for storage.path`;
  if (/^\/(tmp|var\/tmp)(\/|$)/.test(p)) return `${what} ${p} is in a temporary folder, which PrivateTmp=yes replaces for the service; use /etc/kaltura-discord/ for the configuration and /var/lib/kaltura-discord/ for storage.path`;
  return undefined;
}

/** The command that runs this program: the single executable, or node and the bundle. */
export function currentExec(): string[] {
  return isSingleExecutable() ? [process.execPath] : [process.execPath, path.resolve(process.argv[1] ?? '')];
}

/** `KEY=value` lines as systemd's EnvironmentFile= reads them (comments, optional quotes). */
export function parseEnvFile(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m || line.trimStart().startsWith('#')) continue;
    vars[m[1]!] = m[2]!.replace(/^"(.*)"$|^'(.*)'$/, '$1$2');
  }
  return vars;
}

/**
 * Reads the configuration the way the service will see it (the file plus the env file's
 * variables, nothing from this shell) and derives the unit. An invalid configuration is
 * refused here, not at the first start.
 */
export function planInstall(o: { configPath: string; user: string; exec: readonly string[]; host: ServiceHost; userMissing: boolean }): InstallPlan {
  const envText = o.host.readEnvFile();
  const env = envText ? parseEnvFile(envText) : {};
  const evaluated = evaluateConfig(readConfigText(o.configPath), o.configPath, env);
  if (evaluated.issues.length > 0) throw new ConfigError(o.configPath, evaluated.issues);
  const config = resolveConfig(evaluated.value, o.configPath);
  const dataDir = path.dirname(config.storage.path);
  for (const [what, p] of [['the executable', o.exec[0]!], ['the bundle', o.exec[1]], ['the configuration file', o.configPath], ['the data folder (storage.path)', dataDir]] as const) {
    const problem = p === undefined ? undefined : unitPathProblem(p);
    if (problem) throw new CliError(`${what} ${p} ${problem}`);
  }
  if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(o.user)) throw new CliError(`"${o.user}" is not a valid system user name (lower-case letters, digits, - and _)`);
  const problems = [hiddenFromService('the configuration file', o.configPath), hiddenFromService('the data folder (storage.path)', dataDir)].filter((p): p is string => p !== undefined);
  const unit = renderServiceUnit({ exec: o.exec, configPath: o.configPath, dataDir, user: o.user, port: config.http.port });
  const commands: string[][] = [
    ...(o.userMissing ? [['useradd', '--system', '--user-group', '--no-create-home', '--home-dir', dataDir, '--shell', '/usr/sbin/nologin', o.user]] : []),
    ['install', '-d', '-m', '700', '-o', o.user, '-g', o.user, dataDir],
    // The service reads the file through its group but cannot change it (root:<group> 640): a
    // compromised bot cannot rewrite its own configuration. `config set` keeps owner and mode.
    ['chown', `root:${o.user}`, o.configPath],
    ['chmod', '640', o.configPath],
    ['systemctl', 'daemon-reload'],
  ];
  return { unit, unitPath: o.host.unitPath, commands, problems };
}

/** The unit is written before `systemctl daemon-reload`, the last command. */
export function applyInstall(plan: InstallPlan, host: ServiceHost): void {
  const reload = plan.commands.at(-1)!;
  for (const [file, ...args] of plan.commands.slice(0, -1)) host.run(file!, args);
  host.writeFile(plan.unitPath, plan.unit, 0o644);
  host.run(reload[0]!, reload.slice(1));
}

export const NEXT_STEPS = [
  `put secrets in ${ENV_FILE} (chmod 600), e.g. KALTURA_DISCORD_DISCORD__TOKEN=…`,
  'systemctl enable --now kaltura-discord    # start now and at every boot',
  'systemctl status kaltura-discord',
  'journalctl -u kaltura-discord -f          # follow the log',
];
