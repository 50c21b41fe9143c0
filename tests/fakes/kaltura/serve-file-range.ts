import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Serves a file with single byte-range support (RFC 9110 §14), as serveFlavor does
 * (kaltura/server serveFlavorAction → requestUtils::handleRangeRequest): 206 with
 * Content-Range for a satisfiable range, 416 with `bytes * /size` for one that starts past the
 * end, the whole file (200) without a Range or with one it does not support (several ranges,
 * or an invalid one, which RFC 9110 says to ignore). `Accept-Ranges: bytes` always: Chromium
 * seeks a <video> only when the server says it can.
 */

type Range = { start: number; end: number } | 'unsatisfiable' | undefined;

export function parseRange(header: string | undefined, size: number): Range {
  const m = /^\s*bytes=(\d*)-(\d*)\s*$/.exec(header ?? '');
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  if (m[2] !== '' && Number(m[2]) < start) return undefined; // invalid range-spec: ignored
  if (start >= size) return 'unsatisfiable';
  return { start, end: m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1) };
}

/** Answers with the file; returns the status sent. */
export function serveFileWithRange(req: IncomingMessage, res: ServerResponse, file: string, contentType: string): number {
  const size = statSync(file).size;
  const range = parseRange(req.headers.range, size);
  const common = { 'Content-Type': contentType, 'Accept-Ranges': 'bytes', 'Cache-Control': 'max-age=3600', 'X-Me': 'fake-kaltura' };
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...common, 'Content-Range': `bytes */${size}`, 'Content-Length': 0 });
    res.end();
    return 416;
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  const status = range ? 206 : 200;
  res.writeHead(status, {
    ...common,
    'Content-Length': end - start + 1,
    ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
  });
  if (req.method === 'HEAD' || size === 0) {
    res.end();
    return status;
  }
  const stream = createReadStream(file, { start, end });
  stream.on('error', () => res.destroy());
  res.on('close', () => stream.destroy());
  stream.pipe(res);
  return status;
}
