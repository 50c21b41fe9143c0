import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { evaluateConfig } from '../config/evaluate-config';
import type { CheckResult } from '../core/health-check';
import { buildInviteUrl } from '../discord/invite-url';
import { createSecretRedactor } from '../logging/redact-secrets';
import { writeFileAtomic } from '../shared/write-file-atomic';
import { CliError, EXIT } from './cli-error';
import type { CommandContext } from './command-context';
import { notVerifiedSummary } from './doctor-progress';
import { collectInitAnswers, requireApplicationId, type InitAnswers, type InitFlags } from './init-answers';
import { runInitChecks } from './init-checks';
import { createTerminalPrompter, type Prompter } from './prompter';
import { renderInitialConfig } from './render-initial-config';
import { parseTimeoutOption, TIMEOUT_OPTION_HELP } from './timeout-option';

const MARK = { ok: '✔', warn: '!', fail: '✖' } as const;

type InitOptions = InitFlags & { nonInteractive?: boolean; offline?: boolean; force?: boolean; timeout: string; inlineSecrets?: boolean };

/** Plain http is fine on loopback (a test, a tunnel); anywhere else join links would travel unencrypted. */
function plainHttpWarning(publicUrl: string): string | undefined {
  if (!publicUrl.startsWith('http://') || /^http:\/\/(localhost|127\.|\[::1\])/.test(publicUrl)) return undefined;
  return 'warning: the public URL uses plain http: join links and Kaltura webhooks would travel unencrypted; put the bot behind an HTTPS reverse proxy (docs/operations.md) and change it with `kaltura-discord config set http.publicUrl https://…`';
}

/**
 * The online checks, skippable with Ctrl-C. Returns the answers (completed with what Discord
 * told); a rejected credential stops a non-interactive run, while an interactive one may keep
 * its answers and write the file anyway.
 */
async function checkOnline(answers: InitAnswers, ctx: CommandContext, prompter: Prompter | undefined, timeoutMs: number, say: (line: string) => void): Promise<InitAnswers> {
  const { io } = ctx;
  const interrupt = new AbortController();
  const listening = new AbortController();
  void io.waitForSignal(['SIGINT'], { until: listening.signal }).then(() => interrupt.abort());
  let outcome;
  try {
    outcome = await runInitChecks(answers, { out: io.stderr, timeoutMs, interrupt: interrupt.signal });
  } finally {
    listening.abort(); // Ctrl-C is an ordinary interrupt again
  }
  const scrub = createSecretRedactor([answers.discordToken, answers.adminSecret, answers.appToken?.token, answers.clientSecret]);
  if (interrupt.signal.aborted) say('Online checks skipped (Ctrl-C); your answers are kept.');
  for (const r of outcome.results) printResult(r, (line) => say(scrub(line)));
  const unverified = notVerifiedSummary(outcome.results);
  if (unverified) say(`${unverified} (run \`kaltura-discord doctor\` later)`);
  if (outcome.blocking.length === 0) return outcome.answers;
  const problem = scrub(outcome.blocking.join('\n'));
  if (!prompter) throw new CliError(problem);
  const keep = await prompter.confirm({ message: 'A credential was rejected. Write the file anyway and fix it later with `kaltura-discord config set`?', default: true });
  if (!keep) throw new CliError(problem);
  return outcome.answers;
}

function printResult(r: CheckResult, say: (line: string) => void): void {
  const [first, ...rest] = r.detail.split('\n');
  say(`${MARK[r.status]} ${r.title}: ${first}`);
  for (const line of rest) say(`    ${line}`);
  if (r.fix && r.status !== 'ok') say(`    fix: ${r.fix}`);
}

export function registerInitCommand(program: Command, ctx: CommandContext): void {
  program
    .command('init')
    .description('create the configuration file: asks for what flags and environment did not give, checks it, writes it (mode 600)')
    .option('--discord-token <token>', 'bot token (or KALTURA_DISCORD_DISCORD__TOKEN)')
    .option('--application-id <id>', 'application id (learned from the token when online)')
    .option('--public-key <hex>', 'application public key (learned from the token when online)')
    .option('--discord-api-base-url <url>', 'Discord REST base, for a REST proxy')
    .option('--client-secret <secret>', 'OAuth2 client secret, to turn on the Watch together Activity; optional (or KALTURA_DISCORD_DISCORD__CLIENT_SECRET)')
    .option('--partner-id <id>', 'Kaltura partner id')
    .option('--admin-secret <secret>', 'Kaltura admin secret (or KALTURA_DISCORD_KALTURA__ADMIN_SECRET)')
    .option('--app-token-id <id>', 'Kaltura app token id, instead of the admin secret')
    .option('--app-token <token>', 'Kaltura app token value (or KALTURA_DISCORD_KALTURA__APP_TOKEN__TOKEN)')
    .option('--app-token-hash-type <type>', 'app token hash type: SHA256 (default), SHA512, SHA1 or MD5 (or KALTURA_DISCORD_KALTURA__APP_TOKEN__HASH_TYPE)')
    .option('--service-url <url>', 'Kaltura API base URL')
    .option('--kaf-url <url>', 'Kaltura KAF base URL (default https://<partnerId>.kaf.kaltura.com)')
    .option('--public-url <url>', 'public HTTPS URL of the bot')
    .option('--listen <host:port>', 'where the HTTP server listens')
    .option('--data-dir <dir>', 'folder for the SQLite database (relative to the config file)')
    .option('--non-interactive', 'never prompt: take everything from flags and environment')
    .option('--offline', 'skip the Discord and Kaltura checks')
    .option('--timeout <seconds>', TIMEOUT_OPTION_HELP, '10')
    .option('--inline-secrets', 'copy secrets given through the environment into the file in clear (default: write ${NAME} references to those variables)')
    .option('-f, --force', 'overwrite an existing configuration file')
    .action(async (flags: InitOptions) => {
      const { io } = ctx;
      const file = ctx.configPath();
      if (fs.existsSync(file) && !flags.force) {
        throw new CliError(`${file} already exists; pass --force to overwrite it, or --config <path> to write elsewhere`);
      }
      const interactive = !flags.nonInteractive;
      if (interactive && !io.stdin.isTTY) {
        throw new CliError('no terminal to ask questions on; pass --non-interactive with flags or environment variables', EXIT.usage);
      }
      const timeoutMs = parseTimeoutOption(flags.timeout);
      const say = (line: string) => void io.stderr.write(`${line}\n`);
      const prompter = interactive ? (io.prompter ?? createTerminalPrompter()) : undefined;
      let answers = await collectInitAnswers(flags, io.env, prompter, { offline: flags.offline ?? false });
      const insecure = plainHttpWarning(answers.publicUrl);
      if (insecure) say(insecure);
      if (!flags.offline) answers = await checkOnline(answers, ctx, prompter, timeoutMs, say);
      answers = await requireApplicationId(answers, prompter);
      if (flags.inlineSecrets) answers = { ...answers, secretRefs: undefined };
      const initial = { ...answers, linkSecret: randomBytes(48).toString('base64url'), metricsToken: randomBytes(24).toString('base64url') };
      const text = renderInitialConfig(initial);
      // ${NAME} references are checked against the environment they came from
      const issues = evaluateConfig(text, file, answers.secretRefs ? io.env : {}).issues;
      if (issues.length > 0) {
        throw new CliError(`the answers do not make a valid configuration: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, EXIT.usage);
      }
      fs.mkdirSync(path.dirname(file), { recursive: true });
      writeFileAtomic(file, text, 0o600);
      const flag = path.resolve(io.cwd, 'kaltura-discord.yaml') === file ? '' : ` --config ${file}`;
      io.stdout.write(
        [
          `Wrote ${file} (mode 600).`,
          '',
          'Invite the bot to your Discord server:',
          `  ${buildInviteUrl(initial.applicationId)}`,
          '',
          ...(answers.secretRefs
            ? [`The file refers to ${Object.values(answers.secretRefs).map((n) => `\${${n}}`).join(', ')}: set ${Object.keys(answers.secretRefs).length > 1 ? 'them' : 'it'} wherever the bot runs (the service's environment file), or rerun with --inline-secrets.`, '']
            : []),
          'Next:',
          `  kaltura-discord${flag} register-commands  # registers /kaltura with Discord (once, and after upgrades)`,
          `  kaltura-discord${flag} webhooks setup     # tells Kaltura to notify the bot (recordings ready…)`,
          `  kaltura-discord${flag} doctor             # checks Discord, Kaltura and the setup`,
          `  kaltura-discord${flag} serve              # runs the bot`,
          '',
        ].join('\n'),
      );
    });
}
