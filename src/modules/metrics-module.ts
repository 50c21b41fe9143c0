import type { REST } from 'discord.js';
import type { MetricsRecorder } from '../core/ports/metrics';
import { noopMetrics } from '../core/ports/metrics';
import { metricsRoutes } from '../http/metrics-routes';
import type { MetricSources } from '../metrics/create-app-metrics';
import { VERSION } from '../version';
import type { BaseContext } from './app-context';
import type { FeatureModule } from './feature-module';

export interface MetricsServices {
  /** What the others record into (a no-op when `metrics.enabled` is false). */
  readonly recorder: MetricsRecorder;
  /** Counts a discord.js REST client's 429s and rate-limit waits. */
  watchDiscordRest(rest: Pick<REST, 'on'>): void;
}

/**
 * Prometheus metrics (`GET /metrics`, behind `metrics.token`). Built first, from the base context:
 * every other module records into it. `sources` are read at scrape time, so they may name
 * services built later.
 */
export async function createMetricsModule(ctx: BaseContext, deps: { readonly sources: MetricSources }): Promise<FeatureModule<MetricsServices>> {
  const { config } = ctx;
  // prom-client is loaded only when metrics are on.
  const appMetrics = config.metrics.enabled ? (await import('../metrics/create-app-metrics')).createAppMetrics({ version: VERSION, sources: deps.sources }) : undefined;
  return {
    name: 'metrics',
    services: { recorder: appMetrics?.recorder ?? noopMetrics, watchDiscordRest: (rest) => appMetrics?.watchDiscordRest(rest) },
    interactionRoutes: [],
    httpRoutes: [metricsRoutes({ enabled: config.metrics.enabled, token: config.metrics.token, render: appMetrics?.render, logger: ctx.logger.child({ component: 'metrics' }) })],
    jobs: [],
  };
}
