import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const BUNDLE = path.resolve(__dirname, '../../dist/app.cjs');

export interface ServeProcess {
  readonly child: ChildProcess;
  /** The URL from the "listening on" log line. */
  readonly url: string;
  stderr(): string;
  stdout(): string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts the bundled CLI (`npm test` builds dist/app.cjs first) as a real process: what an
 * operator or systemd runs, signals and all.
 */
export function spawnCli(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; command?: string }): ChildProcess {
  const [cmd, ...pre] = options.command ? [options.command] : [process.execPath, BUNDLE];
  return spawn(cmd!, [...pre, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH, HOME: options.cwd, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export async function startServe(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; command?: string }): Promise<ServeProcess> {
  const child = spawnCli(['serve', ...args], options);
  let err = '';
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start within 15s:\n${err}`)), 15_000);
    child.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
      const m = /listening on (http:\/\/\S+?)["\s]/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before listening:\n${err}`));
    });
  });
  return {
    child,
    url,
    stderr: () => err,
    stdout: () => out,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
