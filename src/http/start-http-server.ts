import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeHandler, type H3 } from 'h3';
import type { Logger } from '../core/logger';
import { UserError } from '../core/user-error';
import { createRateLimitedLog } from '../logging/rate-limited-log';
import { ambiguousTarget } from './ambiguous-target';

export interface HttpServerLimits {
  /** `http.maxConnections`: connections beyond it are closed as they arrive. */
  readonly maxConnections?: number;
  /** Told (rate-limited) when a connection is closed because the cap is reached. */
  readonly logger?: Logger;
}

/** The default of `http.maxConnections`: well under a default 1,024 open-files limit, far above a community's traffic. */
export const DEFAULT_MAX_CONNECTIONS = 512;

export interface RunningHttpServer {
  /** e.g. `http://127.0.0.1:8080` (the real port when 0 was asked for). */
  readonly url: string;
  readonly port: number;
  /** Stops accepting, lets in-flight requests finish for up to `graceMs`, then drops the rest. */
  close(graceMs?: number): Promise<void>;
}

/**
 * Listens with Node's own server (limits and timeouts set here, not left at defaults). A request
 * whose target is not already in normal form is answered 400 before any route sees it
 * (`ambiguousTarget`), so a reverse proxy's path rules mean what they say.
 */
export async function startHttpServer(app: H3, host: string, port: number, limits: HttpServerLimits = {}): Promise<RunningHttpServer> {
  const handle = toNodeHandler(app);
  const server = http.createServer({ requestTimeout: 30_000, headersTimeout: 15_000, keepAliveTimeout: 5_000 }, (req, res) => {
    const why = ambiguousTarget(req.url ?? '');
    if (why === undefined) return void handle(req, res);
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', connection: 'close' });
    res.end(`Bad request: ${why}\n`);
  });
  server.maxHeadersCount = 100;
  server.maxConnections = limits.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  if (limits.logger) {
    const dropped = createRateLimitedLog({ logger: limits.logger, limit: 1 });
    server.on('drop', () => dropped('warn', 'http.maxConnections reached', { maxConnections: server.maxConnections }, `closed a new HTTP connection: ${server.maxConnections} are open (http.maxConnections)`));
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(explainListenError(err, host, port)));
    server.listen({ host, port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    close(graceMs = 5_000) {
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}

function explainListenError(err: NodeJS.ErrnoException, host: string, port: number): Error {
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const why: Record<string, string> = {
    EADDRINUSE: 'the address is already in use (another kaltura-discord, or another program; change http.listen)',
    EACCES: 'permission denied (ports below 1024 need privileges; use a higher port behind a reverse proxy)',
    EADDRNOTAVAIL: 'this machine has no such address (check the host part of http.listen)',
    ENOTFOUND: 'the host name does not resolve (check the host part of http.listen)',
  };
  const reason = err.code ? why[err.code] : undefined;
  return reason ? new UserError('http.listen', `cannot listen on ${where}: ${reason}`, { cause: err }) : err;
}
