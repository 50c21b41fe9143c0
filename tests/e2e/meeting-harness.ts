import fs from 'node:fs';
import path from 'node:path';
import { createApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config/load-config';
import { startFakeDiscord, type FakeChannelSeed, type FakeDiscord } from '../fakes/discord/index';
import type { FakeGuildSeed } from '../fakes/discord/types';
import { startFakeKaltura, type FakeKaltura } from '../fakes/kaltura/index';
import { captureLogger } from '../helpers/capture-logger';
import { GOOD } from '../helpers/config-fixtures';
import { freePort } from '../helpers/free-port';

export const IDS = {
  app: GOOD.applicationId,
  guild: '1200000000000000001',
  channel: '1300000000000000001',
  /** A second text channel, for notifications routed away from the meeting's channel. */
  announcements: '1300000000000000077',
  teachersRole: '1400000000000000001',
  studentsRole: '1400000000000000002',
  host: '1500000000000000001',
  teacher: '1500000000000000002',
  student: '1500000000000000003',
} as const;

export const MANAGE_EVENTS = 1n << 33n;
/** What @everyone may do in this server (a new server's defaults include these): see channels, talk, read history. */
export const EVERYONE_PERMISSIONS = (1n << 10n) | (1n << 11n) | (1n << 16n);

/** The server every harness seeds: #lectures (plus `channels`), @everyone, Teachers and Students. */
export const campusGuild = (channels: readonly FakeChannelSeed[] = []): FakeGuildSeed => ({
  id: IDS.guild,
  name: 'Campus',
  channels: [{ id: IDS.channel, name: 'lectures' }, ...channels],
  roles: [{ id: IDS.guild, name: '@everyone', permissions: EVERYONE_PERMISSIONS }, { id: IDS.teachersRole, name: 'Teachers' }, { id: IDS.studentsRole, name: 'Students' }],
});

// Teacher and student: permissions computed by the fake Discord for the invoking channel (roles, overwrites).
export const members = {
  host: { id: IDS.host, username: 'hana', roles: [], permissions: MANAGE_EVENTS | EVERYONE_PERMISSIONS },
  teacher: { id: IDS.teacher, username: 'tomas', roles: [IDS.teachersRole] },
  student: { id: IDS.student, username: 'sofia', roles: [IDS.studentsRole] },
};

export interface Harness {
  readonly app: App;
  readonly discord: FakeDiscord;
  readonly kaltura: FakeKaltura;
  readonly logs: ReturnType<typeof captureLogger>;
  readonly publicUrl: string;
  readonly dir: string;
  /** Stops the app (not the fakes) and starts a new one on the same configuration and database. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The real app (`createApp`, as `serve` builds it) configured like an operator would, pointed
 * at the fake Discord and the fake Kaltura over 127.0.0.1.
 */
export async function startHarness(
  dir: string,
  options: {
    requestTimeout?: string;
    extraYaml?: string;
    extraChannels?: readonly FakeChannelSeed[];
    /** A path after the host in `http.publicUrl` (as behind a proxy that strips it); links must then be fetched without it. */
    publicUrlPath?: string;
    /** More servers the bot is in (each needs its own channels and @everyone role). */
    extraGuilds?: readonly FakeGuildSeed[];
    /**
     * The video library as an operator sets it up: `discord.clientSecret` is the fake Discord's (the
     * Activity, Watch together, is on) and `kaltura.cdnUrl` is the fake Kaltura (its playManifest).
     */
    media?: boolean;
    /**
     * `discord.mode: http`: no gateway; the fake Discord POSTs signed interactions to
     * `<publicUrl>/interactions` (its Interactions Endpoint URL) and takes the HTTP response as the answer.
     */
    http?: boolean;
    /** `storage.driver: postgres` with this URL instead of a SQLite file. */
    postgresUrl?: string;
  } = {},
): Promise<Harness> {
  const kaltura = await startFakeKaltura();
  const discord = await startFakeDiscord({
    applicationId: IDS.app,
    token: GOOD.token,
    guilds: [campusGuild([{ id: IDS.announcements, name: 'announcements' }, ...(options.extraChannels ?? [])]), ...(options.extraGuilds ?? [])],
  });
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}${options.publicUrlPath ?? ''}`;
  const file = path.join(dir, 'kaltura-discord.yaml');
  fs.writeFileSync(file, `discord:
  token: ${GOOD.token}
  applicationId: "${IDS.app}"
  apiBaseUrl: ${discord.apiBaseUrl}
${options.media ? `  clientSecret: ${discord.clientSecret}\n` : ''}${options.http ? `  mode: http\n  publicKey: ${discord.verifyKey}\n` : ''}kaltura:
  partnerId: ${kaltura.partnerId}
  adminSecret: ${kaltura.adminSecret}
  serviceUrl: ${kaltura.url}
  kafUrl: ${kaltura.kafUrl}
  requestTimeout: ${options.requestTimeout ?? '5s'}
${options.media ? `  cdnUrl: ${kaltura.url}\n` : ''}http:
  listen: 127.0.0.1:${port}
  publicUrl: ${publicUrl}
links:
  secret: ${GOOD.linkSecret}
storage:
${options.postgresUrl ? `  driver: postgres\n  url: ${options.postgresUrl}` : '  path: ./state.db'}
defaults:
  roles:
    moderatorRoleIds: ["${IDS.teachersRole}"]
${options.extraYaml ?? ''}`, { mode: 0o600 });
  const logs = captureLogger([GOOD.token, kaltura.adminSecret, GOOD.linkSecret, ...(options.media ? [discord.clientSecret] : [])]);
  let app = await createApp({ config: loadConfig(file, {}), logger: logs.logger, reconcileEveryMs: 200 });
  if (options.http) discord.setInteractionsEndpointUrl(`${publicUrl}/interactions`);
  await app.start();
  let identified = 1;
  if (!options.http) await discord.waitForIdentify({ count: identified });
  return {
    get app() {
      return app;
    },
    discord, kaltura, logs, publicUrl, dir,
    async restart() {
      await app.stop();
      app = await createApp({ config: loadConfig(file, {}), logger: logs.logger, reconcileEveryMs: 200 });
      await app.start();
      if (!options.http) await discord.waitForIdentify({ count: ++identified });
    },
    async close() {
      await app.stop();
      await discord.close();
      await kaltura.close();
    },
  };
}

/** The URL of the first link button in a reply. */
export function linkButtonUrl(reply: { components?: unknown }): string {
  const rows = (reply.components ?? []) as { components: { style: number; url?: string }[] }[];
  const url = rows.flatMap((r) => r.components).find((c) => c.style === 5)?.url;
  if (!url) throw new Error(`no link button in ${JSON.stringify(reply)}`);
  return url;
}

/** The buttons of a message (all action rows). */
export function buttonsOf(message: { components?: unknown }): { label: string; style: number; custom_id?: string; url?: string; disabled?: boolean }[] {
  return ((message.components ?? []) as { components: { label: string; style: number; custom_id?: string; url?: string; disabled?: boolean }[] }[]).flatMap((r) => r.components);
}

export { until } from '../helpers/until';
