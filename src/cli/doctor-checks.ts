import type { Config } from '../config/config-types';
import { formatConfigIssue } from '../config/config-error';
import { evaluateConfig } from '../config/evaluate-config';
import { readConfigText } from '../config/load-config';
import { resolveConfig } from '../config/resolve-config';
import type { CheckResult } from '../core/health-check';
import type { APIApplicationCommand } from 'discord-api-types/v10';
import { commandDefinitions } from '../discord/commands/kaltura-command';
import { planCommandSync } from '../discord/command-sync';
import { discordHeaders } from '../discord/discord-headers';
import { DiscordCheckError, fetchBotIdentity, interactionsEndpointProblem, publicKeyProblem } from '../discord/fetch-bot-identity';
import { interactionsEndpointUrl } from '../discord/http-interactions/interactions-endpoint';
import { migrations } from '../store/migrations/index';
import type { OutboxStats } from '../core/ports/notification-outbox';
import { configWarnings } from './config-warnings';
import { checkCleanupJobs } from './doctor-cleanup-jobs';
import { inspectStorage, type InspectedStorage } from './inspect-storage';

/** The configuration check; also returns the Config so the other checks can run. */
export function checkConfig(file: string, env: NodeJS.ProcessEnv): { results: CheckResult[]; config?: Config } {
  let text: string;
  try {
    text = readConfigText(file);
  } catch (err) {
    return { results: [{ id: 'config.valid', title: 'Configuration', status: 'fail', detail: (err as Error).message, fix: 'run `kaltura-discord init`, or pass --config <path>' }] };
  }
  const evaluated = evaluateConfig(text, file, env);
  if (evaluated.issues.length > 0) {
    return {
      results: [{
        id: 'config.valid', title: 'Configuration', status: 'fail',
        detail: evaluated.issues.map((i) => formatConfigIssue(file, i)).join('\n'),
        fix: 'correct the keys named above (`kaltura-discord config validate` repeats this list)',
      }],
    };
  }
  const results: CheckResult[] = [{ id: 'config.valid', title: 'Configuration', status: 'ok', detail: `${file} is valid` }];
  const warnings = configWarnings(file, evaluated.value);
  results.push(
    warnings.length === 0
      ? { id: 'config.safety', title: 'Configuration safety', status: 'ok', detail: 'file is private; no plain-http URL beyond this machine; /metrics not open beyond loopback' }
      : { id: 'config.safety', title: 'Configuration safety', status: 'warn', detail: warnings.join('\n'), fix: 'apply the commands above' },
  );
  return { results, config: resolveConfig(evaluated.value, file) };
}

/** The database, and the notification outbox it holds (dead messages are reported here). */
export async function checkDatabase(config: Config, env: NodeJS.ProcessEnv, now = Date.now()): Promise<CheckResult[]> {
  const title = 'Database';
  let inspected: InspectedStorage | undefined;
  try {
    inspected = await inspectStorage(config, env);
  } catch (err) {
    return [{ id: 'database', title, status: 'fail', detail: (err as Error).message, fix: storageFix(config) }];
  }
  if (!inspected) {
    return [{ id: 'database', title, status: 'warn', detail: `${config.storage.path} does not exist yet`, fix: 'it is created by the first `kaltura-discord serve`; check that its folder is writable' }];
  }
  const { where, version, store, sql } = inspected;
  try {
    await inspected.probeWrite();
    if (version > migrations.length) {
      return [{ id: 'database', title, status: 'fail', detail: `${where}: schema ${version} is newer than this release knows (${migrations.length})`, fix: 'run the newer release, or restore a backup made by this one' }];
    }
    if (version < migrations.length) {
      // The repositories expect the current schema: report what the next serve does, nothing more.
      return [{ id: 'database', title, status: 'ok', detail: `${where} is writable; ${migrations.length - version} migration(s) will be applied by the next serve` }];
    }
    const sizes = Object.entries(await store.history.sizes()).map(([table, rows]) => `${table} ${rows}`);
    const size = inspected.fileBytes !== undefined ? `file ${(inspected.fileBytes / 1_048_576).toFixed(1)} MB; ` : '';
    const database: CheckResult = {
      id: 'database',
      title,
      status: 'ok',
      detail: `${where} is writable and at schema ${version}\nrows: ${sizes.join(', ')} (${size}kept per retention.*)`,
    };
    return [database, checkOutbox(await store.outbox.stats(now)), ...(await checkCleanupJobs(sql, now))];
  } catch (err) {
    return [{ id: 'database', title, status: 'fail', detail: `${where}: ${(err as Error).message}`, fix: storageFix(config) }];
  } finally {
    await inspected.close();
  }
}

function storageFix(config: Config): string {
  return config.storage.driver === 'postgres'
    ? 'check storage.url (host, port, database, user and password) and that this machine can reach the PostgreSQL server'
    : `make ${config.storage.path} and its folder readable and writable by the bot's user`;
}

function checkOutbox(stats: OutboxStats): CheckResult {
  const title = 'Notification outbox';
  const pending = stats.pending === 0 ? 'nothing pending' : `${stats.pending} pending (oldest ${Math.round((stats.oldestPendingAgeMs ?? 0) / 1000)} s)`;
  if (stats.dead > 0) {
    return {
      id: 'notifications.outbox', title, status: 'fail',
      detail: `${stats.dead} message(s) could not be delivered and were given up (dead); ${pending}`,
      fix: 'the bot lost access to a channel: give it View Channel, Send Messages, Embed Links and Read Message History there, or route that notification to another channel; the log says which channel (warn "dead")',
    };
  }
  const stuck = (stats.oldestPendingAgeMs ?? 0) > 10 * 60_000;
  return stuck
    ? { id: 'notifications.outbox', title, status: 'warn', detail: pending, fix: 'is `serve` running and connected to Discord? Messages wait while it is stopped or rate-limited' }
    : { id: 'notifications.outbox', title, status: 'ok', detail: pending };
}

export async function checkDiscordToken(config: Config, timeoutMs = 10_000): Promise<CheckResult> {
  const title = 'Discord bot token';
  try {
    const id = await fetchBotIdentity(config.discord.apiBaseUrl, config.discord.token, timeoutMs);
    if (id.application.id !== config.discord.applicationId) {
      return { id: 'discord.token', title, status: 'fail', detail: `the token belongs to application ${id.application.id}, but discord.applicationId is ${config.discord.applicationId}`, fix: 'set discord.applicationId to the token\'s application, or use that application\'s token' };
    }
    const http = config.discord.mode === 'http';
    const portal = (http && publicKeyProblem(id, config.discord.publicKey)) || interactionsEndpointProblem(id, http ? interactionsEndpointUrl(config.http.publicUrl) : undefined);
    if (portal) return { id: 'discord.token', title, status: 'fail', detail: `bot ${id.user.username} of application "${id.application.name}", but ${portal.detail}`, fix: portal.fix };
    return { id: 'discord.token', title, status: 'ok', detail: `bot ${id.user.username} of application "${id.application.name}"` };
  } catch (err) {
    if (!(err instanceof DiscordCheckError)) throw err;
    const fix = err.kind === 'rejected' ? 'reset the token in the Developer Portal and run `kaltura-discord config set discord.token -`' : `check that this machine can reach ${config.discord.apiBaseUrl} (firewall, proxy, DNS)`;
    return { id: 'discord.token', title, status: 'fail', detail: err.message, fix };
  }
}

/** Are the global slash commands the ones this release defines? (`register-commands` fixes it.) */
export async function checkRegisteredCommands(config: Config, timeoutMs = 10_000): Promise<CheckResult> {
  const title = 'Slash commands registered';
  const url = `${config.discord.apiBaseUrl}/v10/applications/${config.discord.applicationId}/commands`;
  try {
    const res = await fetch(url, { headers: discordHeaders(config.discord.token), signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return { id: 'discord.commands', title, status: 'fail', detail: `Discord answered HTTP ${res.status} when listing the commands`, fix: 'fix the Discord bot token check first' };
    const plan = planCommandSync(commandDefinitions, (await res.json()) as APIApplicationCommand[]);
    if (!plan.needsWrite) return { id: 'discord.commands', title, status: 'ok', detail: `${plan.unchanged.join(', ')} up to date` };
    const what = [...plan.added.map((n) => `${n} missing`), ...plan.changed.map((c) => `${c.name} outdated`), ...plan.removed.map((n) => `${n} no longer defined`)];
    return { id: 'discord.commands', title, status: 'fail', detail: what.join(', '), fix: 'run `kaltura-discord register-commands` (add --dry-run to see the changes first)' };
  } catch (err) {
    return { id: 'discord.commands', title, status: 'fail', detail: `could not list the commands: ${(err as Error).message}`, fix: `check that this machine can reach ${config.discord.apiBaseUrl}` };
  }
}
