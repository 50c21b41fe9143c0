import type { Config } from '../config/config-types';
import type { CheckResult } from '../core/health-check';

/** Kaltura's checks come from the Kaltura adapter, loaded only when doctor runs. */
export async function runKalturaDoctorChecks(config: Config): Promise<CheckResult[]> {
  void config;
  return [];
}
