import type { CheckResult, CheckStatus } from '../core/health-check';
import type { CliOutput } from './cli-io';

/** Why a check ended without its own answer. */
export type StopReason = 'timeout' | 'interrupted';

export interface CheckRun<T> {
  /** What the line says while it runs, e.g. "the Discord bot token". */
  readonly label: string;
  /** The check; it should pass `signal` to its requests so nothing is left running. */
  readonly work: (signal: AbortSignal) => Promise<T>;
  /** The result to report when the check had to be abandoned. */
  readonly stopped: (reason: StopReason, seconds: number) => T;
}

export interface CheckProgress {
  /**
   * Runs one check with its own deadline (the `--timeout`) and its own progress line. Always
   * settles by the deadline, or at once when the run is interrupted.
   */
  run<T extends CheckResult | readonly CheckResult[]>(check: CheckRun<T>): Promise<T>;
  /** Clears the progress lines and stops the clock. */
  done(): void;
}

interface Line {
  readonly label: string;
  readonly started: number;
  status?: CheckStatus | 'stopped';
  ended?: number;
}

const ICON: Record<NonNullable<Line['status']>, string> = { ok: '✔', warn: '!', fail: '✖', stopped: '–' };

/** The worst status of one or several results. */
export function worstStatus(result: CheckResult | readonly CheckResult[]): CheckStatus {
  const all = Array.isArray(result) ? (result as readonly CheckResult[]) : [result as CheckResult];
  return all.some((r) => r.status === 'fail') ? 'fail' : all.some((r) => r.status === 'warn') ? 'warn' : 'ok';
}

/**
 * Checks run in parallel, each bounded by `timeoutMs` and by `interrupt` (Ctrl-C in `init`).
 * On a terminal each running check has its own line on standard error, redrawn in place with
 * its elapsed time and cleared at the end, so the report on standard output stays clean.
 * Elsewhere (logs, CI, pipes) nothing is drawn: the report itself has one line per check.
 */
export function createCheckProgress(out: CliOutput, options: { timeoutMs: number; interrupt?: AbortSignal; now?: () => number }): CheckProgress {
  const now = options.now ?? Date.now;
  const lines: Line[] = [];
  const tty = out.isTTY === true;
  let drawn = 0;
  let ticker: NodeJS.Timeout | undefined;
  const columns = () => Math.max(20, ((out as { columns?: number }).columns ?? 80) - 1);

  const render = (line: Line): string => {
    const seconds = Math.floor(((line.ended ?? now()) - line.started) / 1000);
    const text = line.status
      ? `${ICON[line.status]} ${line.label} (${seconds} s)`
      : `… checking ${line.label}${seconds > 0 ? ` (${seconds} s)` : ''}`;
    return text.length > columns() ? `${text.slice(0, columns() - 1)}…` : text;
  };
  const redraw = () => {
    if (!tty) return;
    let text = drawn > 0 ? `\x1b[${drawn}A\r` : '\r';
    for (const line of lines) text += `\x1b[2K${render(line)}\n`;
    out.write(text);
    drawn = lines.length;
  };

  return {
    async run<T extends CheckResult | readonly CheckResult[]>(check: CheckRun<T>): Promise<T> {
      const line: Line = { label: check.label, started: now() };
      lines.push(line);
      if (tty && !ticker) {
        ticker = setInterval(redraw, 1000);
        ticker.unref();
      }
      redraw();
      const controller = new AbortController();
      let settle: (reason: StopReason) => void = () => undefined;
      const stop = new Promise<StopReason>((resolve) => (settle = resolve));
      const timer = setTimeout(() => settle('timeout'), options.timeoutMs);
      timer.unref();
      const onInterrupt = () => settle('interrupted');
      if (options.interrupt?.aborted) settle('interrupted');
      options.interrupt?.addEventListener('abort', onInterrupt, { once: true });
      try {
        const outcome = await Promise.race([
          check.work(controller.signal).then((value) => ({ value })),
          stop.then((reason) => ({ reason })),
        ]);
        let result: T;
        if ('value' in outcome) {
          result = outcome.value;
          line.status = worstStatus(result);
        } else {
          controller.abort(new DOMException(outcome.reason === 'timeout' ? 'timed out' : 'interrupted', outcome.reason === 'timeout' ? 'TimeoutError' : 'AbortError'));
          result = check.stopped(outcome.reason, Math.round(options.timeoutMs / 1000));
          line.status = 'stopped';
        }
        line.ended = now();
        redraw();
        return result;
      } finally {
        clearTimeout(timer);
        options.interrupt?.removeEventListener('abort', onInterrupt);
      }
    },
    done() {
      if (ticker) clearInterval(ticker);
      ticker = undefined;
      if (tty && drawn > 0) out.write(`\x1b[${drawn}A\r\x1b[0J`);
      drawn = 0;
    },
  };
}

/** Results whose detail says the thing was not actually verified (unreachable, timed out, skipped). */
export function isUnverified(r: CheckResult): boolean {
  return r.status !== 'ok' && /^(not checked|not compared|no answer)|not checked:|no answer within|could not (reach|ask|list|check)|unreachable|timed out/i.test(r.detail);
}

/** The titles of the checks that could not verify anything, once each, in order. */
export function unverifiedTitles(results: readonly CheckResult[]): string[] {
  return [...new Set(results.filter(isUnverified).map((r) => r.title))];
}

/** "not verified: A, B" — the closing line when something could not be checked; empty otherwise. */
export function notVerifiedSummary(results: readonly CheckResult[]): string {
  const titles = unverifiedTitles(results);
  return titles.length === 0 ? '' : `not verified: ${titles.join(', ')}`;
}
