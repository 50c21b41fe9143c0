import type { Migration } from './migration';

/**
 * Leases, so several instances can share one database (PostgreSQL): a dispatcher leases the
 * outbox rows it sends, and an inbox processor the webhook events it acts on, to its own id
 * (`lease_owner`) until `lease_until` (epoch ms). Nobody else takes a row whose lease is live;
 * one whose holder died becomes free when the lease runs out. NULL = not leased. No index: the
 * lease is only read on the few pending rows the existing partial indexes already find.
 */
export const outboxLeases: Migration = {
  name: 'outbox-leases',
  sql: `
    ALTER TABLE outbox ADD COLUMN lease_owner TEXT;
    ALTER TABLE outbox ADD COLUMN lease_until INTEGER;
    ALTER TABLE webhook_inbox ADD COLUMN lease_owner TEXT;
    ALTER TABLE webhook_inbox ADD COLUMN lease_until INTEGER;
  `,
};
