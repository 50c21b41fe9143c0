import type { Command } from 'commander';
import type { CliIo } from './cli-io';

/** What every subcommand module receives from the program. */
export interface CommandContext {
  readonly io: CliIo;
  /** The resolved `--config` path (global options are parsed before the action runs). */
  readonly configPath: () => string;
}

export type RegisterCommand = (program: Command, ctx: CommandContext) => void;
