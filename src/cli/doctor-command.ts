import type { Command } from 'commander';
import type { CheckResult } from '../core/health-check';
import { createSecretRedactor } from '../logging/redact-secrets';
import { CliError } from './cli-error';
import type { CommandContext } from './command-context';
import { checkConfig, checkDatabase, checkDiscordToken, checkRegisteredCommands } from './doctor-checks';
import { runKalturaDoctorChecks } from './doctor-kaltura';
import { runWebhookDoctorChecks } from './doctor-webhooks';
import { secretsOf } from './secrets-of';

const MARK = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' } as const;

export function registerDoctorCommand(program: Command, ctx: CommandContext): void {
  program
    .command('doctor')
    .description('check the configuration, database, Discord and Kaltura; exit non-zero if anything fails')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const { io } = ctx;
      const file = ctx.configPath();
      const { results, config } = checkConfig(file, io.env);
      if (config) {
        results.push(...checkDatabase(config, io.env));
        const token = await checkDiscordToken(config);
        results.push(token);
        if (token.status === 'ok') results.push(await checkRegisteredCommands(config));
        results.push(...(await runKalturaDoctorChecks(config)));
        if (config.webhooks.enabled) results.push(...(await runWebhookDoctorChecks(config, results)));
      }
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
