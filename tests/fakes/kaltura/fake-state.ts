import { FaultPlan } from './fault-plan';
import { createPartnerAccount, type PartnerAccount } from './partner-account';
import { systemTemplates } from './services/system-templates';
import type { AppTokenRecord, DeliveryRecord, FakeKalturaOptions, FakeStore, KafLaunch, RecordedRequest, TemplateRecord } from './types';

export interface FlavorRecord {
  /** A flavor asset id, like an entry id (`0_…`). */
  readonly id: string;
  readonly entryId: string;
  /** Absolute path of the MP4 served. */
  readonly file: string;
}

/** Everything one fake server knows; built per server, passed explicitly (no module state). */
export interface FakeState {
  readonly partnerId: number;
  readonly adminSecret: string;
  readonly userSecret: string;
  readonly esearch: boolean;
  /** Admin secrets (primary first), hideSecrets, missing permissions. */
  readonly account: PartnerAccount;
  now(): number;
  /** Set once the server listens; used for thumbnail URLs. */
  baseUrl: string;
  readonly store: FakeStore;
  readonly systemTemplates: Map<number, TemplateRecord>;
  readonly appTokens: Map<string, AppTokenRecord>;
  /** READY MP4 flavor of an entry, by entry id (media-assets.ts); serveFlavor delivers the file. */
  readonly flavors: Map<string, FlavorRecord>;
  readonly deliveries: DeliveryRecord[];
  /** KSs ended with session.end. */
  readonly revokedKs: Set<string>;
  readonly requests: RecordedRequest[];
  readonly launches: KafLaunch[];
  readonly internalErrors: Error[];
  readonly faults: FaultPlan;
  /** Integer ids from separate ranges, so that mixing an event id up with a room id fails. */
  nextId(kind: 'resource' | 'event' | 'template' | 'job' | 'category'): number;
}

export const DEFAULT_PARTNER_ID = 1234567;
export const DEFAULT_ADMIN_SECRET = 'abcdef0123456789abcdef0123456789';
export const DEFAULT_USER_SECRET = 'fedcba9876543210fedcba9876543210';
export const DEFAULT_SESSION_DURATION = 86400;

const ID_BASES = { resource: 1_000_001, event: 2_000_001, template: 3_000_001, job: 777_001, category: 4_000_001 } as const;

export function createFakeState(opts: FakeKalturaOptions = {}): FakeState {
  const now = opts.now ?? (() => Math.floor(Date.now() / 1000));
  const counters = { ...ID_BASES };
  const appTokens = new Map<string, AppTokenRecord>();
  const partnerId = opts.partnerId ?? DEFAULT_PARTNER_ID;
  for (const seed of opts.appTokens ?? []) {
    const created = now();
    appTokens.set(seed.id, {
      id: seed.id,
      token: seed.token,
      partnerId,
      createdAt: created,
      updatedAt: created,
      status: seed.status ?? 2,
      hashType: seed.hashType ?? 'SHA1',
      sessionDuration: seed.sessionDuration ?? DEFAULT_SESSION_DURATION,
      ...(seed.expiry !== undefined ? { expiry: seed.expiry } : {}),
      ...(seed.sessionType !== undefined ? { sessionType: seed.sessionType } : {}),
      ...(seed.sessionUserId !== undefined ? { sessionUserId: seed.sessionUserId } : {}),
      ...(seed.sessionPrivileges !== undefined ? { sessionPrivileges: seed.sessionPrivileges } : {}),
      objectType: 'KalturaAppToken',
    });
  }
  return {
    partnerId,
    adminSecret: opts.adminSecret ?? DEFAULT_ADMIN_SECRET,
    userSecret: opts.userSecret ?? DEFAULT_USER_SECRET,
    esearch: opts.esearch ?? true,
    account: createPartnerAccount(opts.adminSecret ?? DEFAULT_ADMIN_SECRET, opts),
    now,
    baseUrl: '',
    store: { resources: new Map(), events: new Map(), eventResources: [], entries: new Map(), users: new Map(), templates: new Map(), categories: new Map() },
    systemTemplates: systemTemplates(now(), opts.extraSystemTemplates ?? 0),
    appTokens,
    flavors: new Map(),
    deliveries: [],
    revokedKs: new Set(),
    requests: [],
    launches: [],
    internalErrors: [],
    faults: new FaultPlan(),
    nextId: (kind) => counters[kind]++,
  };
}
