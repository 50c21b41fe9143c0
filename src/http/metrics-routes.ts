/**
 * `GET /metrics`: the Prometheus text exposition, on the same server as everything else.
 * With `metrics.token` set, a scrape must carry `Authorization: Bearer <token>`; the check
 * compares digests in constant time, so neither the token nor its length leaks through timing.
 * @see https://prometheus.io/docs/instrumenting/exposition_formats/
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { H3 } from 'h3';
import type { Logger } from '../core/logger';
import type { RouteGroup } from './create-http-app';

export const METRICS_PATH = '/metrics';

export interface MetricsRoutesOptions {
  /** `metrics.enabled`; when false the path is not served (404). */
  readonly enabled: boolean;
  /** `metrics.token`; when set, required as a Bearer token. */
  readonly token?: string;
  /** The registry's exposition; absent when metrics are off. */
  readonly render?: () => Promise<{ contentType: string; body: string }>;
  readonly logger: Logger;
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Whether an `Authorization` header carries the expected Bearer token. Both sides are hashed
 * first, so the comparison is always `equal` over two 32-byte buffers, whatever was sent.
 */
export function bearerTokenMatches(header: string | null | undefined, token: string, equal: (a: Buffer, b: Buffer) => boolean = timingSafeEqual): boolean {
  const presented = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '')?.[1] ?? '';
  const same = equal(digest(presented), digest(token));
  return same && presented !== '';
}

export function metricsRoutes(options: MetricsRoutesOptions): RouteGroup {
  return (app: H3) => {
    const render = options.render;
    if (!options.enabled || !render) return; // the app's catch-all answers 404
    app.get(METRICS_PATH, async (event) => {
      if (options.token !== undefined && !bearerTokenMatches(event.req.headers.get('authorization'), options.token)) {
        return new Response('Unauthorized\n', {
          status: 401,
          headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'www-authenticate': 'Bearer realm="metrics"' },
        });
      }
      try {
        const { contentType, body } = await render();
        return new Response(body, { status: 200, headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
      } catch (err) {
        options.logger.error({ err }, 'collecting metrics failed');
        return new Response('metrics unavailable\n', { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
      }
    });
  };
}
