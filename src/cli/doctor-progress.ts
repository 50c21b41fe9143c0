import type { CliOutput } from './cli-io';

export interface DoctorProgress {
  /** Runs one group of checks, showing "checking <label>…" meanwhile. */
  step<T>(label: string, work: () => Promise<T>): Promise<T>;
  /** Clears the progress line. */
  done(): void;
}

/**
 * Progress on standard error, and only on a terminal: one line rewritten in place, cleared at
 * the end, so the report on standard output (and `--json`, and logs) stays clean.
 */
export function createDoctorProgress(out: CliOutput): DoctorProgress {
  if (!out.isTTY) return { step: (_label, work) => work(), done: () => undefined };
  const CLEAR = '\r\x1b[2K';
  return {
    async step(label, work) {
      out.write(`${CLEAR}checking ${label}…`);
      return work();
    },
    done: () => void out.write(CLEAR),
  };
}
