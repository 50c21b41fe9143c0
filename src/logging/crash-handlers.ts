export type CrashKind = 'uncaught exception' | 'unhandled promise rejection';

export interface CrashHandlerOptions {
  /** Writes the one line that says what happened (the error itself is passed along for its stack). */
  readonly report: (summary: string, err: Error, kind: CrashKind) => void;
  /** Last words before exiting, e.g. checkpoint the database; must be synchronous. */
  readonly cleanup?: () => void;
  readonly exit: (code: number) => void;
  readonly exitCode: number;
  /** A fallback stands aside when another crash handler is installed (the command's own, with its logger). */
  readonly fallback?: boolean;
}

type CrashTarget = Pick<NodeJS.Process, 'on' | 'off' | 'listenerCount'>;

/**
 * Turns an error that escaped every handler into one clear log line and a distinct exit code,
 * instead of Node's stack dump (and, for a rejection, Node's own exit 1). Reports only the first:
 * a crash often cascades, and the operator needs the cause, not the echoes. The exit code lets
 * systemd restart the service while its StartLimit bounds a crash loop (each start is an IDENTIFY).
 * Returns a function that removes the handlers.
 */
export function installCrashHandlers(target: CrashTarget, options: CrashHandlerOptions): () => void {
  let crashed = false;
  const handle = (kind: CrashKind, event: 'uncaughtException' | 'unhandledRejection', value: unknown) => {
    if (options.fallback && target.listenerCount(event) > 1) return;
    if (crashed) return;
    crashed = true;
    const err = value instanceof Error ? value : new Error(`non-error value: ${String(value)}`);
    try {
      options.report(`crashed: ${kind}: ${err.message.split('\n')[0]}; exiting with code ${options.exitCode}`, err, kind);
    } finally {
      try {
        options.cleanup?.();
      } finally {
        options.exit(options.exitCode);
      }
    }
  };
  const onException = (err: unknown) => handle('uncaught exception', 'uncaughtException', err);
  const onRejection = (reason: unknown) => handle('unhandled promise rejection', 'unhandledRejection', reason);
  target.on('uncaughtException', onException);
  target.on('unhandledRejection', onRejection);
  return () => {
    target.off('uncaughtException', onException);
    target.off('unhandledRejection', onRejection);
  };
}
