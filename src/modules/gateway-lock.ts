import type { Logger } from '../core/logger';

/** The advisory lock of the one gateway session per database (≠ the leader lock and the migration lock). */
export const GATEWAY_LOCK_KEY = 7738414978891342963n;

/** Thrown by `serve` when another instance on the same PostgreSQL database already holds the gateway. */
export class GatewayTakenError extends Error {
  override readonly name = 'GatewayTakenError';
}

/**
 * In `discord.mode: gateway` every instance that logs in receives every interaction, so two of them on
 * one database would answer each command twice (two meetings started, two replies). Discord delivers
 * a shard's events to each session opened for it (see docs/scaling.md). On PostgreSQL the gateway is
 * therefore held under an advisory lock: a second gateway instance refuses to start, naming the fix.
 * Ending the holder's session (stop, crash, kill) frees the lock.
 */
export async function holdGatewayLock(options: { url: string; instanceId: string; logger: Logger }): Promise<{ close(): Promise<void> }> {
  const { createPgLeadership } = await import('../store/postgres/pg-leadership');
  const lock = await createPgLeadership({ url: options.url, instanceId: options.instanceId, logger: options.logger, lockKey: GATEWAY_LOCK_KEY });
  if (lock.isLeader()) return lock;
  await lock.close();
  throw new GatewayTakenError(
    'another instance already runs the Discord gateway on this database: with discord.mode gateway run exactly one instance ' +
      '(each would answer every command); to run several, set discord.mode: http on all of them (docs/scaling.md)',
  );
}
