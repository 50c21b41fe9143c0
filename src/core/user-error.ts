/**
 * An error whose message is safe to show to the person who caused it (a Discord member,
 * or an operator at the CLI). `id` is stable so tests and metrics can match on it.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    readonly id: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
