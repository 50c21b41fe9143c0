/**
 * What `/kaltura-admin status` asks, wired from the configuration: the same Kaltura and webhook
 * template checks `doctor` runs (each call bounded by 10 s), and the last recording in the
 * database. Part of the composition root: it may use the CLI's check functions and the store.
 */
import type { Config } from './config/config-types';
import type { CheckResult } from './core/health-check';
import type { Logger } from './core/logger';
import type { Store } from './core/ports/store';

const CHECK_TIMEOUT_MS = 10_000;

export interface StatusProbes {
  kaltura(): Promise<readonly CheckResult[]>;
  webhookTemplates?(): Promise<CheckResult>;
  lastRecording(guildId: string): Promise<{ channelId: string; endedAt?: number } | undefined>;
}

export function createStatusProbes(config: Config, store: Store, logger: Logger): StatusProbes {
  const timeoutMs = Math.min(config.kaltura.requestTimeout, CHECK_TIMEOUT_MS);
  return {
    async kaltura() {
      const { runKalturaChecks } = await import('./kaltura/kaltura-checks');
      return runKalturaChecks(config.kaltura, { logger, timeoutMs });
    },
    ...(config.webhooks.enabled && {
      async webhookTemplates(): Promise<CheckResult> {
        const base = { id: 'kaltura.webhook-templates', title: 'Kaltura webhook templates' };
        if (!config.kaltura.adminSecret) return { ...base, status: 'warn', detail: 'not checked: webhooks need the admin secret (kaltura.adminSecret)', fix: 'ask the bot operator to configure kaltura.adminSecret' };
        const [{ openNotificationTemplates }, { evaluateTemplates }, { defaultWebhookUrl }] = await Promise.all([
          import('./kaltura/notification-templates'),
          import('./cli/doctor-webhooks'),
          import('./cli/webhooks-url'),
        ]);
        const templates = openNotificationTemplates(config.kaltura, { logger, timeoutMs, retry: { retries: 0 } });
        try {
          const result = evaluateTemplates(await templates.listBotTemplates(), defaultWebhookUrl(config));
          // The fix names a CLI command the server admin cannot run: say who can.
          return result.fix ? { ...result, fix: 'ask the bot operator to run `kaltura-discord webhooks setup`' } : result;
        } finally {
          templates.close();
        }
      },
    }),
    async lastRecording(guildId) {
      const meeting = await store.meetings.findLastRecorded(guildId);
      return meeting && { channelId: meeting.channelId, ...(meeting.endedAt !== undefined && { endedAt: meeting.endedAt }) };
    },
  };
}
