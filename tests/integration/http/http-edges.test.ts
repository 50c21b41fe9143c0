import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../../src/http/create-http-app';
import { metricsRoutes } from '../../../src/http/metrics-routes';
import { startHttpServer, type RunningHttpServer } from '../../../src/http/start-http-server';
import { captureLogger } from '../../helpers/capture-logger';

/** Raw bytes over a socket: `fetch` would normalise the very paths under test. */
function rawRequest(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    socket.setTimeout(5_000, () => socket.destroy(new Error('no answer in 5 s')));
    socket.on('data', (c: Buffer) => (data += c.toString('latin1')));
    socket.on('end', () => resolve(data));
    socket.on('close', () => resolve(data));
    socket.on('error', reject);
    socket.write(`${head}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  });
}
const statusOf = (response: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);

describe('HTTP edges: targets that change under normalisation, and a connection cap', () => {
  let server: RunningHttpServer | undefined;
  afterEach(async () => {
    await server?.close(0);
    server = undefined;
  });

  let log: ReturnType<typeof captureLogger>;
  async function start(maxConnections?: number) {
    log = captureLogger();
    const { logger } = log;
    const app = createHttpApp({
      logger,
      routes: [
        metricsRoutes({ enabled: true, render: async () => ({ contentType: 'text/plain', body: 'secret_metric 1\n' }), logger }),
        (h3) => void h3.get('/j/**', () => new Response('join page', { status: 200 })),
      ],
    });
    server = await startHttpServer(app, '127.0.0.1', 0, maxConnections === undefined ? { logger } : { maxConnections, logger });
    return server.port;
  }

  it('answers 400 to any path a proxy and this server could read differently, and to absolute-form targets', async () => {
    const port = await start();
    expect(statusOf(await rawRequest(port, 'GET /metrics HTTP/1.1'))).toBe(200); // the control: the route exists
    expect(statusOf(await rawRequest(port, 'GET /j/some-token HTTP/1.1'))).toBe(200);
    for (const target of [
      '/j/../metrics',
      '/j/%2e%2e/metrics',
      '/j/%2E%2E/metrics',
      '/j/.%2e/metrics',
      '/j/..\\metrics',
      '/j/..%5cmetrics',
      '/j/..%2fmetrics',
      '/./metrics',
      '//metrics',
      '/j//../metrics',
      'http://127.0.0.1/metrics',
      'http://x/metrics',
      '*',
    ]) {
      const response = await rawRequest(port, `GET ${target} HTTP/1.1`);
      expect(statusOf(response), target).toBe(400);
      expect(response, target).not.toContain('secret_metric');
      expect(response, target).toContain('Bad request: ');
    }
  });

  it('closes connections beyond http.maxConnections as they arrive, and serves again once one is free', async () => {
    const port = await start(16);
    const open: net.Socket[] = [];
    for (let i = 0; i < 16; i++) {
      const socket = net.connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      // a keep-alive request answered proves the server holds this connection
      await new Promise<void>((resolve) => {
        socket.once('data', () => resolve());
        socket.write('GET /j/x HTTP/1.1\r\nHost: a\r\n\r\n');
      });
      open.push(socket);
    }
    const refused = await rawRequest(port, 'GET /j/x HTTP/1.1');
    expect(refused).toBe(''); // closed without a byte
    expect(await rawRequest(port, 'GET /j/x HTTP/1.1')).toBe('');
    // the operator is told, once a minute at most
    expect(log.lines.filter((l) => l.msg === 'closed a new HTTP connection: 16 are open (http.maxConnections)')).toHaveLength(1);
    open.pop()!.destroy();
    let answer = '';
    for (let i = 0; i < 50 && statusOf(answer) !== 200; i++) {
      await new Promise((r) => setTimeout(r, 20));
      answer = await rawRequest(port, 'GET /j/x HTTP/1.1');
    }
    expect(statusOf(answer)).toBe(200);
    for (const s of open) s.destroy();
  });
});
