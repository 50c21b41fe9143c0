import { CommanderError } from 'commander';
import { CliError, EXIT } from '../src/cli/cli-error';
import type { CliIo } from '../src/cli/cli-io';
import { buildProgram } from '../src/cli/build-program';
import { ConfigError, formatConfigIssue } from '../src/config/config-error';
import { UserError } from '../src/core/user-error';
import { createSecretRedactor } from '../src/logging/redact-secrets';
import { StoreError } from '../src/store/store-error';
import { SqliteAddonError } from '../src/native/addon-cache';

/**
 * Runs the CLI and returns the exit code. This is the only place where errors become
 * messages and exit codes: an error the operator can act on prints one clear line (or one
 * line per configuration problem), never a stack; an unexpected one says so, with the stack
 * only when KALTURA_DISCORD_DEBUG=1.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (err) {
    return report(err, io);
  }
}

function report(err: unknown, io: CliIo): number {
  const scrub = createSecretRedactor([]); // shape-based: no KS or token ever reaches the terminal
  const say = (text: string) => io.stderr.write(`${scrub(text)}\n`);
  if (err instanceof CommanderError) {
    // commander has already printed its message (or the help / version text)
    return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (err instanceof ConfigError) {
    if (err.issues.length === 1) say(`error: ${err.message}`);
    else {
      say(`error: invalid configuration, ${err.issues.length} problems:`);
      for (const issue of err.issues) say(`  ${formatConfigIssue(err.file, issue)}`);
    }
    return EXIT.config;
  }
  if (err instanceof CliError) {
    if (err.message !== '') say(`error: ${err.message}`); // empty: nothing to say (Ctrl-C at a prompt)
    return err.exitCode;
  }
  if (err instanceof StoreError || err instanceof UserError || err instanceof SqliteAddonError) {
    say(`error: ${err.message}`);
    return EXIT.failure;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  say(`error: unexpected failure: ${e.message}`);
  if (io.env.KALTURA_DISCORD_DEBUG === '1') say(e.stack ?? '');
  else say('(set KALTURA_DISCORD_DEBUG=1 to print the stack trace, and please report it)');
  return EXIT.software;
}
