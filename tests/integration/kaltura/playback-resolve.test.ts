import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePlayableUrl } from '../../../src/kaltura/playback-resolve';
import { catchError, errorText } from './helpers';

/**
 * Redirect resolution against a local server whose paths say what to answer:
 * `/hop/N/…` redirects N more times, `/media` is the video, `/hang` never answers.
 */

let server: Server;
let base: string;
const seen: Array<{ path: string; range?: string }> = [];
const hanging = new Set<ServerResponse>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    seen.push({ path, ...(req.headers.range && { range: req.headers.range }) });
    const hop = /^\/hop\/(\d+)(\/.*)$/.exec(path);
    if (hop) {
      const left = Number(hop[1]);
      res.writeHead(302, { Location: left > 1 ? `/hop/${left - 1}${hop[2]}` : hop[2] }).end();
    } else if (path === '/media') {
      res.writeHead(206, { 'Content-Type': 'audio/mp4; codecs="mp4a.40.2"', 'Content-Range': 'bytes 0-0/10' }).end('x');
    } else if (path === '/plain') {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>');
    } else if (path === '/to-ftp') {
      res.writeHead(301, { Location: 'ftp://example.test/a.mp4' }).end();
    } else if (path === '/hang') {
      hanging.add(res);
    } else {
      res.writeHead(404, { 'X-Kaltura': 'error-3' }).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const res of hanging) res.destroy();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('resolvePlayableUrl', () => {
  it('follows up to three redirects (relative ones too) to the media, asking for one byte', async () => {
    seen.length = 0;
    const resolved = await resolvePlayableUrl(`${base}/hop/3/media`);
    expect(resolved).toEqual({ url: `${base}/media`, mimeType: 'audio/mp4', redirects: 3 });
    expect(seen.map((s) => s.range)).toEqual(['bytes=0-0', 'bytes=0-0', 'bytes=0-0', 'bytes=0-0']);
  });

  it('answers the URL itself when there is no redirect; no media type when it is not audio/video', async () => {
    expect(await resolvePlayableUrl(`${base}/plain`)).toEqual({ url: `${base}/plain`, redirects: 0 });
  });

  it('refuses a fourth redirect, a non-HTTP location and an error status, naming no URL', async () => {
    const secretUrl = `${base}/hop/4/media/ks/djJ8secretsecretsecret`;
    const cases: Array<[string, object]> = [
      [secretUrl, { failure: 'http', status: 302, retryable: false }],
      [`${base}/to-ftp`, { failure: 'http', status: 301 }],
      [`${base}/refused/ks/djJ8secretsecretsecret`, { failure: 'http', status: 404, retryable: false }],
    ];
    for (const [url, expected] of cases) {
      const err = await catchError(resolvePlayableUrl(url));
      expect(err).toMatchObject({ name: 'KalturaTransportError', service: 'playManifest', ...expected });
      expect(errorText(err)).not.toContain('djJ8');
      expect(errorText(err)).not.toContain(base);
    }
    expect(((await catchError(resolvePlayableUrl(`${base}/refused`))) as Error).message).toContain('(error-3)');
  });

  it('gives up after its time bound, and at once when aborted', async () => {
    expect(await catchError(resolvePlayableUrl(`${base}/hang`, { timeoutMs: 100 }))).toMatchObject({ failure: 'timeout', retryable: true });
    const closing = new AbortController();
    const pending = catchError(resolvePlayableUrl(`${base}/hang`, { timeoutMs: 60_000, signal: closing.signal }));
    closing.abort();
    expect(await pending).toMatchObject({ failure: 'network', retryable: false });
  });

  it('reports an unreachable source without its address', async () => {
    const err = await catchError(resolvePlayableUrl('http://127.0.0.1:1/x/ks/djJ8secretsecretsecret'));
    expect(err).toMatchObject({ failure: 'network', retryable: true });
    expect(errorText(err)).not.toContain('djJ8');
  });
});
