import { DefaultRestOptions, type RESTOptions } from 'discord.js';

/** A Discord request cut short because the bot is stopping; not worth a retry or a stack trace. */
export class DiscordStoppedError extends Error {
  override readonly name = 'DiscordStoppedError';
  constructor() {
    super('stopped: the request to Discord was abandoned because the bot is shutting down');
  }
}

/**
 * A `makeRequest` for `@discordjs/rest` that also gives up when `signal` aborts (the app stopping).
 * The library aborts each attempt after its own timeout and retries an `AbortError`; a stop must not
 * be retried, so it surfaces as `DiscordStoppedError` instead (the library rethrows other errors).
 * @see node_modules/@discordjs/rest/dist/index.js makeNetworkRequest / shouldRetry
 */
export function abortableRequest(signal: AbortSignal | undefined): RESTOptions['makeRequest'] {
  const base = DefaultRestOptions.makeRequest;
  if (!signal) return base;
  return async (url, init) => {
    if (signal.aborted) throw new DiscordStoppedError();
    const own = init.signal as AbortSignal | null | undefined;
    try {
      return await base(url, { ...init, signal: own ? AbortSignal.any([own, signal]) : signal });
    } catch (err) {
      if (signal.aborted) throw new DiscordStoppedError();
      throw err;
    }
  };
}
