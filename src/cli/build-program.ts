import { Command } from 'commander';
import { resolveConfigPath } from '../config/load-config';
import { versionText } from '../version';
import type { CliIo } from './cli-io';
import type { RegisterCommand } from './command-context';
import { registerConfigCommand } from './config-command';
import { registerDbCommand } from './db-command';
import { registerDoctorCommand } from './doctor-command';
import { registerInitCommand } from './init-command';
import { registerRegisterCommandsCommand } from './register-commands-command';
import { registerServeCommand } from './serve-command';
import { registerServiceCommand } from './service-command';
import { registerWebhooksCommand } from './webhooks-command';

/** Every subcommand, in help order. An explicit list: what exists is greppable and bundled. */
const COMMANDS: readonly RegisterCommand[] = [
  registerInitCommand,
  registerServeCommand,
  registerRegisterCommandsCommand,
  registerConfigCommand,
  registerDoctorCommand,
  registerWebhooksCommand,
  registerDbCommand,
  registerServiceCommand,
];

export function buildProgram(io: CliIo): Command {
  const program = new Command('kaltura-discord')
    .description('Kaltura meetings, webinars, classrooms and videos in Discord')
    .version(versionText().trimEnd(), '-V, --version', 'print the version, commit, Node.js version and platform')
    .option('-c, --config <path>', 'configuration file (default: $KALTURA_DISCORD_CONFIG or ./kaltura-discord.yaml)')
    .configureOutput({ writeOut: (s) => void io.stdout.write(s), writeErr: (s) => void io.stderr.write(s) })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  const ctx = { io, configPath: () => resolveConfigPath(program.opts<{ config?: string }>().config, io.env, io.cwd) };
  for (const register of COMMANDS) register(program, ctx);
  program
    .command('version')
    .description('print the version, the commit it was built from, the Node.js version and the platform')
    .action(() => void io.stdout.write(versionText()));
  return program;
}
