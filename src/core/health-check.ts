/**
 * One line of `kaltura-discord doctor`: a named check with an outcome and, when it is
 * not ok, a concrete fix the operator can apply. Adapters contribute checks; the CLI prints them.
 */
export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  /** Stable id, e.g. `kaltura.credentials`. */
  readonly id: string;
  /** Short human title, e.g. `Kaltura credentials`. */
  readonly title: string;
  readonly status: CheckStatus;
  /** What was found, in plain words (never a secret). */
  readonly detail: string;
  /** What to do about it; present unless status is `ok`. */
  readonly fix?: string;
}
