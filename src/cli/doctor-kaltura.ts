import type { Config, KalturaConfig } from '../config/config-types';
import type { CheckResult } from '../core/health-check';
import { createLogger } from '../logging/create-logger';
import { secretsOf } from './secrets-of';

/**
 * Kaltura's checks come from the Kaltura adapter, loaded only when they run (kaltura-client
 * is heavy). Their own logging is silenced: the checks report through their results.
 */
export async function runKalturaDoctorChecks(config: Config): Promise<CheckResult[]> {
  return checkKaltura(config.kaltura, secretsOf(config));
}

export async function checkKaltura(kaltura: KalturaConfig, secrets: (string | undefined)[], timeoutMs = 15_000): Promise<CheckResult[]> {
  const { runKalturaChecks } = await import('../kaltura/kaltura-checks');
  const logger = createLogger({ level: 'silent', secrets, destination: { write: () => undefined } });
  return runKalturaChecks(kaltura, { logger, timeoutMs });
}
