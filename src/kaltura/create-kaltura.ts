/**
 * The Kaltura adapter's one factory. It returns the core's ports implemented over the
 * Kaltura API; the composition root imports this module lazily (it loads `kaltura-client`).
 * Nothing is shared between instances: no module-level state.
 */
import type { CategoryDirectory } from '../core/ports/guild-categories';
import type { MediaLibrary } from '../core/ports/media-library';
import type { MeetingProvider } from '../core/ports/meeting-provider';
import type { MemberDirectory } from '../core/ports/member-directory';
import type { WebhookVerifier } from '../core/ports/webhook-verifier';
import { createCategoryDirectory } from './categories';
import { createWebhookVerifier } from './create-webhook-verifier';
import { createKalturaContext, type KalturaContextOptions } from './kaltura-context';
import { createMediaLibrary } from './media';
import { createMediaUrls } from './media-urls';
import { createMeetingRooms } from './meeting-rooms';
import { createMemberDirectory } from './users';

export interface CreateKalturaOptions extends KalturaContextOptions {
  /** Player/thumbnail CDN base; default `https://cdnapisec.kaltura.com`. */
  readonly cdnUrl?: string;
  /** How long a join link keeps working after the session's scheduled end; default 15 min. */
  readonly joinGraceMs?: number;
}

export interface KalturaCapabilities {
  /** Webhook signatures can be verified (needs the admin secret). */
  readonly webhooks: boolean;
  /** Join KSs are generated locally, without a round trip (needs the admin secret). */
  readonly localJoinKs: boolean;
}

export interface Kaltura {
  readonly mode: 'admin-secret' | 'app-token';
  readonly capabilities: KalturaCapabilities;
  readonly meetings: MeetingProvider;
  readonly media: MediaLibrary;
  readonly members: MemberDirectory;
  /** The account's category tree (each Discord server's category is found or created in it). */
  readonly categories: CategoryDirectory;
  readonly webhooks: WebhookVerifier;
  /** Stops new calls and releases sockets. */
  close(): Promise<void>;
}

export function createKaltura(options: CreateKalturaOptions): Kaltura {
  const ctx = createKalturaContext(options);
  const urls = createMediaUrls({
    partnerId: ctx.config.partnerId,
    ...(ctx.config.playerUiConfId !== undefined && { playerUiConfId: ctx.config.playerUiConfId }),
    ...(options.cdnUrl !== undefined && { cdnUrl: options.cdnUrl }),
  });
  const webhooks = createWebhookVerifier(ctx.config.adminSecret);
  // ends playback-source resolutions still in flight when the adapter closes
  const closing = new AbortController();
  return {
    mode: ctx.sessions.mode,
    capabilities: { webhooks: webhooks.available, localJoinKs: ctx.sessions.mode === 'admin-secret' },
    meetings: createMeetingRooms({
      config: ctx.config,
      call: ctx.call,
      sessions: ctx.sessions,
      urls,
      clock: ctx.clock,
      random: ctx.random,
      logger: ctx.logger,
      ...(options.joinGraceMs !== undefined && { joinGraceMs: options.joinGraceMs }),
    }),
    media: createMediaLibrary({
      call: ctx.call,
      urls,
      search: ctx.config.search,
      logger: ctx.logger,
      playback: { config: ctx.config, sessions: ctx.sessions, clock: ctx.clock, random: ctx.random, signal: closing.signal },
    }),
    members: createMemberDirectory(ctx.call),
    categories: createCategoryDirectory({ call: ctx.call }),
    webhooks,
    async close() {
      closing.abort();
      ctx.transport.close();
    },
  };
}
