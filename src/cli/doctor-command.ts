import type { Command } from 'commander';
import type { CheckResult } from '../core/health-check';
import { createSecretRedactor } from '../logging/redact-secrets';
import { CliError } from './cli-error';
import type { CommandContext } from './command-context';
import { checkChannelPermissions, CHANNELS_CHECK_ID } from './doctor-channels';
import { checkConfig, checkDatabase, checkDiscordToken, checkRegisteredCommands } from './doctor-checks';
import { checkClockSkew } from './doctor-clock';
import { runKalturaDoctorChecks } from './doctor-kaltura';
import { createDoctorProgress } from './doctor-progress';
import { checkPublicUrl, reconcileWithSelfTest } from './doctor-public-url';
import { runWebhookDoctorChecks } from './doctor-webhooks';
import { SELF_TEST_ID } from './webhooks-self-test';
import { secretsOf } from './secrets-of';

const MARK = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' } as const;

export function registerDoctorCommand(program: Command, ctx: CommandContext): void {
  program
    .command('doctor')
    .description('check the configuration, database, Discord (token, commands, channel permissions), Kaltura, the public URL and the clock; exit non-zero if anything fails')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const { io } = ctx;
      const file = ctx.configPath();
      const progress = createDoctorProgress(io.stderr);
      const { results, config } = checkConfig(file, io.env);
      if (config) {
        results.push(...checkDatabase(config, io.env));
        const token = await progress.step('the Discord bot token', () => checkDiscordToken(config));
        results.push(token);
        if (token.status === 'ok') {
          results.push(await progress.step('the slash commands', () => checkRegisteredCommands(config)));
          results.push(await progress.step('the notification channels', () => checkChannelPermissions(config)));
        } else {
          results.push({ id: CHANNELS_CHECK_ID, title: 'Bot permissions in notification channels', status: 'warn', detail: 'not checked: no working bot token', fix: 'fix the Discord bot token check first' });
        }
        const publicUrlAt = results.push(await progress.step('the public URL', () => checkPublicUrl(config))) - 1;
        results.push(await progress.step('the clock', () => checkClockSkew(config)));
        results.push(...(await progress.step('Kaltura', () => runKalturaDoctorChecks(config))));
        if (config.webhooks.enabled) results.push(...(await progress.step('the webhooks', () => runWebhookDoctorChecks(config, results))));
        results[publicUrlAt] = reconcileWithSelfTest(results[publicUrlAt]!, results.find((r) => r.id === SELF_TEST_ID));
      }
      progress.done();
      const scrub = createSecretRedactor(config ? secretsOf(config) : []);
      const clean = results.map((r) => ({ ...r, detail: scrub(r.detail), ...(r.fix ? { fix: scrub(r.fix) } : {}) }));
      const failed = clean.filter((r) => r.status === 'fail').length;
      if (opts.json) {
        io.stdout.write(`${JSON.stringify({ ok: failed === 0, checks: clean }, null, 2)}\n`);
      } else {
        for (const r of clean) printCheck(r, (s) => void io.stdout.write(s));
        const warned = clean.filter((r) => r.status === 'warn').length;
        io.stdout.write(`\n${clean.length} checks: ${clean.length - failed - warned} ok, ${warned} warnings, ${failed} failed\n`);
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
