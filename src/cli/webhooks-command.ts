import type { Command } from 'commander';
import type { Config } from '../config/config-types';
import { loadConfig } from '../config/load-config';
import type { NotificationTemplatesHandle } from '../kaltura/notification-templates';
import { NO_ADMIN_SECRET_FIX, NO_ADMIN_SECRET_MESSAGE, NotificationTemplateError } from '../kaltura/notification-templates-errors';
import { createLogger } from '../logging/create-logger';
import { CliError, EXIT } from './cli-error';
import type { CommandContext } from './command-context';
import { secretsOf } from './secrets-of';
import { describeState, printSetupResult, templateStatusJson } from './webhooks-output';
import { defaultWebhookUrl, resolveWebhookUrl } from './webhooks-url';

/** One API call's budget; the CLI is interactive, so fail in seconds rather than minutes. */
const CALL_TIMEOUT_MS = 15_000;

async function withTemplates<T>(config: Config, run: (templates: NotificationTemplatesHandle) => Promise<T>): Promise<T> {
  const { openNotificationTemplates } = await import('../kaltura/notification-templates'); // loads kaltura-client
  const logger = createLogger({ level: 'silent', secrets: secretsOf(config), destination: { write: () => undefined } });
  const templates = openNotificationTemplates(config.kaltura, { logger, timeoutMs: Math.min(config.kaltura.requestTimeout, CALL_TIMEOUT_MS) });
  try {
    return await run(templates);
  } catch (err) {
    if (err instanceof NotificationTemplateError) throw new CliError(`${templates.redact(err.message)}. Fix: ${err.fix}`, EXIT.failure, { cause: err });
    throw err;
  } finally {
    templates.close();
  }
}

/**
 * `webhooks setup` makes Kaltura notify the bot: it clones the system templates the bot needs
 * (or updates the clones made before) so they POST JSON to `<http.publicUrl>/webhooks/kaltura`
 * signed with SHA-256, and activates them. Idempotent; `--dry-run` writes nothing.
 * `webhooks status` shows our templates and whether they match the configuration.
 * @see docs/kaltura.md
 */
export function registerWebhooksCommand(program: Command, ctx: CommandContext): void {
  const webhooks = program.command('webhooks').description('set up and inspect the Kaltura webhook templates (HTTP event notifications)');

  webhooks
    .command('setup')
    .description('create or update the Kaltura templates that notify the bot (changes only what differs)')
    .option('--dry-run', 'show what would change, write nothing')
    .option('--url <url>', 'notify this URL instead of <http.publicUrl>/webhooks/kaltura')
    .action(async (opts: { dryRun?: boolean; url?: string }) => {
      const file = ctx.configPath();
      const config = loadConfig(file, ctx.io.env);
      if (!config.kaltura.adminSecret) throw new CliError(`${NO_ADMIN_SECRET_MESSAGE}. ${NO_ADMIN_SECRET_FIX}`, EXIT.config);
      if (!config.webhooks.enabled) {
        throw new CliError(
          `webhooks.enabled is false in ${file}, so the bot answers 404 at /webhooks/kaltura and Kaltura's notifications would fail. ` +
            'Enable it first: kaltura-discord config set webhooks.enabled true (then restart the bot).',
          EXIT.config,
        );
      }
      const url = resolveWebhookUrl(config, opts.url);
      const out = (line: string) => void ctx.io.stdout.write(`${line}\n`);
      await withTemplates(config, async (templates) => {
        const results = await templates.setupTemplates({ url, dryRun: opts.dryRun ?? false });
        out(`Kaltura webhook templates of partner ${config.kaltura.partnerId}, notifying ${url}:`);
        for (const r of results) printSetupResult(r, out);
        const count = (o: string) => results.filter((r) => r.outcome === o).length;
        if (opts.dryRun) {
          out(count('created') + count('updated') === 0 ? 'Nothing to change.' : 'Dry run: nothing was written.');
        } else {
          out(`Done: ${count('created')} created, ${count('updated')} updated, ${count('unchanged')} unchanged.`);
          if (count('created') + count('updated') > 0) out('Check the whole path with `kaltura-discord doctor` (it sends a signed test notification).');
        }
        if ((await templates.isPrimarySecret()) === false) {
          ctx.io.stderr.write(
            `Warning: kaltura.adminSecret is not partner ${config.kaltura.partnerId}'s primary admin secret. Kaltura signs notifications with the primary one only, ` +
              'so the bot will refuse every one. Fix: put the primary Administrator Secret (KMC > Settings > Integration Settings) into kaltura.adminSecret.\n',
          );
        }
      });
    });

  webhooks
    .command('status')
    .description("show the bot's Kaltura webhook templates and whether they match the configuration")
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const config = loadConfig(ctx.configPath(), ctx.io.env);
      const expectedUrl = defaultWebhookUrl(config);
      const write = (text: string) => void ctx.io.stdout.write(text);
      const head = { partnerId: config.kaltura.partnerId, expectedUrl, webhooksEnabled: config.webhooks.enabled };
      if (!config.kaltura.adminSecret) {
        if (opts.json) write(`${JSON.stringify({ ...head, available: false, reason: NO_ADMIN_SECRET_MESSAGE, templates: [] }, null, 2)}\n`);
        else write(`${NO_ADMIN_SECRET_MESSAGE}.\n${NO_ADMIN_SECRET_FIX}\n`);
        return;
      }
      await withTemplates(config, async (templates) => {
        const states = await templates.listBotTemplates();
        const rows = states.map((s) => templateStatusJson(s, expectedUrl));
        const ok = rows.every((r) => (r.present ? r.upToDate : !r.required));
        if (opts.json) return write(`${JSON.stringify({ ...head, available: true, ok, templates: rows }, null, 2)}\n`);
        write(`Kaltura webhook templates of partner ${config.kaltura.partnerId} (configured URL: ${expectedUrl}):\n`);
        for (const s of states) for (const line of describeState(s, expectedUrl)) write(`${line}\n`);
        if (!config.webhooks.enabled) write('Note: webhooks.enabled is false, so the bot answers 404 to these notifications.\n');
        write(ok ? 'Everything is in place.\n' : 'Run `kaltura-discord webhooks setup` to fix what is listed above (add --dry-run to preview).\n');
      });
    });
}
