import type { RouteGroup } from '../http/create-http-app';
import type { InteractionRoute } from '../discord/interactions/interaction-route';

/**
 * A background job a feature runs while the app is up (the reconciler, the outbox dispatcher,
 * retention). `start` must not throw and returns at once; `stop` settles once in-flight work has
 * finished or been handed back (the app bounds how long it waits).
 */
export interface Job {
  readonly name: string;
  /** Leader-only jobs run only while `leadership.isLeader()`, checked before every pass (one runner across instances). */
  readonly leaderOnly: boolean;
  start(): void;
  stop(): Promise<void>;
}

/**
 * One feature as the composition root sees it (STYLE "Feature modules"): the services it offers
 * the others, the Discord interactions and HTTP routes it answers, and its background jobs.
 * `src/app.ts` lists the modules and concatenates the rest; nothing else is wired by hand.
 */
export interface FeatureModule<S> {
  readonly name: string;
  readonly services: S;
  readonly interactionRoutes: readonly InteractionRoute[];
  readonly httpRoutes: readonly RouteGroup[];
  readonly jobs: readonly Job[];
}

/** Everything a module's routes and jobs add up to, in the order the modules are listed. */
export function composeModules(modules: readonly FeatureModule<unknown>[]): { interactionRoutes: InteractionRoute[]; httpRoutes: RouteGroup[]; jobs: Job[] } {
  const names = new Set<string>();
  for (const m of modules) {
    if (names.has(m.name)) throw new Error(`two feature modules are named "${m.name}"`);
    names.add(m.name);
  }
  const interactionRoutes = modules.flatMap((m) => m.interactionRoutes);
  const routeNames = new Set<string>();
  for (const r of interactionRoutes) {
    // Two routes with one name would make metrics and logs ambiguous (the dispatcher takes the first match).
    if (routeNames.has(r.name)) throw new Error(`two interaction routes are named "${r.name}"`);
    routeNames.add(r.name);
  }
  return { interactionRoutes, httpRoutes: modules.flatMap((m) => m.httpRoutes), jobs: modules.flatMap((m) => m.jobs) };
}
