/**
 * `/kaltura-admin status`: one server's health as its admins can act on it, like `doctor` for the
 * operator — Kaltura reachable, the bot's permissions in the channels this server uses, the webhook
 * templates, notifications waiting or given up, the last recording seen, the bot's version. Each
 * problem comes with its fix. Every probe is bounded by the adapters' own timeouts; a probe that
 * throws becomes a failed line, never a failed command.
 */
import type { CheckResult } from '../health-check';
import type { Logger } from '../logger';
import type { NotificationPolicyLookup } from '../notifications/notification-policy';
import type { BotChannelAccess, BotChannelProblem } from '../ports/bot-channel-access';

export interface ServerStatusDeps {
  readonly version: string;
  /** The Kaltura checks (reachability, credentials, …) as `doctor` runs them. */
  readonly kaltura: () => Promise<readonly CheckResult[]>;
  /** The webhook template check; absent when webhooks are off. */
  readonly webhookTemplates?: () => Promise<CheckResult>;
  readonly channels: BotChannelAccess;
  readonly notificationPolicyFor: NotificationPolicyLookup;
  /** Channels of this server's live meetings. */
  readonly liveMeetingChannels: (guildId: string) => Promise<readonly string[]>;
  readonly notificationStats: () => Promise<NotificationCounts>;
  /**
   * The channel of the meeting whose recording was seen last. Not its title: an admin may not see
   * that channel, and Discord shows a channel mention only to those who can.
   */
  readonly lastRecording: (guildId: string) => Promise<{ readonly channelId: string; readonly endedAt?: number } | undefined>;
  readonly logger: Logger;
  readonly now: () => number;
}

/** What `notificationStats` reports (the whole bot's outbox and inbox). */
export interface NotificationCounts {
  readonly outbox: { readonly pending: number; readonly dead: number; readonly oldestPendingAgeMs?: number };
  readonly inbox: { readonly pending: number; readonly dead: number };
}

export interface StatusRequest {
  readonly guildId: string;
  /** Where the admin asked, and what the bot may not do there (from the interaction itself). */
  readonly here: { readonly channelId: string; readonly missing: readonly string[] };
}

export interface ServerStatus {
  readonly checks: readonly CheckResult[];
  readonly version: string;
}

const GRANT = "open that channel's settings → Permissions, add the bot's role and allow View Channel, Send Messages (Send Messages in Threads for a thread), Embed Links and Read Message History";
const channelFix = (problem: BotChannelProblem, usedFor: string): string =>
  problem.kind === 'unknown-channel'
    ? `the channel no longer exists: choose another with \`/kaltura-admin settings set-channel\` (${usedFor}), or \`/kaltura-admin settings reset\` it`
    : problem.kind === 'not-in-server'
      ? 'the bot is not in this server any more: invite it again'
      : problem.kind === 'unreadable'
        ? 'Discord did not answer: run the status again in a minute'
        : GRANT;

export function createServerStatus(deps: ServerStatusDeps): (request: StatusRequest) => Promise<ServerStatus> {
  const guarded = async (title: string, id: string, run: () => Promise<readonly CheckResult[]>): Promise<readonly CheckResult[]> => {
    try {
      return await run();
    } catch (err) {
      deps.logger.warn({ err, check: id }, 'a status check failed');
      return [{ id, title, status: 'fail', detail: 'could not be checked (see the bot log)', fix: 'run the status again in a minute; if it persists, ask the bot operator to run `kaltura-discord doctor`' }];
    }
  };

  async function channelChecks(request: StatusRequest): Promise<CheckResult[]> {
    const uses = new Map<string, string[]>();
    const add = (channelId: string, use: string) => uses.set(channelId, [...(uses.get(channelId) ?? []), use]);
    const policy = await deps.notificationPolicyFor(request.guildId);
    for (const [kind, n] of Object.entries(policy)) if (n.enabled && n.channelId) add(n.channelId, `${kind} notifications`);
    for (const channelId of await deps.liveMeetingChannels(request.guildId)) add(channelId, 'a live meeting card');
    const lines: string[] = [];
    const fixes = new Set<string>();
    const here = request.here;
    if (here.missing.length > 0) {
      lines.push(`<#${here.channelId}> (here): missing ${here.missing.join(', ')}`);
      fixes.add(GRANT);
    } else {
      lines.push(`<#${here.channelId}> (here): can post meeting cards`);
    }
    uses.delete(here.channelId);
    const answers = await Promise.all(
      [...uses].map(async ([channelId, used]) => {
        try {
          return { channelId, used, problem: await deps.channels.problemIn(channelId) };
        } catch (err) {
          deps.logger.warn({ err, channelId }, 'could not check the bot permissions in a channel');
          return { channelId, used, problem: { kind: 'unreadable' as const, detail: 'could not be checked' } };
        }
      }),
    );
    for (const { channelId, used, problem } of answers) {
      const label = `<#${channelId}> (${used.join(', ')})`;
      if (!problem) {
        lines.push(`${label}: can post`);
        continue;
      }
      lines.push(`${label}: ${problem.detail}`);
      fixes.add(channelFix(problem, used.join(', ')));
    }
    const failed = answers.some((a) => a.problem && a.problem.kind !== 'unreadable') || here.missing.length > 0;
    const status = failed ? 'fail' : answers.some((a) => a.problem) ? 'warn' : 'ok';
    return [{ id: 'discord.channels', title: 'Bot permissions in this server\'s channels', status, detail: lines.join('\n'), ...(fixes.size > 0 ? { fix: [...fixes].join('; ') } : {}) }];
  }

  async function notificationCheck(): Promise<CheckResult> {
    const { outbox, inbox } = await deps.notificationStats();
    const base = { id: 'notifications', title: 'Notifications (whole bot)' };
    const pending = `${outbox.pending} message(s) waiting to be posted${outbox.oldestPendingAgeMs !== undefined ? ` (oldest ${Math.round(outbox.oldestPendingAgeMs / 60_000)} min)` : ''}, ${inbox.pending} Kaltura event(s) waiting`;
    if (outbox.dead > 0 || inbox.dead > 0) {
      return {
        ...base,
        status: 'fail',
        detail: `${outbox.dead} message(s) given up (dead), ${inbox.dead} Kaltura event(s) given up; ${pending}`,
        fix: 'a notification channel lost the bot\'s permissions (see the channel line above) or was deleted; fix it, and ask the bot operator to check the log for "dead"',
      };
    }
    if ((outbox.oldestPendingAgeMs ?? 0) > 10 * 60_000) return { ...base, status: 'warn', detail: pending, fix: 'messages wait while Discord rate-limits the bot or a channel refuses it; check the channel line above' };
    return { ...base, status: 'ok', detail: pending };
  }

  async function recordingCheck(guildId: string): Promise<CheckResult> {
    const last = await deps.lastRecording(guildId);
    const base = { id: 'recordings.last', title: 'Last recording seen' };
    if (!last) return { ...base, status: 'ok', detail: 'none yet for this server\'s meetings' };
    const when = last.endedAt !== undefined ? ` (meeting ended <t:${Math.floor(last.endedAt / 1000)}:R>)` : '';
    return { ...base, status: 'ok', detail: `a meeting in <#${last.channelId}>${when}` };
  }

  return async (request) => {
    const [kaltura, templates, channels, notifications, recordings] = await Promise.all([
      guarded('Kaltura', 'kaltura', deps.kaltura),
      deps.webhookTemplates ? guarded('Kaltura webhook templates', 'kaltura.webhook-templates', async () => [await deps.webhookTemplates!()]) : Promise.resolve([] as CheckResult[]),
      guarded("Bot permissions in this server's channels", 'discord.channels', () => channelChecks(request)),
      // The database may be unreachable (PostgreSQL restarting): a failed line, not a failed command.
      guarded('Notifications (whole bot)', 'notifications', async () => [await notificationCheck()]),
      guarded('Last recording seen', 'recordings.last', async () => [await recordingCheck(request.guildId)]),
    ]);
    return {
      version: deps.version,
      checks: [...kaltura, ...templates, ...channels, ...notifications, ...recordings, { id: 'version', title: 'Bot version', status: 'ok', detail: deps.version }],
    };
  };
}
