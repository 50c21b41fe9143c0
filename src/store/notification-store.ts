/**
 * The notifications part of the store, as the composition root loads it. `transact` is the
 * unit of work: better-sqlite3 transactions are synchronous and per connection, so every
 * repository on this `db` (the meeting service's too) writes inside it; nested calls become
 * savepoints. IMMEDIATE takes the write lock up front, so a read-check-write inside is atomic.
 */
import type { Database } from 'better-sqlite3';
import type { NotificationStore } from '../core/ports/notification-store';
import { createMeetingRepo } from './meeting-repo';
import { createNotificationInbox } from './notification-inbox';
import { createNotificationOutbox } from './notification-outbox';

export function createNotificationStore(db: Database): NotificationStore {
  // Built once: better-sqlite3 prepares BEGIN/COMMIT per wrapper.
  const run = db.transaction((fn: () => unknown) => fn());
  return {
    meetings: createMeetingRepo(db),
    inbox: createNotificationInbox(db),
    outbox: createNotificationOutbox(db),
    transact: <T>(fn: () => T): T => (db.inTransaction ? run(fn) : run.immediate(fn)) as T,
  };
}
