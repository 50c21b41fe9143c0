import type { Command } from 'commander';
import type { Config } from '../config/config-types';
import type { CheckResult } from '../core/health-check';
import { createSecretRedactor } from '../logging/redact-secrets';
import { CliError } from './cli-error';
import type { CommandContext } from './command-context';
import { checkChannelPermissions, CHANNELS_CHECK_ID } from './doctor-channels';
import { checkConfig, checkDatabase, checkDiscordToken, checkRegisteredCommands } from './doctor-checks';
import { checkClockSkew } from './doctor-clock';
import { checkInteractionsEndpoint, INTERACTIONS_CHECK_ID } from './doctor-interactions';
import { ACTIVITY_CHECK_IDS, runActivityDoctorChecks } from './doctor-activity';
import { DEEP_OPTION_HELP, runDeepDoctorChecks } from './doctor-deep';
import { checkKaltura } from './doctor-kaltura';
import { createCheckProgress, notVerifiedSummary, unverifiedTitles, type CheckProgress, type StopReason } from './doctor-progress';
import { checkPublicUrl, PUBLIC_URL_CHECK_ID, reconcileWithSelfTest } from './doctor-public-url';
import { runWebhookDoctorChecks } from './doctor-webhooks';
import { parseTimeoutOption, TIMEOUT_OPTION_HELP } from './timeout-option';
import { SELF_TEST_ID } from './webhooks-self-test';
import { secretsOf } from './secrets-of';

const MARK = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' } as const;

/** A check abandoned at its deadline (or by Ctrl-C) is reported, never waited for. */
function stoppedResult(id: string, title: string, what: string): (reason: StopReason, seconds: number) => CheckResult {
  return (reason, seconds) => ({
    id, title, status: 'fail',
    detail: reason === 'timeout' ? `no answer within ${seconds} s from ${what}` : 'not checked: interrupted',
    fix: reason === 'timeout' ? `check that this machine can reach ${what} (firewall, proxy, DNS); raise --timeout on a slow link` : 'run doctor again',
  });
}

const notChecked = (id: string, title: string, because: string, fix: string): CheckResult => ({ id, title, status: 'warn', detail: `not checked: ${because}`, fix });

/**
 * The online checks, in parallel. Each has its own deadline and progress line; a check that
 * needs another (the slash commands need a working token) waits only for that one.
 */
async function runOnlineChecks(config: Config, progress: CheckProgress, timeoutMs: number): Promise<CheckResult[]> {
  const discordApi = config.discord.apiBaseUrl;
  const discord = (async () => {
    const token = await progress.run({ label: 'the Discord bot token', work: () => checkDiscordToken(config, timeoutMs), stopped: stoppedResult('discord.token', 'Discord bot token', discordApi) });
    if (token.status !== 'ok') {
      const fix = 'fix the Discord bot token check first';
      return [token, notChecked('discord.commands', 'Slash commands registered', 'no working bot token', fix), notChecked(CHANNELS_CHECK_ID, 'Bot permissions in notification channels', 'no working bot token', fix)];
    }
    const [commands, channels] = await Promise.all([
      progress.run({ label: 'the slash commands', work: () => checkRegisteredCommands(config, timeoutMs), stopped: stoppedResult('discord.commands', 'Slash commands registered', discordApi) }),
      progress.run({ label: 'the notification channels', work: () => checkChannelPermissions(config, timeoutMs), stopped: stoppedResult(CHANNELS_CHECK_ID, 'Bot permissions in notification channels', discordApi) }),
    ]);
    return [token, commands, channels];
  })();
  const publicUrl = progress.run({ label: 'the public URL', work: () => checkPublicUrl(config, timeoutMs), stopped: stoppedResult(PUBLIC_URL_CHECK_ID, 'Public URL reaches the bot', config.http.publicUrl) });
  // discord.mode http: Discord must reach <publicUrl>/interactions, and it must refuse forged requests.
  const interactions = config.discord.mode === 'http'
    ? progress.run({ label: 'the interactions endpoint', work: () => checkInteractionsEndpoint(config, timeoutMs), stopped: stoppedResult(INTERACTIONS_CHECK_ID, 'Interactions endpoint refuses forged requests', config.http.publicUrl) })
    : undefined;
  const clock = progress.run({ label: 'the clock', work: () => checkClockSkew(config, timeoutMs), stopped: stoppedResult('clock.skew', 'Clock', 'Discord and Kaltura') });
  const kalturaStopped = stoppedResult('kaltura.service-url', 'Kaltura API reachable', config.kaltura.serviceUrl);
  const kaltura = progress.run<readonly CheckResult[]>({
    label: 'Kaltura',
    work: () => checkKaltura(config.kaltura, secretsOf(config), timeoutMs),
    stopped: (reason, seconds) => [kalturaStopped(reason, seconds)],
  });
  const webhooks = config.webhooks.enabled
    ? progress.run<readonly CheckResult[]>({
        label: 'the webhooks',
        // The self-test starts now; only the template check waits for the Kaltura credentials.
        work: () => runWebhookDoctorChecks(config, kaltura, { timeoutMs }),
        stopped: (reason, seconds) => [stoppedResult('webhooks.self-test', 'Webhooks', `Kaltura and ${config.http.publicUrl}`)(reason, seconds)],
      })
    : Promise.resolve([] as readonly CheckResult[]);
  const activity = progress.run<readonly CheckResult[]>({
    label: 'the Watch together Activity',
    work: () => runActivityDoctorChecks(config, { publicUrl, botToken: discord.then((d) => d[0]!) }, timeoutMs),
    stopped: (reason, seconds) => [stoppedResult(ACTIVITY_CHECK_IDS.secret, 'Watch together Activity', `Discord and ${config.http.publicUrl}`)(reason, seconds)],
  });
  const [d, i, p, c, k, w, a] = await Promise.all([discord, interactions, publicUrl, clock, kaltura, webhooks, activity]);
  return [...d, ...(i ? [i] : []), reconcileWithSelfTest(p, w.find((r) => r.id === SELF_TEST_ID)), c, ...a, ...k, ...w];
}

export function registerDoctorCommand(program: Command, ctx: CommandContext): void {
  program
    .command('doctor')
    .description('check the configuration, database, Discord (token, commands, channel permissions), Kaltura, the public URL, the clock and the Watch together Activity (printing its URL mappings); exit non-zero if anything fails')
    .option('--json', 'machine-readable output')
    .option('--timeout <seconds>', TIMEOUT_OPTION_HELP, '10')
    .option('--deep', DEEP_OPTION_HELP)
    .action(async (opts: { json?: boolean; timeout: string; deep?: boolean }) => {
      const { io } = ctx;
      const timeoutMs = parseTimeoutOption(opts.timeout);
      const file = ctx.configPath();
      const { results, config } = checkConfig(file, io.env);
      if (config) {
        results.push(...(await checkDatabase(config, io.env)));
        const progress = createCheckProgress(io.stderr, { timeoutMs });
        try {
          results.push(...(await runOnlineChecks(config, progress, timeoutMs)));
        } finally {
          progress.done();
        }
        if (opts.deep) results.push(...(await runDeepDoctorChecks(config, results, { timeoutMs, progress: io.stderr })));
      }
      const scrub = createSecretRedactor(config ? secretsOf(config) : []);
      const clean = results.map((r) => ({ ...r, detail: scrub(r.detail), ...(r.fix ? { fix: scrub(r.fix) } : {}) }));
      const failed = clean.filter((r) => r.status === 'fail').length;
      const unverified = notVerifiedSummary(clean);
      if (opts.json) {
        io.stdout.write(`${JSON.stringify({ ok: failed === 0, checks: clean, notVerified: unverifiedTitles(clean) }, null, 2)}\n`);
      } else {
        for (const r of clean) printCheck(r, (s) => void io.stdout.write(s));
        const warned = clean.filter((r) => r.status === 'warn').length;
        io.stdout.write(`\n${clean.length} checks: ${clean.length - failed - warned} ok, ${warned} warnings, ${failed} failed\n`);
        if (unverified) io.stdout.write(`${unverified}\n`);
      }
      if (failed > 0) throw new CliError(`${failed} check(s) failed`);
    });
}

function printCheck(r: CheckResult, write: (s: string) => void): void {
  const [first, ...rest] = r.detail.split('\n');
  write(`[${MARK[r.status]}] ${r.title}: ${first}\n`);
  for (const line of rest) write(`         ${line}\n`);
  if (r.fix && r.status !== 'ok') write(`         fix: ${r.fix}\n`);
}
