import type { FakeFault, FaultScope } from './types';

/** A (service, action) pair a request targets; a multirequest brings one per call. */
export interface FaultTarget {
  service: string;
  action: string;
}

interface ArmedFault {
  fault: FakeFault;
  service?: string;
  action?: string;
  remaining: number;
}

export type TransportFault = Exclude<FakeFault, { kind: 'latency' } | { kind: 'forbid' }>;

export interface TransportDecision {
  latencyMs: number;
  fault?: TransportFault;
}

/**
 * The injected faults of one fake server. Latency faults add up and do not stop the request;
 * of the other transport faults the first armed match wins; `forbid` is consulted per call by
 * the dispatcher (after the KS check, as the real permission check comes after KS validation).
 * Each application of a fault uses up one of its `times`.
 */
export class FaultPlan {
  private armed: ArmedFault[] = [];

  add(fault: FakeFault, scope: FaultScope = {}): void {
    this.armed.push({
      fault,
      ...(scope.service !== undefined ? { service: scope.service.toLowerCase() } : {}),
      ...(scope.action !== undefined ? { action: scope.action.toLowerCase() } : {}),
      remaining: scope.times ?? Number.POSITIVE_INFINITY,
    });
  }

  clear(): void {
    this.armed = [];
  }

  /** For API requests; `kaf` requests pass `scopedOnly` so unscoped faults leave KAF alone. */
  takeTransport(targets: FaultTarget[], scopedOnly = false): TransportDecision {
    let latencyMs = 0;
    let fault: TransportFault | undefined;
    for (const entry of this.armed) {
      if (entry.remaining <= 0 || !this.matches(entry, targets, scopedOnly)) continue;
      const f = entry.fault;
      if (f.kind === 'latency') {
        latencyMs += f.ms;
        entry.remaining--;
      } else if (f.kind !== 'forbid' && fault === undefined) {
        fault = f;
        entry.remaining--;
      }
    }
    return fault ? { latencyMs, fault } : { latencyMs };
  }

  takeForbid(target: FaultTarget): boolean {
    const entry = this.armed.find((e) => e.fault.kind === 'forbid' && e.remaining > 0 && this.matches(e, [target], false));
    if (!entry) return false;
    entry.remaining--;
    return true;
  }

  private matches(entry: ArmedFault, targets: FaultTarget[], scopedOnly: boolean): boolean {
    if (scopedOnly && entry.service === undefined) return false;
    return targets.some(
      (t) =>
        (entry.service === undefined || entry.service === t.service.toLowerCase()) &&
        (entry.action === undefined || entry.action === t.action.toLowerCase()),
    );
  }
}
