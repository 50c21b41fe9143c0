import { Readable } from 'node:stream';
import { main } from '../../bin/main';
import type { Prompter } from '../../src/cli/prompter';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real CLI in-process (same code path as the executable, minus process startup). */
export async function runCli(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; stdin?: string; tty?: boolean; prompter?: Prompter },
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const stdin = Readable.from(options.stdin !== undefined ? [options.stdin] : []) as Readable & { isTTY?: boolean };
  stdin.isTTY = options.tty ?? false;
  const code = await main(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin,
    env: options.env ?? {},
    cwd: options.cwd,
    prompter: options.prompter,
    waitForSignal: () => new Promise(() => {}),
  });
  return { code, stdout, stderr };
}
