import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { actionParams, dispatchCall } from './dispatch-call';
import type { FakeState } from './fake-state';
import type { FaultTarget, TransportFault } from './fault-plan';
import { handleKafRequest } from './kaf-launch';
import { deliveryRouteOf, handleDelivery } from './media-delivery';
import { toText } from './list-query';
import { multirequestCalls, runMultirequest } from './multirequest';
import { readRequestParams, type Params } from './request-params';
import { FAKE_SERVICES } from './service-registry';
import { serializeResult } from './wire-format';

/** The fake's HTTP layer: routing, injected transport faults, and a close that ends every socket. */

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

interface ApiRoute {
  multirequest: boolean;
  service: string;
  action: string;
}

/** `/api_v3/service/{svc}/action/{act}`, `/api_v3/service/multirequest[/action/null]`, or service/action as parameters. */
function matchApiRoute(pathname: string, params: Params): ApiRoute | undefined {
  const path = pathname.replace(/\/+$/, '');
  if (/^\/api_v3\/service\/multirequest(\/action\/[^/]*)?$/i.test(path)) return { multirequest: true, service: 'multirequest', action: 'null' };
  const m = /^\/api_v3\/service\/([^/]+)\/action\/([^/]+)$/.exec(path);
  if (m) return { multirequest: false, service: decodeURIComponent(m[1] ?? ''), action: decodeURIComponent(m[2] ?? '') };
  if (/^\/api_v3(\/index\.php)?$/.test(path) || /^\/api_v3\/service\/[^/]+$/.test(path)) {
    const service = toText(params.service) ?? path.split('/')[3] ?? '';
    if (service.toLowerCase() === 'multirequest') return { multirequest: true, service: 'multirequest', action: 'null' };
    return { multirequest: false, service, action: toText(params.action) ?? '' };
  }
  return undefined;
}

function faultTargets(route: ApiRoute, params: Params): FaultTarget[] {
  if (!route.multirequest) return [{ service: route.service, action: route.action }];
  return [
    { service: 'multirequest', action: 'null' },
    ...multirequestCalls(params).map(({ call }) => ({ service: toText(call.service) ?? '', action: toText(call.action) ?? '' })),
  ];
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), 'X-Me': 'fake-kaltura' });
  res.end(body);
}

/** Answers with the fault instead of the API (§7 "Use 5xx or a hung socket only to test transport failures"). */
function applyFault(fault: TransportFault, req: IncomingMessage, res: ServerResponse): void {
  switch (fault.kind) {
    case 'status':
      send(res, fault.status, 'text/html', `<html><head><title>${fault.status}</title></head><body><h1>${fault.status} ${STATUS_CODES[fault.status] ?? ''}</h1></body></html>`);
      return;
    case 'html':
      send(res, 200, 'text/html', '<html><head><title>Maintenance</title></head><body><h1>Kaltura is down for maintenance</h1></body></html>');
      return;
    case 'reset':
      req.socket.resetAndDestroy();
      return;
    case 'hang':
    case 'lost-reply':
      return; // never answered; close() ends the socket
  }
}

export function startHttpServer(state: FakeState): Promise<RunningServer> {
  const sockets = new Set<Socket>();
  const shutdown = new AbortController();

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const parsed = await readRequestParams(req, url);
    const route = matchApiRoute(url.pathname, parsed.params);
    if (!route) {
      send(res, 404, 'text/html', '<html><body><h1>404 Not Found</h1></body></html>');
      return;
    }
    const meta = { httpMethod: req.method ?? 'GET', contentType: parsed.contentType };
    const decision = state.faults.takeTransport(faultTargets(route, parsed.params));
    if (decision.latencyMs > 0) await sleep(decision.latencyMs, undefined, { signal: shutdown.signal }).catch(() => undefined);
    if (shutdown.signal.aborted) return;
    if (decision.fault) {
      const ksString = toText(parsed.params.ks);
      state.requests.push({
        service: route.service.toLowerCase(),
        action: route.action,
        params: route.multirequest ? parsed.params : actionParams(parsed.params),
        fault: decision.fault.kind,
        ...(ksString ? { ksString } : {}),
        ...meta,
      });
      if (decision.fault.kind === 'lost-reply') {
        // executed (and recorded as a normal call too), then the answer is lost
        if (route.multirequest) runMultirequest(state, FAKE_SERVICES, parsed.params, meta);
        else dispatchCall(state, FAKE_SERVICES, { service: route.service, action: route.action, params: parsed.params, ...meta });
      }
      applyFault(decision.fault, req, res);
      return;
    }
    const result = route.multirequest
      ? runMultirequest(state, FAKE_SERVICES, parsed.params, meta)
      : dispatchCall(state, FAKE_SERVICES, { service: route.service, action: route.action, params: parsed.params, ...meta });
    send(res, 200, 'application/json', serializeResult(result));
  }

  async function handleKaf(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const decision = state.faults.takeTransport([{ service: 'kaf', action: 'launch' }], true);
    if (decision.latencyMs > 0) await sleep(decision.latencyMs, undefined, { signal: shutdown.signal }).catch(() => undefined);
    if (shutdown.signal.aborted) return;
    if (decision.fault) applyFault(decision.fault, req, res);
    else handleKafRequest(state, url, req.method ?? 'GET', res);
  }

  /** playManifest / serveFlavor / thumbnail; only faults scoped to that service (e.g. `playManifest`) apply. */
  async function handleCdn(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const route = deliveryRouteOf(url.pathname);
    if (!route || (req.method !== 'GET' && req.method !== 'HEAD')) {
      send(res, 404, 'text/html', '<html><body><h1>404 Not Found</h1></body></html>');
      return;
    }
    const decision = state.faults.takeTransport([{ service: route.route, action: 'get' }], true);
    if (decision.latencyMs > 0) await sleep(decision.latencyMs, undefined, { signal: shutdown.signal }).catch(() => undefined);
    if (shutdown.signal.aborted) return;
    if (decision.fault) {
      const entryId = route.params.get(route.route === 'thumbnail' ? 'entry_id' : 'entryId') ?? '';
      const status = decision.fault.kind === 'status' ? decision.fault.status : 0;
      state.deliveries.push({ route: route.route, entryId, status, fault: decision.fault.kind });
      applyFault(decision.fault, req, res);
    } else handleDelivery(state, url, req, res);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const handler =
      url.pathname === '/kaf' || url.pathname.startsWith('/kaf/') ? handleKaf : url.pathname.startsWith('/p/') ? handleCdn : handleApi;
    handler(req, res, url).catch((error: unknown) => {
      state.internalErrors.push(error instanceof Error ? error : new Error(String(error)));
      send(res, 500, 'text/plain', 'fake Kaltura internal error');
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('fake Kaltura: unexpected server address'));
        return;
      }
      resolve({
        url: `http://127.0.0.1:${address.port}`,
        close: () =>
          new Promise<void>((done) => {
            shutdown.abort();
            server.close(() => done());
            for (const socket of sockets) socket.destroy();
            server.closeAllConnections();
          }),
      });
    });
  });
}
