import { describe, expect, it } from 'vitest';
import type { InteractionRoute } from '../../../src/discord/interactions/interaction-route';
import { composeModules, type FeatureModule, type Job } from '../../../src/modules/feature-module';

const route = (name: string): InteractionRoute => ({ name, matches: () => false, preconditions: [], defer: false });
const job = (name: string): Job => ({ name, leaderOnly: false, start: () => undefined, stop: async () => undefined });
const group = (path: string) => Object.assign(() => undefined, { path });
const feature = (name: string, parts: Partial<FeatureModule<unknown>> = {}): FeatureModule<unknown> => ({ name, services: {}, interactionRoutes: [], httpRoutes: [], jobs: [], ...parts });

describe('composing feature modules', () => {
  it('concatenates routes and jobs in the order the modules are listed', () => {
    const a = group('/j');
    const b = group('/webhooks');
    const composed = composeModules([
      feature('notifications', { httpRoutes: [b], jobs: [job('dispatcher')] }),
      feature('meetings', { interactionRoutes: [route('kaltura start'), route('join button')], httpRoutes: [a], jobs: [job('reconciler'), job('retention')] }),
      feature('media', { interactionRoutes: [route('kaltura search')] }),
    ]);
    expect(composed.interactionRoutes.map((r) => r.name)).toEqual(['kaltura start', 'join button', 'kaltura search']);
    expect(composed.httpRoutes).toEqual([b, a]);
    expect(composed.jobs.map((j) => j.name)).toEqual(['dispatcher', 'reconciler', 'retention']);
  });

  it('refuses two interaction routes of one name (the dispatcher would answer with the first only)', () => {
    expect(() => composeModules([feature('meetings', { interactionRoutes: [route('kaltura start')] }), feature('media', { interactionRoutes: [route('kaltura start')] })])).toThrow('two interaction routes are named "kaltura start"');
  });

  it('refuses two modules of one name', () => {
    expect(() => composeModules([feature('media'), feature('media')])).toThrow('two feature modules are named "media"');
  });
});
