/** The meetings part of the store, as the composition root loads it (one lazy import). */
export { createJoinLedger } from './join-ledger';
export { createMeetingRepo } from './meeting-repo';
export { createCleanupJobs } from './cleanup-jobs';
