/**
 * `kaltura-discord doctor --deep`: after the usual checks, the Kaltura account is probed by
 * doing what a meeting needs (create, end and remove a room and a template entry, a category,
 * a webhook template; launch the room through KAF), then removing everything it made. It
 * writes to the account, hence the explicit flag. Runs only when the Kaltura session works.
 * The probe's own calls are bounded by the per-check timeout; it is not abandoned half-way
 * (a deadline over the whole probe would leave its objects behind).
 */
import type { Config } from '../config/config-types';
import type { CheckResult } from '../core/health-check';
import { createLogger } from '../logging/create-logger';
import type { CliOutput } from './cli-io';
import { secretsOf } from './secrets-of';

export const DEEP_OPTION_HELP = 'also prove the Kaltura account can do what meetings need, by creating and removing test objects (writes to the account)';

export interface DeepDoctorOptions {
  /** Per Kaltura call. */
  readonly timeoutMs: number;
  /** Where to say that the probe is running (standard error). */
  readonly progress?: CliOutput;
  /** For tests; default the global `fetch`. */
  readonly fetch?: typeof fetch;
}

export async function runDeepDoctorChecks(config: Config, earlier: readonly CheckResult[], options: DeepDoctorOptions): Promise<CheckResult[]> {
  const credentials = earlier.find((r) => r.id === 'kaltura.credentials');
  if (!credentials || credentials.status !== 'ok') {
    return [{ id: 'kaltura.deep', title: 'Deep: Kaltura account probe', status: 'warn', detail: 'Not run: no working Kaltura session', fix: 'Fix the "Kaltura credentials" check first.' }];
  }
  options.progress?.write('… probing the Kaltura account (creating and removing test objects named "kaltura-discord doctor …")\n');
  const { runDeepProbe } = await import('../kaltura/deep-probe');
  const logger = createLogger({ level: 'silent', secrets: secretsOf(config), destination: { write: () => undefined } });
  return runDeepProbe(config.kaltura, { logger, timeoutMs: options.timeoutMs, ...(options.fetch && { fetch: options.fetch }) });
}
