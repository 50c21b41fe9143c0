import type { H3 } from 'h3';
import type { RouteGroup } from './create-http-app';

export interface ReadinessCheck {
  readonly ok: boolean;
  /** Why it is not ready, in plain words. */
  readonly reason?: string;
}

export interface HealthRoutesOptions {
  readonly version: string;
  /** Each dependency's readiness, e.g. `{ database: …, discord: … }`. Must be cheap and bounded (it may ask the database). */
  readonly readiness: () => Record<string, ReadinessCheck> | Promise<Record<string, ReadinessCheck>>;
  readonly startedAt: number;
  readonly now?: () => number;
}

/**
 * `GET /healthz`: the process is alive (for restart-on-hang probes).
 * `GET /readyz`: its dependencies are usable (for load balancers); 503 names what is not.
 */
export function healthRoutes(options: HealthRoutesOptions): RouteGroup {
  const now = options.now ?? Date.now;
  return (app: H3) => {
    app.get('/healthz', (event) => {
      event.res.headers.set('cache-control', 'no-store');
      return { status: 'ok', version: options.version, uptimeSeconds: Math.floor((now() - options.startedAt) / 1000) };
    });
    app.get('/readyz', async (event) => {
      event.res.headers.set('cache-control', 'no-store');
      let checks: Record<string, ReadinessCheck>;
      try {
        checks = await options.readiness();
      } catch (err) {
        checks = { readiness: { ok: false, reason: `readiness check failed: ${(err as Error).message}` } };
      }
      const failing = Object.entries(checks).filter(([, c]) => !c.ok);
      if (failing.length === 0) return { status: 'ready', checks };
      event.res.status = 503;
      return { status: 'not ready', reason: failing.map(([name, c]) => `${name}: ${c.reason ?? 'not ready'}`).join('; '), checks };
    });
  };
}
