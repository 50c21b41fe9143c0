import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { toNodeHandler, type H3 } from 'h3';
import type { Logger } from '../core/logger';
import { UserError } from '../core/user-error';
import { createRateLimitedLog } from '../logging/rate-limited-log';
import { ambiguousTarget } from './ambiguous-target';
import { nodeFastPathsOf } from './create-http-app';

export interface HttpServerLimits {
  /** `http.maxConnections`: connections beyond it are closed as they arrive. */
  readonly maxConnections?: number;
  /** Told (rate-limited) when a connection is closed because the cap is reached. */
  readonly logger?: Logger;
  /** Takes WebSocket upgrade requests (the sync socket); without it every upgrade is refused. */
  readonly upgrade?: UpgradeHook;
}

/**
 * Upgraded connections leave Node's HTTP bookkeeping (`closeAllConnections` does not reach them)
 * but still count toward `maxConnections`; their owner must end them when the server closes.
 */
export interface UpgradeHook {
  /** Answers the upgrade (101) or refuses it; the target is already known to be in normal form. */
  handle(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Ends every upgraded connection within `graceMs` (a polite close first, then dropped). */
  close(graceMs: number): Promise<void>;
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
  const fast = nodeFastPathsOf(app);
  const server = http.createServer({ requestTimeout: 30_000, headersTimeout: 15_000, keepAliveTimeout: 5_000 }, (req, res) => {
    for (let i = 0; i < fast.length; i++) if (fast[i]!(req, res)) return;
    const why = ambiguousTarget(req.url ?? '');
    if (why === undefined) return void handle(req, res);
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', connection: 'close' });
    res.end(`Bad request: ${why}\n`);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined); // a peer resetting mid-handshake is not a crash
    const why = ambiguousTarget(req.url ?? '');
    if (why === undefined && limits.upgrade) return void limits.upgrade.handle(req, socket, head);
    refuseUpgrade(socket, why === undefined ? 404 : 400, why === undefined ? 'Not found' : `Bad request: ${why}`);
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
      const closed = new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      });
      // server.close() waits for upgraded sockets too: they are ended by their owner meanwhile
      return Promise.all([closed, limits.upgrade?.close(graceMs)]).then(() => undefined);
    },
  };
}

/** A plain HTTP answer on a socket that asked for an upgrade, then the socket is closed. */
export function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  if (!socket.writable) return void socket.destroy();
  const body = `${text}\n`;
  socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\ncache-control: no-store\r\nconnection: close\r\n\r\n${body}`);
  socket.once('finish', () => socket.destroy());
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
