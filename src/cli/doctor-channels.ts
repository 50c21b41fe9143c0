/**
 * `discord.channels`: can the bot post notifications where the configuration sends them
 * (`defaults.notifications.*.channelId`)? Reads the channel, the bot's member and the guild's
 * roles over REST and computes its permissions with the overwrites (doctor-permissions.ts).
 * @see https://discord.com/developers/docs/resources/channel#get-channel
 * @see https://discord.com/developers/docs/resources/guild#get-guild-member
 * @see https://discord.com/developers/docs/resources/guild#get-guild-roles
 */
import type { Config, NotificationKind } from '../config/config-types';
import type { CheckResult } from '../core/health-check';
import { discordHeaders } from '../discord/discord-headers';
import { effectivePermissions, missingPermissions, requiredPermissions, type Overwrite } from './doctor-permissions';

export const CHANNELS_CHECK_ID = 'discord.channels';
const TITLE = 'Bot permissions in notification channels';
/** Public, announcement and private threads: permissions come from the parent channel. */
const THREAD_TYPES = new Set([10, 11, 12]);

interface ApiAnswer {
  readonly status: number;
  readonly code?: number;
  readonly body: unknown;
}

/** Channel id -> the notification kinds that post there (enabled ones only). */
export function notificationChannels(config: Config): Map<string, NotificationKind[]> {
  const channels = new Map<string, NotificationKind[]>();
  for (const [kind, n] of Object.entries(config.defaults.notifications) as [NotificationKind, Config['defaults']['notifications'][NotificationKind]][]) {
    if (!n.enabled || !n.channelId) continue;
    channels.set(n.channelId, [...(channels.get(n.channelId) ?? []), kind]);
  }
  return channels;
}

export async function checkChannelPermissions(config: Config, timeoutMs = 10_000): Promise<CheckResult> {
  const channels = notificationChannels(config);
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
  const cache = new Map<string, Promise<ApiAnswer>>();
  const cached = (path: string) => {
    let answer = cache.get(path);
    if (!answer) cache.set(path, (answer = get(path)));
    return answer;
  };
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

const GRANT_FIX = 'in Discord, open the channel\'s settings → Permissions, add the bot (or its role) and allow View Channel, Send Messages, Embed Links and Read Message History; or set that notification\'s channelId to another channel';

async function channelProblem(channelId: string, botId: string, get: (path: string) => Promise<ApiAnswer>): Promise<{ detail: string; fix: string } | undefined> {
  const channel = await get(`/channels/${channelId}`);
  if (channel.status === 404 || channel.code === 10003) {
    return { detail: 'does not exist (Unknown Channel)', fix: 'correct the channelId in defaults.notifications (right-click the channel → Copy Channel ID, with Developer Mode on)' };
  }
  if (channel.status === 403) return { detail: 'the bot cannot see it (Missing Access 50001): View Channel is missing', fix: GRANT_FIX };
  if (channel.status !== 200) return { detail: `Discord answered HTTP ${channel.status} for the channel`, fix: 'run doctor again; if it persists, check Discord\'s status page' };
  let target = channel.body as { guild_id?: string; type?: number; parent_id?: string | null; permission_overwrites?: Overwrite[] };
  const thread = THREAD_TYPES.has(target.type ?? 0);
  if (thread && target.parent_id) {
    const parent = await get(`/channels/${target.parent_id}`);
    if (parent.status !== 200) return { detail: `is a thread whose parent channel ${target.parent_id} the bot cannot read (HTTP ${parent.status})`, fix: GRANT_FIX };
    target = parent.body as typeof target;
  }
  const guildId = target.guild_id;
  if (!guildId) return { detail: 'is not a server channel (a DM?)', fix: 'notifications go to server text channels; set another channelId' };
  const [member, roles] = await Promise.all([get(`/guilds/${guildId}/members/${botId}`), get(`/guilds/${guildId}/roles`)]);
  if (member.status !== 200) return { detail: `the bot is not a member of its server ${guildId} (HTTP ${member.status})`, fix: 'invite the bot to that server again (`kaltura-discord init` prints the invite link)' };
  if (roles.status !== 200) return { detail: `could not read the server's roles (HTTP ${roles.status})`, fix: 'run doctor again' };
  const have = effectivePermissions({
    guildId,
    memberId: botId,
    memberRoleIds: (member.body as { roles?: string[] }).roles ?? [],
    roles: new Map(((roles.body as { id: string; permissions: string }[]) ?? []).map((r) => [r.id, r.permissions])),
    overwrites: target.permission_overwrites ?? [],
  });
  const missing = missingPermissions(have, requiredPermissions(thread));
  if (missing.length === 0) return undefined;
  return { detail: `missing ${missing.join(', ')}`, fix: GRANT_FIX };
}
