import fs from 'node:fs';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { ConfigError, formatConfigIssue, type ConfigIssue } from '../config/config-error';
import { listConfigKeys, type ConfigKey } from '../config/config-keys';
import { coerceConfigValue, findConfigKey, setConfigValueInText, unsetConfigValueInText } from '../config/edit-config';
import { evaluateConfig, getIn } from '../config/evaluate-config';
import { readConfigText } from '../config/load-config';
import { writeFileAtomic } from '../shared/write-file-atomic';
import { CliError, EXIT } from './cli-error';
import { readAll } from './cli-io';
import type { CommandContext } from './command-context';
import { configWarnings } from './config-warnings';
import { guildGet, guildList, guildSet, guildUnset } from './guild-settings-cli';

export const MASK = '********';


function show(value: unknown, secret: boolean, showSecrets: boolean): string {
  if (value === undefined) return '(not set)';
  if (secret && !showSecrets) return MASK;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function maskSection(value: unknown, prefix: string, showSecrets: boolean): unknown {
  if (showSecrets || value === null || typeof value !== 'object' || Array.isArray(value)) return value; // a list stays a list
  const secretPaths = new Set(listConfigKeys().filter((k) => k.secret).map((k) => k.path));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => {
      const path = prefix ? `${prefix}.${k}` : k;
      return [k, secretPaths.has(path) && v !== undefined ? MASK : maskSection(v, path, showSecrets)];
    }),
  );
}

const issueKey = (i: ConfigIssue) => `${i.path}\u0000${i.envVar ?? ''}\u0000${i.message}`;

export function registerConfigCommand(program: Command, ctx: CommandContext): void {
  const { io } = ctx;
  const out = (line: string): void => void io.stdout.write(`${line}\n`);
  const config = program.command('config').description('read, change and check the configuration file');

  config
    .command('path')
    .description('print the path of the configuration file in use')
    .action(() => out(ctx.configPath()));

  config
    .command('validate')
    .description('check the file (and environment overrides); exit non-zero on any problem')
    .action(() => {
      const file = ctx.configPath();
      const evaluated = evaluateConfig(readConfigText(file), file, io.env);
      if (evaluated.issues.length > 0) throw new ConfigError(file, evaluated.issues);
      for (const w of configWarnings(file, evaluated.value)) io.stderr.write(`warning: ${w}\n`);
      out(`ok: ${file} is valid`);
    });

  config
    .command('get <key>')
    .description('print the effective value of a key or section (secrets masked)')
    .option('--show-secrets', 'print secret values in clear')
    .option('--guild <id>', "one Discord server's effective setting (a `defaults` key without the prefix)")
    .action(async (path: string, opts: { showSecrets?: boolean; guild?: string }) => {
      if (opts.guild !== undefined) return guildGet(ctx, opts.guild, path);
      const file = ctx.configPath();
      const evaluated = evaluateConfig(readConfigText(file), file, io.env);
      const segments = path.split('.');
      const found = findConfigKey(path);
      if ('key' in found) return out(show(getIn(evaluated.value, segments), found.key.secret, opts.showSecrets ?? false));
      const section = getIn(evaluated.value, segments);
      if (section === undefined || typeof section !== 'object') throw new CliError(found.error, EXIT.usage);
      io.stdout.write(stringify(maskSection(section, path, opts.showSecrets ?? false)));
    });

  config
    .command('list')
    .description('print every key with its effective value and where it comes from')
    .option('--show-secrets', 'print secret values in clear')
    .option('--json', 'machine-readable output')
    .option('--guild <id>', "one Discord server's settings: server values over the `defaults`")
    .action(async (opts: { showSecrets?: boolean; json?: boolean; guild?: string }) => {
      if (opts.guild !== undefined) return guildList(ctx, opts.guild, opts);
      const file = ctx.configPath();
      const evaluated = evaluateConfig(readConfigText(file), file, io.env);
      const rows = listConfigKeys().map((k) => {
        const v = getIn(evaluated.value, k.segments);
        return { key: k.path, value: v === undefined ? undefined : k.secret && !opts.showSecrets ? MASK : v, source: evaluated.sources.get(k.path) ?? 'unset', env: k.envVar };
      });
      if (opts.json) return out(JSON.stringify({ file, keys: rows, issues: evaluated.issues }, null, 2));
      const width = Math.max(...rows.map((r) => r.key.length));
      for (const r of rows) out(`${r.key.padEnd(width)}  ${show(r.value, false, true)}${r.source === 'unset' ? '' : `  (${r.source === 'env' ? r.env : r.source})`}`);
      for (const issue of evaluated.issues) io.stderr.write(`warning: ${formatConfigIssue(file, issue)}\n`);
    });

  /** What a refused value looks like in a message: quoted, or hidden for a secret. */
  const shown = (value: unknown, secret: boolean) => (secret ? '(hidden)' : typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value));

  /**
   * A change that would make the configuration invalid is refused as a bad value (exit 2, the
   * value and the rule), the same way for every key; the file is untouched.
   */
  const refuse = (key: ConfigKey, value: unknown, issues: readonly ConfigIssue[]): CliError => {
    const rules = issues.map((i) => {
      const item = i.path.startsWith(`${key.path}.`) && Array.isArray(value) ? value[Number(i.path.slice(key.path.length + 1))] : undefined;
      const own = i.path === key.path || item !== undefined;
      return `${item !== undefined ? `${shown(item, key.secret)} ` : ''}${own ? '' : `${i.path}: `}${i.message}`;
    });
    return value === undefined
      ? new CliError(`cannot unset ${key.path}: ${rules.join('; ')}`, EXIT.usage)
      : new CliError(`invalid value ${shown(value, key.secret)} for ${key.path}: ${rules.join('; ')}`, EXIT.usage);
  };

  const edit = async (path: string, change: (text: string, segments: string[]) => string, value?: unknown) => {
    const file = ctx.configPath();
    const found = findConfigKey(path);
    if ('error' in found) throw new CliError(found.error, EXIT.usage);
    const before = readConfigText(file);
    const stat = fs.statSync(file);
    let after: string;
    try {
      after = change(before, [...found.key.segments]);
    } catch (err) {
      throw new CliError(`${file}: ${(err as Error).message}`, EXIT.config, { cause: err });
    }
    const old = new Set(evaluateConfig(before, file, io.env).issues.map(issueKey));
    const introduced = evaluateConfig(after, file, io.env).issues.filter((i) => !old.has(issueKey(i)));
    if (introduced.length > 0) throw refuse(found.key, value, introduced); // the file is untouched
    // Owner and mode stay as they were (`service install` makes it root:<service group> 640, so
    // the service can read it): only the owner's read/write and the group's read are kept.
    writeFileAtomic(file, after, (stat.mode & 0o640) | 0o600);
    if (process.getuid?.() === 0 && (stat.uid !== 0 || stat.gid !== 0)) fs.chownSync(file, stat.uid, stat.gid);
    if (io.env[found.key.envVar]) io.stderr.write(`note: ${found.key.envVar} is set in this environment and overrides the file\n`);
    return found.key;
  };

  config
    .command('set <key> <value>')
    .description('change one value, keeping comments and order; "-" reads the value from standard input')
    .option('--guild <id>', "set one Discord server's setting in the database instead (validated and audited)")
    .action(async (path: string, text: string, opts: { guild?: string }) => {
      if (opts.guild !== undefined) return guildSet(ctx, opts.guild, path, text);
      const found = findConfigKey(path);
      if ('error' in found) throw new CliError(found.error, EXIT.usage);
      const raw = text === '-' ? (await readAll(io.stdin)).replace(/\r?\n$/, '') : text;
      const coerced = coerceConfigValue(found.key, raw);
      if ('error' in coerced) throw new CliError(`invalid value ${shown(raw, found.key.secret)} for ${found.key.path}: ${coerced.error}`, EXIT.usage);
      const key = await edit(path, (t, segments) => setConfigValueInText(t, segments, coerced.value), coerced.value);
      out(`set ${key.path} = ${show(coerced.value, key.secret, false)}`);
    });

  config
    .command('unset <key>')
    .description('remove one value (its default, if any, applies again)')
    .option('--guild <id>', 'remove one Discord server\'s setting ("all": every one) so the `defaults` apply')
    .action(async (path: string, opts: { guild?: string }) => {
      if (opts.guild !== undefined) return guildUnset(ctx, opts.guild, path);
      const key = await edit(path, (t, segments) => unsetConfigValueInText(t, segments));
      out(`unset ${key.path}`);
    });

}
