import { request, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';

/**
 * Forwarding one request through the fake Activity proxy, as a Cloudflare Worker `fetch` does:
 * the Host becomes the target's, hop-by-hop headers are dropped, and the answer — including a 3xx
 * and its Location — comes back unchanged (a redirect to another host then meets the CSP in the
 * browser). WebSocket upgrades are piped byte for byte to the target ("Any protocol … is proxied —
 * WebSockets work", reference §7.2).
 */

/** RFC 9110 §7.6.1 connection-specific fields, never forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

const UPSTREAM_TIMEOUT_MS = 30_000;

function forwardHeaders(headers: IncomingHttpHeaders, target: URL): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(name) && name !== 'host') out[name] = value;
  out.host = target.host;
  return out;
}

export function forwardHttp(req: IncomingMessage, res: ServerResponse, target: URL, csp: string): void {
  const upstream = request(target, { method: req.method, headers: forwardHeaders(req.headers, target), timeout: UPSTREAM_TIMEOUT_MS }, (answer) => {
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
    // Both policies apply when the target sends its own (the browser enforces each).
    const own = answer.headers['content-security-policy'];
    (headers as Record<string, string | string[]>)['content-security-policy'] = own ? [String(own), csp] : csp;
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, headers);
    answer.pipe(res);
    answer.on('error', () => res.destroy());
  });
  upstream.on('timeout', () => upstream.destroy(new Error('upstream timeout')));
  upstream.on('error', () => {
    if (res.headersSent) return void res.destroy();
    // What a Worker answers when the origin is down (Cloudflare's 502).
    res.writeHead(502, { 'content-type': 'text/plain', 'content-security-policy': csp });
    res.end('502 Bad Gateway: the mapped target did not answer');
  });
  req.pipe(upstream);
  // The browser went away mid-answer (a cut, a closed tab): stop the upstream too.
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
}

/** Pipes an upgrade (WebSocket) to the target; hands the pair out at once so a network cut can drop it. */
export function forwardUpgrade(req: IncomingMessage, socket: Socket, head: Buffer, target: URL, onOpen: (pair: [Socket, Socket]) => void): void {
  const upstream = connect({ host: target.hostname, port: Number(target.port || 80) });
  const lines = [`${req.method ?? 'GET'} ${target.pathname}${target.search} HTTP/1.1`];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    if (name.toLowerCase() === 'host') continue;
    lines.push(`${name}: ${req.rawHeaders[i + 1]}`);
  }
  lines.push(`Host: ${target.host}`);
  upstream.on('connect', () => {
    // Sync frames are small and timing-sensitive: no Nagle delay on either leg.
    upstream.setNoDelay(true);
    socket.setNoDelay(true);
    upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length) upstream.write(head);
    upstream.pipe(socket);
    socket.pipe(upstream);
  });
  // Registered before the upstream connects, so a cut also stops a socket still opening.
  onOpen([socket, upstream]);
  const drop = () => {
    socket.destroy();
    upstream.destroy();
  };
  upstream.on('error', drop);
  socket.on('error', drop);
  upstream.on('close', drop);
  socket.on('close', drop);
}
