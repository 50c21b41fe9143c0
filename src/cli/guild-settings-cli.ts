import os from 'node:os';
import { loadConfig } from '../config/load-config';
import { createGuildSettings, type GuildSettings, type SettingView } from '../core/settings/create-guild-settings';
import { findSettingKey, parseSettingText } from '../core/settings/setting-keys';
import { UserError } from '../core/user-error';
import { createLogger } from '../logging/create-logger';
import { loadSqliteBinding } from '../native/sqlite-binding';
import { openStore } from '../store/open-store';
import { CliError, EXIT } from './cli-error';
import { readAll } from './cli-io';
import { secretsOf } from './secrets-of';
import type { CommandContext } from './command-context';

/**
 * `config get|set|unset|list --guild <id>`: one server's settings in the configured database
 * (`storage.*`), with the validation and audit trail the Discord command uses. Safe while `serve`
 * runs: on SQLite (WAL) the running bot sees the file change and drops its cached policy; on
 * PostgreSQL the change is announced to every instance (NOTIFY) after it is committed.
 */

/** Who the audit trail names for a change made here. */
export function cliActor(env: NodeJS.ProcessEnv): string {
  let user: string | undefined;
  try {
    user = os.userInfo().username;
  } catch {
    user = env.USER ?? env.LOGNAME; // no passwd entry (some containers)
  }
  return `cli:${user || 'unknown'}`;
}

function checkGuildId(guildId: string): string {
  if (!/^[0-9]{17,20}$/.test(guildId)) throw new CliError(`--guild must be a Discord server id (17 to 20 digits), not "${guildId}"`, EXIT.usage);
  return guildId;
}

async function withSettings<T>(ctx: CommandContext, run: (settings: GuildSettings) => T | Promise<T>): Promise<T> {
  const file = ctx.configPath();
  const config = loadConfig(file, ctx.io.env);
  // warn: a change that could not be announced to running instances is worth a line; secrets scrubbed.
  const logger = createLogger({ level: 'warn', secrets: secretsOf(config), destination: ctx.io.stderr });
  const opened = await openStore(config.storage, { logger, instanceId: `cli-${process.pid}`, sqliteBinding: loadSqliteBinding(ctx.io.env) });
  const settings = createGuildSettings({ store: opened.store, defaults: config.defaults, clock: { now: () => Date.now() }, changes: opened.changes, logger });
  try {
    return await run(settings);
  } catch (err) {
    if (err instanceof UserError) throw new CliError(err.message, EXIT.usage, { cause: err });
    throw err;
  } finally {
    settings.close();
    await opened.close();
  }
}

const show = (value: unknown) => (value === undefined ? '(not set)' : typeof value === 'string' ? value : JSON.stringify(value));

export async function guildGet(ctx: CommandContext, guildId: string, key: string): Promise<void> {
  checkGuildId(guildId);
  const view = await withSettings(ctx, (s) => s.get(guildId, key));
  ctx.io.stdout.write(`${show(view.value)}\n`);
}

export async function guildList(ctx: CommandContext, guildId: string, opts: { json?: boolean }): Promise<void> {
  checkGuildId(guildId);
  const views: SettingView[] = await withSettings(ctx, (s) => s.view(guildId));
  const out = (line: string) => void ctx.io.stdout.write(`${line}\n`);
  if (opts.json) return out(JSON.stringify({ guild: guildId, keys: views }, null, 2));
  const width = Math.max(...views.map((v) => v.key.length));
  for (const v of views) out(`${v.key.padEnd(width)}  ${show(v.value)}  (${v.source === 'server' ? `server, by ${v.updatedBy} ${new Date(v.updatedAt!).toISOString()}` : 'default'})`);
}

export async function guildSet(ctx: CommandContext, guildId: string, key: string, text: string): Promise<void> {
  checkGuildId(guildId);
  const raw = text === '-' ? (await readAll(ctx.io.stdin)).replace(/\r?\n$/, '') : text;
  const line = await withSettings(ctx, async (s) => {
    const found = findSettingKey(key);
    const value = parseSettingText(found, raw);
    const change = await s.set(guildId, found.path, value, cliActor(ctx.io.env));
    return change ? `set ${found.path} = ${show(value)} for guild ${guildId}` : `${found.path} is already ${show(value)} for guild ${guildId}; nothing changed`;
  });
  ctx.io.stdout.write(`${line}\n`);
}

export async function guildUnset(ctx: CommandContext, guildId: string, key: string): Promise<void> {
  checkGuildId(guildId);
  const lines = await withSettings(ctx, async (s) => {
    const changes = await s.reset(guildId, key, cliActor(ctx.io.env));
    if (changes.length === 0) return [`${key === 'all' ? 'no setting' : findSettingKey(key).path} was set for guild ${guildId}; nothing changed`];
    const views = await s.view(guildId);
    return changes.map((c) => `unset ${c.key} for guild ${guildId} (the default applies: ${show(views.find((v) => v.key === c.key)?.value)})`);
  });
  for (const l of lines) ctx.io.stdout.write(`${l}\n`);
}
