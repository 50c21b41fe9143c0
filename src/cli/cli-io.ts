import type { Prompter } from './prompter';

/** What a command may touch of the outside world; tests pass their own. */
export interface CliOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface CliIo {
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Asks questions (interactive `init`); default: the terminal. */
  readonly prompter?: Prompter;
  /**
   * Resolves with the first of these signals to arrive. With `until`, stops listening when it
   * aborts (the promise then never settles), so the signal's default action applies again.
   */
  waitForSignal(signals: readonly NodeJS.Signals[], options?: { until?: AbortSignal }): Promise<NodeJS.Signals>;
}

/**
 * A reader that went away (`kaltura-discord config list | head -1`) is not an error: what was
 * left to print is dropped and the command finishes with its own exit code. Node reports it as
 * an asynchronous EPIPE 'error' event, which would otherwise crash with a stack trace.
 */
function toleratePipeClosed(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
  });
}

export function createProcessIo(): CliIo {
  toleratePipeClosed(process.stdout);
  toleratePipeClosed(process.stderr);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    waitForSignal(signals, options) {
      return new Promise((resolve) => {
        const handler = (signal: NodeJS.Signals) => {
          for (const s of signals) process.off(s, handler);
          options?.until?.removeEventListener('abort', stop);
          resolve(signal);
        };
        const stop = () => {
          for (const s of signals) process.off(s, handler);
        };
        if (options?.until?.aborted) return;
        options?.until?.addEventListener('abort', stop, { once: true });
        for (const s of signals) process.on(s, handler);
      });
    },
  };
}

/** Reads all of standard input (for `config set <key> -`, so secrets stay out of shell history). */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  return text;
}
