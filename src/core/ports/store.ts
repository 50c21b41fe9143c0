import type { CleanupJobs } from './cleanup-jobs';
import type { GuildCategoryRepo } from './guild-categories';
import type { JoinLedger, MeetingRepo } from './meeting-repo';
import type { NotificationInbox } from './notification-inbox';
import type { NotificationOutbox } from './notification-outbox';
import type { HistoryRepo } from './history-repo';
import type { GuildSettingsRepo } from './settings-repo';
import type { WatchLaunches } from './watch-launches';
import type { WatchLinkLedger } from './watch-links';

/**
 * Every repository the core uses, all asynchronous. Outside a transaction each method is its own
 * transaction; inside `store.transaction` the repositories handed to the callback are bound to it.
 */
export interface Repositories {
  readonly meetings: MeetingRepo;
  readonly joinLedger: JoinLedger;
  readonly cleanupJobs: CleanupJobs;
  readonly guildCategories: GuildCategoryRepo;
  readonly inbox: NotificationInbox;
  readonly outbox: NotificationOutbox;
  readonly settings: GuildSettingsRepo;
  readonly watchLinks: WatchLinkLedger;
  readonly launches: WatchLaunches;
  /** Retention: batched deletes of old history, and table sizes for doctor. */
  readonly history: HistoryRepo;
}

/** The repositories bound to one open transaction. */
export interface Transaction extends Repositories {
  /** Runs `fn` in a savepoint of this transaction: its writes roll back alone if it throws. */
  savepoint<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` after this transaction commits (never after a rollback; a savepoint's callbacks belong
   * to the outer transaction and are dropped if the savepoint rolls back). For wake-ups of workers
   * that read on another connection. `fn` must not throw (errors are logged and ignored).
   */
  afterCommit(fn: () => void): void;
}

/**
 * The unit of work (STYLE "an explicit, asynchronous unit of work"): everything written through
 * `tx` inside `fn` commits together, or not at all when `fn` throws. Rules for callers:
 * - Never call Discord, Kaltura or any network inside `fn` (it holds the database's write lock).
 * - Inside `fn`, use only `tx`: calling the store's own repositories there is a programming error
 *   (SQLite: it throws at once instead of deadlocking).
 */
export interface Store extends Repositories {
  readonly dialect: 'sqlite' | 'postgres';
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
}
