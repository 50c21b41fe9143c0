import type { IncomingMessage, ServerResponse } from 'node:http';
import { H3, HTTPError } from 'h3';
import type { Logger } from '../core/logger';

/** A group of routes mounted on the app (health, join links, webhooks…), built by its own factory. */
export type RouteGroup = (app: H3) => void;

/**
 * A hot route answered on Node's own objects by `startHttpServer`, before h3 (which costs about
 * as much as the cheapest answers themselves). Returns false, having touched nothing, for a
 * request it does not take; it must only take request targets already in normal form (see
 * ambiguousTarget), and the app's h3 routes must give the same answers (in-process `app.fetch`).
 */
export type NodeFastPath = (req: IncomingMessage, res: ServerResponse) => boolean;

// Keyed by the app a route group mounts on, so RouteGroup keeps its shape and app.ts its wiring.
const fastPaths = new WeakMap<H3, NodeFastPath[]>();

export function addNodeFastPath(app: H3, fast: NodeFastPath): void {
  const list = fastPaths.get(app);
  if (list) list.push(fast);
  else fastPaths.set(app, [fast]);
}

export const nodeFastPathsOf = (app: H3): readonly NodeFastPath[] => fastPaths.get(app) ?? [];

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
