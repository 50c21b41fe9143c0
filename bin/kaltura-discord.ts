#!/usr/bin/env node
import { EXIT } from '../src/cli/cli-error';
import { createProcessIo } from '../src/cli/cli-io';
import { createSecretRedactor } from '../src/logging/redact-secrets';
import { installCrashHandlers } from '../src/logging/crash-handlers';
import { main } from './main';

const io = createProcessIo();
// A fallback for every command: `serve` installs its own, which logs through its logger and checkpoints.
installCrashHandlers(process, {
  fallback: true,
  exitCode: EXIT.crashed,
  exit: (code) => process.exit(code),
  report: (summary, err) => {
    const scrub = createSecretRedactor([]);
    io.stderr.write(`error: ${scrub(summary)}\n`);
    if (io.env.KALTURA_DISCORD_DEBUG === '1') io.stderr.write(`${scrub(err.stack ?? '')}\n`);
    else io.stderr.write('(set KALTURA_DISCORD_DEBUG=1 to print the stack trace, and please report it)\n');
  },
});

void main(process.argv.slice(2), io).then((code) => {
  process.exitCode = code;
  // The command is over. A request it abandoned (a check past its --timeout, or skipped with
  // Ctrl-C) must not keep the process alive until the socket gives up: exit once output is flushed.
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
});
