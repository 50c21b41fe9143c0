/**
 * `discord.channels`: can the bot post notifications where the configuration sends them
 * (`defaults.notifications.*.channelId`)? Reads the channel, the bot's member and the guild's
 * roles over REST and computes its permissions with the overwrites (discord/bot-channel-access.ts).
 * Channels chosen per server (`/kaltura-admin settings set-channel`) are read from the database
 * and checked the same way.
 * @see https://discord.com/developers/docs/resources/channel#get-channel
 * @see https://discord.com/developers/docs/resources/guild#get-guild-member
 * @see https://discord.com/developers/docs/resources/guild#get-guild-roles
 */
import type { Config, NotificationKind } from '../config/config-types';
import type { CheckResult } from '../core/health-check';
import { discordHeaders } from '../discord/discord-headers';
import { botChannelProblem, cachedGet, GRANT_PERMISSIONS_HINT, type ApiAnswer, type ApiGet, type ChannelProblem } from '../discord/bot-channel-access';
import { inspectStorage, type InspectedStorage } from './inspect-storage';

export const CHANNELS_CHECK_ID = 'discord.channels';
const TITLE = 'Bot permissions in notification channels';


/** Channel id -> the notification kinds that post there (enabled ones only). */
export function notificationChannels(config: Config): Map<string, string[]> {
  const channels = new Map<string, string[]>();
  for (const [kind, n] of Object.entries(config.defaults.notifications) as [NotificationKind, Config['defaults']['notifications'][NotificationKind]][]) {
    if (!n.enabled || !n.channelId) continue;
    channels.set(n.channelId, [...(channels.get(n.channelId) ?? []), kind]);
  }
  return channels;
}

/**
 * Channels that server admins chose with `/kaltura-admin settings set-channel` (or `config set
 * --guild`), for notifications enabled on that server: channel id -> `kind on server <id>` labels.
 * A missing or older database has none.
 */
export async function perServerNotificationChannels(config: Config, env: NodeJS.ProcessEnv): Promise<Map<string, string[]>> {
  const channels = new Map<string, string[]>();
  let inspected: InspectedStorage | undefined;
  try {
    inspected = await inspectStorage(config, env);
    // guild_settings came with schema 4.
    if (!inspected || inspected.version < GUILD_SETTINGS_SCHEMA) return channels;
    const rows = await inspected.sql.all<{ guild_id: string; key: string; value: string }>(
      "SELECT guild_id, key, value FROM guild_settings WHERE key LIKE 'notifications.%' ORDER BY guild_id, key",
    );
    const byGuild = new Map<string, Map<string, unknown>>();
    for (const r of rows) {
      const values = byGuild.get(r.guild_id) ?? new Map<string, unknown>();
      values.set(r.key, JSON.parse(r.value));
      byGuild.set(r.guild_id, values);
    }
    for (const [guildId, values] of byGuild) {
      for (const [kind, n] of Object.entries(config.defaults.notifications) as [NotificationKind, Config['defaults']['notifications'][NotificationKind]][]) {
        const channelId = values.get(`notifications.${kind}.channelId`);
        const enabled = values.get(`notifications.${kind}.enabled`) ?? n.enabled;
        if (typeof channelId !== 'string' || enabled !== true) continue;
        channels.set(channelId, [...(channels.get(channelId) ?? []), `${kind} on server ${guildId}`]);
      }
    }
  } catch {
    // the database check reports an unreadable database; here it only means no per-server channels to check
  } finally {
    await inspected?.close();
  }
  return channels;
}

const GUILD_SETTINGS_SCHEMA = 4;

export async function checkChannelPermissions(config: Config, timeoutMs = 10_000, env: NodeJS.ProcessEnv = process.env): Promise<CheckResult> {
  const channels = notificationChannels(config);
  for (const [channelId, labels] of await perServerNotificationChannels(config, env)) channels.set(channelId, [...(channels.get(channelId) ?? []), ...labels]);
  if (channels.size === 0) {
    return { id: CHANNELS_CHECK_ID, title: TITLE, status: 'ok', detail: 'no notification channel is configured: notifications go to the meeting\'s own channel' };
  }
  const base = `${config.discord.apiBaseUrl}/v10`;
  const get = async (path: string): Promise<ApiAnswer> => {
    const res = await fetch(`${base}${path}`, { headers: discordHeaders(config.discord.token), signal: AbortSignal.timeout(timeoutMs) });
    const body: unknown = await res.json().catch(() => undefined);
    const code = typeof (body as { code?: unknown })?.code === 'number' ? (body as { code: number }).code : undefined;
    return { status: res.status, ...(code !== undefined ? { code } : {}), body };
  };
  const cached = cachedGet(get);
  try {
    const me = await cached('/users/@me');
    if (me.status !== 200) return { id: CHANNELS_CHECK_ID, title: TITLE, status: 'warn', detail: `not checked: Discord answered HTTP ${me.status} for the bot user`, fix: 'fix the Discord bot token check first' };
    const botId = String((me.body as { id: string }).id);
    const lines: string[] = [];
    const fixes = new Set<string>();
    for (const [channelId, kinds] of channels) {
      const problem = await channelProblem(channelId, botId, cached);
      const label = `channel ${channelId} (${kinds.join(', ')})`;
      if (!problem) {
        lines.push(`${label}: View Channel, Send Messages, Embed Links and Read Message History granted`);
        continue;
      }
      lines.push(`${label}: ${problem.detail}`);
      fixes.add(problem.fix);
    }
    if (fixes.size === 0) return { id: CHANNELS_CHECK_ID, title: TITLE, status: 'ok', detail: lines.join('\n') };
    return { id: CHANNELS_CHECK_ID, title: TITLE, status: 'fail', detail: lines.join('\n'), fix: [...fixes].join('; ') };
  } catch (err) {
    return { id: CHANNELS_CHECK_ID, title: TITLE, status: 'fail', detail: `could not ask Discord: ${(err as Error).message}`, fix: `check that this machine can reach ${config.discord.apiBaseUrl}` };
  }
}

const GRANT_FIX = `in Discord, ${GRANT_PERMISSIONS_HINT}; or set that notification's channelId to another channel`;

const FIXES: Record<ChannelProblem['kind'], string> = {
  'unknown-channel': 'correct the channelId in defaults.notifications, or on that server with `/kaltura-admin settings set-channel` (right-click the channel → Copy Channel ID, with Developer Mode on)',
  'missing-permissions': GRANT_FIX,
  'not-in-server': 'invite the bot to that server again (`kaltura-discord init` prints the invite link)',
  unreadable: "run doctor again; if it persists, check Discord's status page",
};

async function channelProblem(channelId: string, botId: string, get: ApiGet): Promise<{ detail: string; fix: string } | undefined> {
  const problem = await botChannelProblem(get, botId, channelId);
  return problem && { detail: problem.detail, fix: FIXES[problem.kind] };
}
