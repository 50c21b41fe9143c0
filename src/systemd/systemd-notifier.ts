import { execFile } from 'node:child_process';

/**
 * Tells systemd about the service's state (`Type=notify`), only when systemd asked for it by
 * setting `$NOTIFY_SOCKET`. Node has no unix datagram sockets, so this runs `systemd-notify`,
 * which sends the datagram for us. Two details make that reliable:
 * - the message comes from a child process, so the unit says `NotifyAccess=all`, and we pass
 *   `--pid=<our pid>` so systemd takes this process as the main one (`MAINPID=`);
 * - systemd-notify (v246+) waits until systemd has processed the message (`BARRIER=1`), so it
 *   cannot exit before systemd looked up which unit the sender belongs to.
 * A failure is reported, never thrown: serving matters more than telling systemd about it.
 * @see https://www.freedesktop.org/software/systemd/man/latest/systemd-notify.html
 * @see https://www.freedesktop.org/software/systemd/man/latest/sd_notify.html
 */
export interface SystemdNotifier {
  /** False when `$NOTIFY_SOCKET` is unset: every call is then a no-op. */
  readonly enabled: boolean;
  ready(status: string): Promise<void>;
  stopping(status: string): Promise<void>;
}

export type RunCommand = (file: string, args: readonly string[], env: NodeJS.ProcessEnv) => Promise<void>;

export interface NotifierOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly pid?: number;
  /** Called when systemd-notify cannot be run or fails. */
  readonly onError?: (err: Error, state: string) => void;
  /** For tests; default `execFile` with a 5 s timeout. */
  readonly run?: RunCommand;
}

const NOTIFY_TIMEOUT_MS = 5_000;

const runCommand: RunCommand = (file, args, env) =>
  new Promise((resolve, reject) => {
    execFile(file, [...args], { env, timeout: NOTIFY_TIMEOUT_MS, windowsHide: true }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`${file} ${args[0] ?? ''} failed: ${stderr.trim() || err.message}`, { cause: err }));
      else resolve();
    });
  });

export function createSystemdNotifier(options: NotifierOptions): SystemdNotifier {
  const socket = options.env.NOTIFY_SOCKET;
  const pid = options.pid ?? process.pid;
  const run = options.run ?? runCommand;
  const send = async (state: string, args: string[]) => {
    if (!socket) return;
    try {
      await run('systemd-notify', [...args, `--pid=${pid}`], options.env);
    } catch (err) {
      options.onError?.(err as Error, state);
    }
  };
  // Status text is a single line; systemd shows it in `systemctl status`.
  const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
  return {
    enabled: Boolean(socket),
    ready: (status) => send('READY=1', ['--ready', `--status=${oneLine(status)}`]),
    // `STOPPING=1` as a variable: the `--stopping` flag only exists since systemd 253.
    stopping: (status) => send('STOPPING=1', ['STOPPING=1', `--status=${oneLine(status)}`]),
  };
}
