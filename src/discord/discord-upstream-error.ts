import { DiscordAPIError, HTTPError } from 'discord.js';
import { UpstreamError } from '../core/ports/upstream-error';

/** Discord error codes meaning "the bot may not do this here": fixing them needs a server admin. */
const PERMISSION_CODES = new Set([50001, 50013, 10003]);

/** A Discord REST failure, typed for the core (which must not import discord.js). */
export class DiscordUpstreamError extends UpstreamError {
  override readonly name = 'DiscordUpstreamError';
  readonly upstream = 'discord';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly code?: number,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Missing access/permissions or an unknown channel. */
  get isPermission(): boolean {
    return this.code !== undefined && PERMISSION_CODES.has(this.code);
  }
}

export function toDiscordUpstreamError(err: unknown, what: string): DiscordUpstreamError {
  if (err instanceof DiscordAPIError) {
    const code = typeof err.code === 'number' ? err.code : undefined;
    return new DiscordUpstreamError(`Discord refused to ${what}: ${err.message} (${err.status}${code ? `, code ${code}` : ''})`, err.status >= 500 || err.status === 429, code, err.status, { cause: err });
  }
  if (err instanceof HTTPError) return new DiscordUpstreamError(`Discord failed to ${what} (HTTP ${err.status})`, true, undefined, err.status, { cause: err });
  return new DiscordUpstreamError(`could not reach Discord to ${what}: ${(err as Error).message}`, true, undefined, undefined, { cause: err });
}
