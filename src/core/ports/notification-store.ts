import type { MeetingRepo } from './meeting-repo';
import type { NotificationInbox } from './notification-inbox';
import type { NotificationOutbox } from './notification-outbox';

/**
 * The storage the notifications feature needs, over one database. `transact` is the unit of
 * work: everything written through these repositories (and through any other repository on
 * the same database, such as the meeting service's) inside `fn` commits together or not at
 * all. `fn` must be synchronous; SQLite transactions here never span an `await`.
 */
export interface NotificationStore {
  readonly meetings: MeetingRepo;
  readonly inbox: NotificationInbox;
  readonly outbox: NotificationOutbox;
  transact<T>(fn: () => T): T;
}
