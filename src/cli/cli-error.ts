/** Exit codes, so scripts and systemd can tell failures apart (sysexits.h where one fits). */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  /** Unexpected internal error. */
  software: 70,
  /** An error escaped every handler (uncaught exception, unhandled rejection) while running: logged once as `crashed: …`. */
  crashed: 71,
  /** Bad configuration: systemd's RestartPreventExitStatus=78 stops a restart loop. */
  config: 78,
  /** Stopped by the operator (Ctrl-C): 128 + SIGINT, as a shell reports it. */
  interrupted: 130,
} as const;

/** A command failed for a reason the operator can act on; `message` is printed as one line. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
