import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { evaluateConfig } from '../config/evaluate-config';
import { buildInviteUrl } from '../discord/invite-url';
import { writeFileAtomic } from '../shared/write-file-atomic';
import { CliError, EXIT } from './cli-error';
import type { CommandContext } from './command-context';
import { collectInitAnswers, requireApplicationId, type InitFlags } from './init-answers';
import { runInitChecks } from './init-checks';
import { createTerminalPrompter } from './prompter';
import { renderInitialConfig } from './render-initial-config';

export function registerInitCommand(program: Command, ctx: CommandContext): void {
  program
    .command('init')
    .description('create the configuration file: asks for what flags and environment did not give, checks it, writes it (mode 600)')
    .option('--discord-token <token>', 'bot token (or KALTURA_DISCORD_DISCORD__TOKEN)')
    .option('--application-id <id>', 'application id (learned from the token when online)')
    .option('--public-key <hex>', 'application public key (learned from the token when online)')
    .option('--discord-api-base-url <url>', 'Discord REST base, for a REST proxy')
    .option('--partner-id <id>', 'Kaltura partner id')
    .option('--admin-secret <secret>', 'Kaltura admin secret (or KALTURA_DISCORD_KALTURA__ADMIN_SECRET)')
    .option('--app-token-id <id>', 'Kaltura app token id, instead of the admin secret')
    .option('--app-token <token>', 'Kaltura app token value (or KALTURA_DISCORD_KALTURA__APP_TOKEN__TOKEN)')
    .option('--app-token-hash-type <type>', 'app token hash type: MD5, SHA1, SHA256 or SHA512', 'SHA256')
    .option('--service-url <url>', 'Kaltura API base URL')
    .option('--kaf-url <url>', 'Kaltura KAF base URL (default https://<partnerId>.kaf.kaltura.com)')
    .option('--public-url <url>', 'public HTTPS URL of the bot')
    .option('--listen <host:port>', 'where the HTTP server listens')
    .option('--data-dir <dir>', 'folder for the SQLite database (relative to the config file)')
    .option('--non-interactive', 'never prompt: take everything from flags and environment')
    .option('--offline', 'skip the Discord and Kaltura checks')
    .option('-f, --force', 'overwrite an existing configuration file')
    .action(async (flags: InitFlags & { nonInteractive?: boolean; offline?: boolean; force?: boolean }) => {
      const { io } = ctx;
      const file = ctx.configPath();
      if (fs.existsSync(file) && !flags.force) {
        throw new CliError(`${file} already exists; pass --force to overwrite it, or --config <path> to write elsewhere`);
      }
      const interactive = !flags.nonInteractive;
      if (interactive && !io.stdin.isTTY) {
        throw new CliError('no terminal to ask questions on; pass --non-interactive with flags or environment variables', EXIT.usage);
      }
      const say = (line: string) => void io.stderr.write(`${line}\n`);
      const prompter = interactive ? (io.prompter ?? createTerminalPrompter()) : undefined;
      let answers = await collectInitAnswers(flags, io.env, prompter, { offline: flags.offline ?? false });
      if (!flags.offline) answers = await runInitChecks(answers, { io, prompter, say });
      answers = await requireApplicationId(answers, prompter);
      const initial = { ...answers, linkSecret: randomBytes(48).toString('base64url') };
      const text = renderInitialConfig(initial);
      const issues = evaluateConfig(text, file, {}).issues;
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
          'Next:',
          `  kaltura-discord${flag} doctor    # check Discord, Kaltura and the setup`,
          `  kaltura-discord${flag} serve     # run the bot`,
          '',
        ].join('\n'),
      );
    });
}
