/**
 * One short, human cause for a failed network call ("no answer within 60 s", "DNS: discord.com
 * not found", "connection refused"), for the single log line an operator reads instead of a
 * stack trace or a DOMException dump. Looks through `cause` chains (undici and fetch wrap the
 * socket error) and never includes a URL's query or credentials, only a host name.
 */
export function describeNetworkError(err: unknown, options: { timeoutMs?: number } = {}): string {
  const seen = new Set<unknown>();
  for (let e: unknown = err; e !== undefined && e !== null && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    const known = describeOne(e, options.timeoutMs);
    if (known) return known;
  }
  const first = err instanceof Error ? err.message : String(err);
  return (first.split('\n')[0] ?? '').slice(0, 200) || 'unknown error';
}

const CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the other side',
  EPIPE: 'connection closed by the other side',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENETDOWN: 'network down',
  EADDRNOTAVAIL: 'address not available',
  UND_ERR_SOCKET: 'connection closed by the other side',
  UND_ERR_CLOSED: 'connection closed',
  UND_ERR_CONNECT_TIMEOUT: 'could not connect in time',
  UND_ERR_HEADERS_TIMEOUT: 'no answer in time',
  UND_ERR_BODY_TIMEOUT: 'the answer stopped half-way',
  ECONNABORTED: 'no answer in time',
  ETIMEDOUT: 'no answer in time',
  ERR_CANCELED: 'cancelled',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS: self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS: self-signed certificate in the chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS: certificate not trusted',
  CERT_HAS_EXPIRED: 'TLS: certificate expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS: certificate is for another name',
};

function describeOne(e: unknown, timeoutMs: number | undefined): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const { name, code, hostname, status } = e as { name?: unknown; code?: unknown; hostname?: unknown; status?: unknown };
  const within = timeoutMs !== undefined ? `no answer within ${formatSeconds(timeoutMs)}` : 'no answer in time';
  if (name === 'AbortError' || name === 'TimeoutError') return within;
  if (code === 'ENOTFOUND') return `DNS: ${typeof hostname === 'string' ? hostname : 'the host'} not found`;
  if (code === 'EAI_AGAIN') return `DNS: temporary failure resolving ${typeof hostname === 'string' ? hostname : 'the host'}`;
  if (typeof code === 'string' && CODES[code]) {
    return code === 'ETIMEDOUT' || code === 'ECONNABORTED' || code === 'UND_ERR_HEADERS_TIMEOUT' ? within : CODES[code];
  }
  if (typeof status === 'number' && status >= 400) return `HTTP ${status}`;
  return undefined;
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
