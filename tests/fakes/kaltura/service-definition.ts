import type { FakeState } from './fake-state';
import type { DecodedKs } from './ks-codec';
import type { Params } from './request-params';

/**
 * none: no KS needed (session.start); ks: any valid KS; admin: a type-2 KS, else
 * SERVICE_FORBIDDEN (§7.6; on a real account this depends on the partner's role permissions).
 */
export type AuthLevel = 'none' | 'ks' | 'admin';

export interface ActionContext {
  state: FakeState;
  /** The verified KS, when one was sent. */
  ks?: DecodedKs;
  /** The KS string exactly as sent (appToken.startSession hashes it). */
  ksString?: string;
}

export interface ActionDefinition {
  /** Canonical action name as the server declares it (e.g. `startSession`); matched case-insensitively. */
  name: string;
  auth: AuthLevel;
  /** Returns the result object; `undefined` is a void action (`null` on the wire). Throws KalturaApiError. */
  run(params: Params, ctx: ActionContext): unknown;
}

export interface ServiceDefinition {
  /** Wire service id, lower-case (`schedule_scheduleresource`). */
  id: string;
  actions: ActionDefinition[];
}

/** The KS user when a KS was verified; handlers behind `ks`/`admin` auth always have one. */
export function requireKs(ctx: ActionContext): DecodedKs {
  if (!ctx.ks) throw new Error('handler reached without a verified KS');
  return ctx.ks;
}
