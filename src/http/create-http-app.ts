import { H3, HTTPError } from 'h3';
import type { Logger } from '../core/logger';

/** A group of routes mounted on the app (health, join links, webhooks…), built by its own factory. */
export type RouteGroup = (app: H3) => void;

export interface CreateHttpAppOptions {
  readonly logger: Logger;
  readonly routes: readonly RouteGroup[];
}

/**
 * The h3 application: route groups plus one error policy. Anything unexpected becomes a
 * plain 500 whose body says nothing about internals; the detail goes to the log only.
 */
export function createHttpApp(options: CreateHttpAppOptions): H3 {
  const app = new H3({
    onError(error, event) {
      if (error.status >= 500) {
        options.logger.error({ err: error.cause ?? error, method: event.req.method, path: event.url.pathname }, 'HTTP handler failed');
      }
    },
  });
  for (const group of options.routes) group(app);
  app.all('/**', () => {
    throw new HTTPError({ status: 404, message: 'Not found' });
  });
  return app;
}
