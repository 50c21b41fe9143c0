/** The meetings part of the store: repository factories over a `SqlExecutor`, listed by `createRepositories`. */
export { createJoinLedger } from './join-ledger';
export { createMeetingRepo } from './meeting-repo';
export { createCleanupJobs } from './cleanup-jobs';
export { createGuildCategoryRepo } from './guild-categories';
