import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeHandler, type H3 } from 'h3';
import { UserError } from '../core/user-error';

export interface RunningHttpServer {
  /** e.g. `http://127.0.0.1:8080` (the real port when 0 was asked for). */
  readonly url: string;
  readonly port: number;
  /** Stops accepting, lets in-flight requests finish for up to `graceMs`, then drops the rest. */
  close(graceMs?: number): Promise<void>;
}

/** Listens with Node's own server (limits and timeouts set here, not left at defaults). */
export async function startHttpServer(app: H3, host: string, port: number): Promise<RunningHttpServer> {
  const server = http.createServer({ requestTimeout: 30_000, headersTimeout: 15_000, keepAliveTimeout: 5_000 }, toNodeHandler(app));
  server.maxHeadersCount = 100;
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
