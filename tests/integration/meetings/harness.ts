/**
 * The meetings feature as the app builds it — through the same factory, `createMeetingsModule` —
 * over a real store (SQLite in a temp file, or a fresh PostgreSQL database), the real Kaltura adapter
 * against the wire-level fake Kaltura, the module's own join route in-process, and an in-test
 * MeetingCards that records what Discord would have shown and can be told to fail.
 */
import fs from 'node:fs';
import path from 'node:path';
import { REST } from 'discord.js';
import type { H3 } from 'h3';
import { expect } from 'vitest';
import type { KalturaConfig } from '../../../src/config/config-types';
import { loadConfig } from '../../../src/config/load-config';
import { PERMISSION, type Actor } from '../../../src/core/meetings/actor';
import type { GuildPolicy } from '../../../src/core/meetings/guild-policy';
import type { Meeting } from '../../../src/core/meetings/meeting';
import type { MeetingService } from '../../../src/core/meetings/meeting-service';
import type { Logger } from '../../../src/core/logger';
import type { MeetingCards } from '../../../src/core/ports/meeting-cards';
import type { MeetingProvider } from '../../../src/core/ports/meeting-provider';
import type { DirectoryMember, MemberDirectory, UpsertedMember } from '../../../src/core/ports/member-directory';
import { UpstreamError } from '../../../src/core/ports/upstream-error';
import { createHttpApp } from '../../../src/http/create-http-app';
import { createKaltura, type Kaltura } from '../../../src/kaltura/create-kaltura';
import type { JoinLedger, MeetingRepo } from '../../../src/core/ports/meeting-repo';
import type { MeetingNotifier } from '../../../src/core/ports/notification-hooks';
import type { Store } from '../../../src/core/ports/store';
import { noopMetrics } from '../../../src/core/ports/metrics';
import { createMeetingsModule } from '../../../src/modules/meetings-module';
import { createLocalChangeFeed } from '../../../src/store/local-change-feed';
import type { StoreDriver } from '../../helpers/stores';
import { testChannelAccess, type TestChannelAccess } from './channel-access';
import { openStoreUnderTest, type StoreUnderTest } from './store-under-test';
import { startFakeKaltura, type AppTokenSeed, type FakeKaltura } from '../../fakes/kaltura/index';

export const GUILD = '900000000000000001';
export const CHANNEL = '900000000000000002';
export const MOD_ROLE = '700000000000000001';
export const LINKS_SECRET = 'join-links-secret-0123456789-abcdefghij';
export const LINK_TTL_MS = 5 * 60_000;
export const FAST_RETRY = { retries: 2, baseDelayMs: 5, maxDelayMs: 10 };

// Permissions as Discord sends them for CHANNEL, where these members act (VIEW_CHANNEL: they are there).
export const host: Actor = { id: '100000000000000001', displayName: 'Ana Host', roleIds: [], permissions: PERMISSION.manageEvents | PERMISSION.viewChannel, channelId: CHANNEL };
export const moderator: Actor = { id: '100000000000000002', displayName: 'Mo Derator', roleIds: ['1', MOD_ROLE], permissions: PERMISSION.viewChannel, channelId: CHANNEL };
export const member: Actor = { id: '100000000000000003', displayName: 'Plain Member', roleIds: ['700000000000000099'], permissions: PERMISSION.viewChannel, channelId: CHANNEL };

export const policy: GuildPolicy = {
  moderatorRoleIds: [MOD_ROLE],
  startMeetings: 'manage-events',
  starterRoleIds: [],
  defaultKind: 'meeting',
  defaultDurationMinutes: 60,
  defaultRecord: false,
};

/** What the Discord adapter would raise. */
export class FakeDiscordError extends UpstreamError {
  override readonly name = 'FakeDiscordError';
  readonly upstream = 'discord';
  constructor(readonly retryable: boolean, message = 'Missing Access') {
    super(message);
  }
}

export interface RecordingCards extends MeetingCards {
  readonly posts: Meeting[];
  readonly updates: Meeting[];
  /** How many of the next calls fail. */
  failPosts: number;
  failUpdates: number;
  /** Updates fail for good (the card was deleted, or access lost). */
  cardGone: boolean;
}

export function recordingCards(): RecordingCards {
  const cards: RecordingCards = {
    posts: [],
    updates: [],
    failPosts: 0,
    failUpdates: 0,
    cardGone: false,
    async post(meeting) {
      if (cards.failPosts > 0) {
        cards.failPosts--;
        throw new FakeDiscordError(false);
      }
      cards.posts.push(meeting);
      return `80000000000000000${cards.posts.length}`;
    },
    async update(meeting) {
      if (cards.cardGone) throw new FakeDiscordError(false, 'Unknown Message');
      if (cards.failUpdates > 0) {
        cards.failUpdates--;
        throw new FakeDiscordError(true, 'Service Unavailable');
      }
      cards.updates.push(meeting);
    },
  };
  return cards;
}

/** Wraps the real directory so tests can wait for the background upserts the service starts. */
function trackedMembers(inner: MemberDirectory): MemberDirectory & TrackedMembers {
  const started: Promise<UpsertedMember>[] = [];
  let unsettled = 0;
  return {
    upsertMember(m: DirectoryMember) {
      unsettled++;
      const p = inner.upsertMember(m);
      started.push(p);
      p.then(
        () => unsettled--,
        () => unsettled--,
      );
      return p;
    },
    settled: () => Promise.allSettled(started),
    unsettled: () => unsettled,
  };
}

export interface TrackedMembers {
  settled(): Promise<unknown>;
  /** Upserts started and not finished yet. */
  unsettled(): number;
}

export interface HarnessOptions {
  readonly logger: Logger;
  readonly dir: string;
  /** The storage engine; default SQLite. */
  readonly driver?: StoreDriver;
  readonly kaltura?: Partial<KalturaConfig>;
  readonly appToken?: AppTokenSeed;
  /** Wraps the Kaltura provider (to pause a start at a chosen point). */
  readonly provider?: (real: MeetingProvider) => MeetingProvider;
  /** `recordings.retireAfter`; default 7 days. */
  readonly retireAfterMs?: number;
  /** Overrides of the server policy (e.g. `maxLivePerMember`). */
  readonly policy?: Partial<GuildPolicy>;
  /** The notifications hooks (default: none). */
  readonly notifier?: MeetingNotifier;
}

/** Another bot instance on the same database (PostgreSQL: its own pool; SQLite: the same process's store). */
export interface SecondInstance {
  readonly service: MeetingService;
  get(path: string, init?: RequestInit): Promise<Response>;
}

export interface Harness {
  readonly fake: FakeKaltura;
  readonly kaltura: Kaltura;
  readonly service: MeetingService;
  /** Simulates a killed process: a new adapter and service over the same database, fake and clock. */
  crash(): Promise<void>;
  /** A second instance (service and join route) over the same database, fake and clock. */
  secondInstance(): Promise<SecondInstance>;
  readonly cards: RecordingCards;
  /** Who can view which channel (open unless made private). */
  readonly access: TestChannelAccess;
  readonly members: TrackedMembers;
  readonly store: Store;
  /** Raw SQL for assertions (see StoreUnderTest.all: cast counts AS INTEGER). */
  readonly sql: StoreUnderTest['all'];
  /** `store.meetings` and `store.joinLedger` (each call its own transaction). */
  readonly repo: MeetingRepo;
  readonly ledger: JoinLedger;
  readonly app: H3;
  readonly clock: { now(): number; advance(ms: number): void };
  get(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  let nowMs = Date.UTC(2026, 10, 25, 12, 0, 0);
  const clock = { now: () => nowMs, advance: (ms: number) => void (nowMs += ms) };
  const fake = await startFakeKaltura({ now: () => Math.floor(nowMs / 1000), ...(options.appToken && { appTokens: [options.appToken] }) });
  const base: KalturaConfig = {
    partnerId: fake.partnerId,
    adminSecret: fake.adminSecret,
    serviceUrl: fake.url,
    kafUrl: fake.kafUrl,
    requestTimeout: 2_000,
    search: 'auto',
    ...options.kaltura,
  };
  const config: KalturaConfig = options.appToken
    ? { ...base, adminSecret: undefined, appToken: { id: options.appToken.id, token: options.appToken.token, hashType: options.appToken.hashType ?? 'SHA256' } }
    : base;
  let kaltura = createKaltura({ config, logger: options.logger, clock, retry: FAST_RETRY });
  const opened = await openStoreUnderTest(options.driver ?? 'sqlite', options.dir);
  const { store } = opened;
  const cards = recordingCards();
  const members = trackedMembers(kaltura.members);
  const access = testChannelAccess();
  const appConfig = harnessConfig(options.dir, options.retireAfterMs);
  /** One instance's meetings module, as src/app.ts builds it (its jobs are not started: tests drive the reconciler). */
  const build = async (over: Store = store) => {
    const module = await createMeetingsModule(
      {
        config: appConfig,
        logger: options.logger,
        clock,
        store: over,
        leadership: { isLeader: () => true, instanceId: 'meetings-harness' },
        changes: createLocalChangeFeed(),
        kaltura: { ...kaltura, meetings: options.provider ? options.provider(kaltura.meetings) : kaltura.meetings, members },
        rest: new REST(), // unused: cards are recorded below
        channelAccess: access,
        botChannels: { problemIn: async () => undefined },
        metrics: noopMetrics,
        signal: new AbortController().signal,
        activityEnabled: false,
      },
      { policyFor: async () => ({ ...policy, ...options.policy }), cards, ...(options.notifier && { notifier: options.notifier }) },
    );
    return { service: module.services.meetings, app: createHttpApp({ logger: options.logger, routes: module.httpRoutes }) };
  };
  let instance = await build();
  const app = instance.app;
  const abandoned: Kaltura[] = [];
  return {
    fake,
    get kaltura() {
      return kaltura;
    },
    get service() {
      return instance.service;
    },
    async crash() {
      // What a killed process leaves: its database and whatever it had sent. Its in-flight work never
      // resumes (the tests block it forever); a new adapter and service start on the same database.
      abandoned.push(kaltura);
      kaltura = createKaltura({ config, logger: options.logger, clock, retry: FAST_RETRY });
      instance = await build();
    },
    async secondInstance() {
      const second = await build(await opened.peer());
      return { service: second.service, get: async (p, init) => second.app.fetch(new Request(`http://bot2.test${p}`, init)) };
    },
    cards,
    access,
    members,
    store,
    sql: opened.all,
    repo: store.meetings,
    ledger: store.joinLedger,
    app,
    clock,
    get: async (p, init) => app.fetch(new Request(`http://bot.test${p}`, init)),
    async close() {
      await members.settled();
      await kaltura.close();
      for (const k of abandoned) await k.close();
      await fake.close();
      await opened.close();
      expect(fake.internalErrors).toEqual([]);
    },
  };
}

/**
 * The app's configuration for these tests, loaded like an operator's file (links, public URL, retention
 * of rooms); a short `retireAfter` brings `pollWindow` down with it, as the configuration requires.
 */
function harnessConfig(dir: string, retireAfterMs: number | undefined) {
  const file = path.join(dir, 'meetings-harness.yaml');
  fs.writeFileSync(
    file,
    `discord:
  token: MTEwMDAwMDAwMDAwMDAwMDAwMQ.GhIjKl.abcdefghijklmnopqrstuvwxyz0123
  applicationId: "1100000000000000001"
kaltura:
  partnerId: 1234567
  adminSecret: abcdef0123456789abcdef0123456789
http:
  publicUrl: https://bot.example.org/
links:
  secret: ${LINKS_SECRET}
  ttl: ${LINK_TTL_MS / 1000}s
storage:
  path: ./unused.db
${retireAfterMs !== undefined ? `recordings:\n  retireAfter: ${retireAfterMs / 1000}s\n  pollWindow: ${Math.min(retireAfterMs, 48 * 3_600_000) / 1000}s\n` : ''}`,
    { mode: 0o600 },
  );
  return loadConfig(file, {});
}

/** The path part of a join link (`/j/<token>`). */
export const joinPath = (url: string): string => new URL(url).pathname;

export async function rejection(promise: Promise<unknown>): Promise<Error & { id?: string; cause?: unknown }> {
  try {
    await promise;
  } catch (err) {
    return err as Error & { id?: string };
  }
  throw new Error('expected the promise to reject');
}

/** Nothing of any session left usable in Kaltura: rooms deleted, events cancelled or deleted. */
export function expectNothingLiveInKaltura(fake: FakeKaltura): void {
  for (const e of fake.store.events.values()) expect([1, 3]).toContain(e.status);
  for (const r of fake.store.resources.values()) expect(r.status).toBe(3);
  expect(fake.store.eventResources).toHaveLength(0);
}

/**
 * What the bot's meetings left in Kaltura and still in use: rooms not deleted, events still
 * ACTIVE (with `nowS`: and not past their scheduled end, so they could still open or record), template entries (entries carrying a meeting id as referenceId, recordings aside) not
 * deleted. Zero of each once every meeting is over and its retention has passed.
 */
export function orphansIn(fake: FakeKaltura, nowS?: number): { rooms: number; events: number; templates: number } {
  return {
    rooms: [...fake.store.resources.values()].filter((r) => r.status !== 3).length,
    events: [...fake.store.events.values()].filter((e) => e.status === 2 && (nowS === undefined || e.endDate > nowS)).length,
    templates: [...fake.store.entries.values()].filter((e) => /^m_[a-z2-7]{16}$/.test(String(e.referenceId ?? '')) && !e.templateEntryId && e.status !== 3).length,
  };
}

/** Asserts that no secret, no KS (`djJ8` is base64 of `v2|`) and no join token (`eyJ`) was logged. */
export function expectCleanLogs(text: string, secrets: readonly string[]): void {
  expect(text.length).toBeGreaterThan(0);
  expect(text).not.toMatch(/djJ8/);
  expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.eyJ/);
  expect(text).not.toContain('/virtualEvent/launch?ks=');
  for (const s of secrets) expect(text).not.toContain(s);
}
