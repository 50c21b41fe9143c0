/**
 * Undo for the three-step room creation (resource, event, link). Each step records what
 * it created; if a later step fails, the created objects are removed in reverse order.
 * A step that failed in transport may still have succeeded on the server (timeout), so
 * it is looked up by the unique room token (systemName / referenceId) before undoing.
 * Undo failures are logged, never thrown: the caller rethrows the original error.
 */
import type { Logger } from '../core/logger';
import type { AdminCall } from './admin-call';
import { KalturaAPIError } from './errors';
import { asList, asRecord, intField } from './parse';

type Step = 'resource' | 'event' | 'link';

export interface Compensation {
  step<T>(name: Step, run: () => Promise<T>): Promise<T>;
  rollback(cause: unknown): Promise<void>;
}

export function createCompensation(deps: { call: AdminCall; logger: Logger; roomToken: string }): Compensation {
  const { call, logger, roomToken } = deps;
  let resourceId: number | undefined;
  let eventId: number | undefined;
  let ambiguous: Step | undefined;

  const firstId = (raw: unknown) => asList(raw, (o) => intField(asRecord(o, 'object'), 'id')).objects[0];

  async function findOrphans(): Promise<void> {
    if (ambiguous === 'resource') {
      resourceId = await call({
        service: 'scheduleResource',
        action: 'list',
        kind: 'read',
        build: (s) => s.scheduleResource.listAction({ objectType: 'KalturaScheduleResourceFilter', systemNameEqual: `discord_${roomToken}` }, { objectType: 'KalturaFilterPager', pageSize: 1 }),
        parse: firstId,
      });
    } else if (ambiguous === 'event') {
      eventId = await call({
        service: 'scheduleEvent',
        action: 'list',
        kind: 'read',
        build: (s) => s.scheduleEvent.listAction({ objectType: 'KalturaRecordScheduleEventFilter', referenceIdEqual: roomToken }, { objectType: 'KalturaFilterPager', pageSize: 1 }),
        parse: firstId,
      });
    }
  }

  async function undo(what: string, run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
      logger.info({ what }, 'rolled back after a failed meeting creation');
    } catch (err) {
      logger.warn({ what, error: err instanceof Error ? err.message : String(err) }, 'rollback step failed; the object is left behind');
    }
  }

  return {
    async step<T>(name: Step, run: () => Promise<T>): Promise<T> {
      try {
        const result = await run();
        if (typeof result === 'number' && name === 'resource') resourceId = result;
        if (typeof result === 'number' && name === 'event') eventId = result;
        return result;
      } catch (err) {
        // only an API error proves the server did not create the object
        if (!(err instanceof KalturaAPIError) && name !== 'link') ambiguous = name;
        throw err;
      }
    },
    async rollback(cause) {
      logger.warn({ error: cause instanceof Error ? cause.message : String(cause) }, 'meeting creation failed; rolling back');
      try {
        await findOrphans();
      } catch (err) {
        logger.warn({ error: err instanceof Error ? err.message : String(err) }, 'could not look up objects from the failed step');
      }
      const ev = eventId;
      const res = resourceId;
      if (ev !== undefined) {
        await undo(`event ${ev}`, () => call({ service: 'scheduleEvent', action: 'delete', kind: 'idempotent', build: (s) => s.scheduleEvent.deleteAction(ev), parse: () => undefined }));
      }
      if (res !== undefined) {
        await undo(`resource ${res}`, () => call({ service: 'scheduleResource', action: 'delete', kind: 'idempotent', build: (s) => s.scheduleResource.deleteAction(res), parse: () => undefined }));
      }
    },
  };
}
