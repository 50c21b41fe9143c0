/**
 * Quick undo for a room creation that failed while the member waits. Each step records the id
 * it created; on failure the known objects are removed in reverse order, but only while the
 * interactive budget lasts and never by looking anything up: a step that failed in transport
 * may still have succeeded on the server (a timeout), and that is the job of the durable
 * `discard-start` cleanup job (see room-cleanup.ts), which finds objects by the meeting id they
 * carry and is retried by the reconciler until Kaltura answers. Undo failures are logged, never
 * thrown: the caller rethrows the original error.
 */
import type { Logger } from '../core/logger';
import type { AdminCall } from './admin-call';
import { ignoreResult } from './parse';

type Step = 'resource' | 'event' | 'link' | 'template';

export interface Compensation {
  step<T>(name: Step, run: () => Promise<T>): Promise<T>;
  rollback(cause: unknown): Promise<void>;
}

/** Below this much remaining budget an undo is not started (it could not finish in time). */
const MIN_UNDO_MS = 250;

export function createCompensation(deps: { call: AdminCall; logger: Logger; deadline?: number }): Compensation {
  const { call, logger, deadline } = deps;
  const created: { name: Step; id: number | string }[] = [];
  const inTime = () => deadline === undefined || deadline - performance.now() > MIN_UNDO_MS;

  async function undo(name: Step, id: number | string): Promise<void> {
    if (!inTime()) {
      logger.info({ what: `${name} ${id}` }, 'no time left to undo now; the cleanup job will remove it');
      return;
    }
    try {
      if (name === 'event') await call({ service: 'scheduleEvent', action: 'delete', kind: 'idempotent', build: (s) => s.scheduleEvent.deleteAction(id), parse: ignoreResult });
      else if (name === 'resource') await call({ service: 'scheduleResource', action: 'delete', kind: 'idempotent', build: (s) => s.scheduleResource.deleteAction(id), parse: ignoreResult });
      else if (name === 'template') await call({ service: 'media', action: 'delete', kind: 'idempotent', build: (s) => s.media.deleteAction(String(id)), parse: ignoreResult });
      else return;
      logger.info({ what: `${name} ${id}` }, 'rolled back after a failed meeting creation');
    } catch (err) {
      logger.warn({ what: `${name} ${id}`, error: err instanceof Error ? err.message : String(err) }, 'rollback step failed; the cleanup job will retry');
    }
  }

  return {
    async step<T>(name: Step, run: () => Promise<T>): Promise<T> {
      const result = await run();
      if (typeof result === 'number' || typeof result === 'string') created.push({ name, id: result });
      return result;
    },
    async rollback(cause) {
      logger.warn({ error: cause instanceof Error ? cause.message : String(cause) }, 'meeting creation failed; rolling back what is known');
      for (const { name, id } of [...created].reverse()) await undo(name, id);
    },
  };
}
