import pino from 'pino';
import { UpstreamError } from '../core/ports/upstream-error';
import { describeNetworkError } from './describe-network-error';

const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN',
  'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT', 'ERR_CANCELED',
]);

/**
 * A failure of Discord or Kaltura (an `UpstreamError`: outage, timeout, refusal) or of the network
 * itself (an abort, a refused connection, DNS): expected in a bot's life, so logged as what
 * happened, not as a stack trace or a DOMException dump.
 */
export function isExpectedFailure(err: unknown): err is Error {
  if (!(err instanceof Error) && !(typeof DOMException !== 'undefined' && err instanceof DOMException)) return false;
  if (err instanceof UpstreamError) return true;
  // fetch and undici wrap the socket error: `TypeError: fetch failed` with the real one as `cause`
  let e: unknown = err;
  for (let depth = 0; depth < 4 && typeof e === 'object' && e !== null; depth++, e = (e as { cause?: unknown }).cause) {
    const { name, code } = e as { name?: unknown; code?: unknown };
    if (name === 'AbortError' || name === 'TimeoutError' || name === 'DiscordStoppedError' || (typeof code === 'string' && NETWORK_CODES.has(code))) return true;
  }
  return false;
}

/** pino's `err` serializer, but an expected failure is one short object: type, message, cause. */
export function serializeError(err: unknown): unknown {
  if (isExpectedFailure(err)) {
    const { code, status } = err as { code?: unknown; status?: unknown };
    return {
      type: err.name,
      message: (err.message.split('\n')[0] ?? '').slice(0, 300),
      ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
      ...(typeof status === 'number' ? { status } : {}),
      cause: describeNetworkError(err),
    };
  }
  return scrubInteractionTokens(pino.stdSerializers.errWithCause(err as Error));
}

/** `…/interactions/{id}/{token}/…` and `…/webhooks/{app}/{token}/…`: the token answers as the bot for 15 minutes. */
const TOKEN_IN_PATH = /(interactions\/\d+|webhooks\/\d+)\/[^/?#\s]+/g;

/**
 * discord.js's `DiscordAPIError` carries the request's `url` (for interaction replies it holds the
 * interaction token) and `requestBody` (which echoes what members typed): neither belongs in a log.
 */
function scrubInteractionTokens(serialized: unknown, depth = 0): unknown {
  if (depth > 4 || typeof serialized !== 'object' || serialized === null) return serialized;
  const record = serialized as Record<string, unknown>;
  if (typeof record.url === 'string') record.url = record.url.replace(TOKEN_IN_PATH, '$1/[REDACTED]');
  if ('requestBody' in record) delete record.requestBody;
  if (typeof record.stack === 'string') record.stack = record.stack.replace(TOKEN_IN_PATH, '$1/[REDACTED]');
  if (typeof record.message === 'string') record.message = record.message.replace(TOKEN_IN_PATH, '$1/[REDACTED]');
  if (record.cause !== undefined) scrubInteractionTokens(record.cause, depth + 1);
  return record;
}
