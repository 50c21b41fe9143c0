/**
 * `kaltura-discord doctor` checks for webhooks, run after the Kaltura checks when
 * `webhooks.enabled`: are our templates in place on Kaltura (`kaltura.webhook-templates`),
 * and does a notification signed like Kaltura's get through the public URL to the bot
 * (`webhooks.self-test`). The Kaltura adapter is loaded only when the checks run.
 */
import type { Config } from '../config/config-types';
import type { CheckResult } from '../core/health-check';
import { NO_ADMIN_SECRET_FIX, NO_ADMIN_SECRET_MESSAGE, NotificationTemplateError } from '../kaltura/notification-templates-errors';
import type { BotTemplateState } from '../kaltura/notification-templates';
import { deliveryDifferences, hashAlgoName, HTTP_METHOD_POST, sameUrl, statusName, TEMPLATE_STATUS } from '../kaltura/notification-templates-plan';
import { createLogger } from '../logging/create-logger';
import { defaultWebhookUrl } from './webhooks-url';
import { runWebhookSelfTest, SELF_TEST_ID, SELF_TEST_MAX_TIMEOUT_MS } from './webhooks-self-test';
import { secretsOf } from './secrets-of';

export const TEMPLATES_CHECK_ID = 'kaltura.webhook-templates';
const TEMPLATES_TITLE = 'Kaltura webhook templates';
const SETUP_FIX = 'Run `kaltura-discord webhooks setup` (add --dry-run to see the changes first).';

export interface WebhookDoctorOptions {
  /** For tests; default the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** Per request; at most 10 s. */
  readonly timeoutMs?: number;
}

/** Judges our templates against the configured URL: wrong URL, status or method fail; weaker signatures or bodies warn. */
export function evaluateTemplates(states: readonly BotTemplateState[], url: string): CheckResult {
  const base = { id: TEMPLATES_CHECK_ID, title: TEMPLATES_TITLE };
  const lines: string[] = [];
  let worst: CheckResult['status'] = 'ok';
  const raise = (level: 'warn' | 'fail') => {
    if (level === 'fail' || worst === 'ok') worst = level;
  };
  for (const { spec, template, duplicates } of states) {
    if (!template) {
      if (spec.required) {
        raise('fail');
        lines.push(`${spec.systemName} (${spec.label}) does not exist`);
      } else {
        lines.push(`${spec.systemName} (${spec.label}, optional) is not set up; not every Kaltura server offers a template to clone for it`);
      }
      continue;
    }
    const serious = spec.required ? 'fail' : 'warn';
    const problems: string[] = [];
    if (template.status !== TEMPLATE_STATUS.ACTIVE) {
      raise(serious);
      problems.push(`is ${statusName(template.status)}, so Kaltura sends nothing`);
    }
    if (!sameUrl(template.url, url)) {
      raise(serious);
      problems.push(`posts to ${template.url ?? '(no URL)'}, not ${url}`);
    }
    if (template.method !== HTTP_METHOD_POST) raise(serious);
    const rest = deliveryDifferences(spec, template, url).filter((d) => !d.startsWith('url '));
    if (rest.length > 0) {
      raise('warn');
      problems.push(`differs from what setup makes: ${rest.join(', ')}`);
    }
    const name = `${spec.systemName} (#${template.id})`;
    lines.push(
      problems.length === 0
        ? `${name} is ACTIVE and POSTs JSON to ${url}, signed with ${hashAlgoName(template.secureHashingAlgo)}`
        : `${name} ${problems.join('; ')}`,
    );
    if (duplicates.length > 0) lines.push(`  also found ${duplicates.map((d) => `#${d.id} (${statusName(d.status)})`).join(', ')} with the same systemName; left alone`);
  }
  return worst === 'ok' ? { ...base, status: 'ok', detail: lines.join('\n') } : { ...base, status: worst, detail: lines.join('\n'), fix: SETUP_FIX };
}

async function checkTemplates(config: Config, earlier: readonly CheckResult[] | Promise<readonly CheckResult[]>, timeoutMs: number): Promise<CheckResult> {
  const base = { id: TEMPLATES_CHECK_ID, title: TEMPLATES_TITLE };
  const credentials = (await earlier).find((r) => r.id === 'kaltura.credentials');
  if (credentials && credentials.status !== 'ok') {
    return { ...base, status: 'warn', detail: 'Not checked: no working Kaltura session', fix: 'Fix the "Kaltura credentials" check first.' };
  }
  const { openNotificationTemplates } = await import('../kaltura/notification-templates');
  const logger = createLogger({ level: 'silent', secrets: secretsOf(config), destination: { write: () => undefined } });
  const templates = openNotificationTemplates(config.kaltura, { logger, timeoutMs, retry: { retries: 0 } });
  try {
    return evaluateTemplates(await templates.listBotTemplates(), defaultWebhookUrl(config));
  } catch (err) {
    if (err instanceof NotificationTemplateError) return { ...base, status: 'fail', detail: templates.redact(err.message), fix: err.fix };
    return { ...base, status: 'fail', detail: `Could not list the templates: ${templates.redact(err instanceof Error ? err.message : String(err))}`, fix: 'Run again with KALTURA_DISCORD_DEBUG=1 and report the message.' };
  } finally {
    templates.close();
  }
}

/**
 * Both webhook checks; `earlier` are the Kaltura results, or their promise (the credentials
 * outcome gates the template check, while the self-test starts at once).
 */
export async function runWebhookDoctorChecks(config: Config, earlier: readonly CheckResult[] | Promise<readonly CheckResult[]>, options: WebhookDoctorOptions = {}): Promise<CheckResult[]> {
  const timeoutMs = Math.min(options.timeoutMs ?? SELF_TEST_MAX_TIMEOUT_MS, SELF_TEST_MAX_TIMEOUT_MS, config.kaltura.requestTimeout);
  const secret = config.kaltura.adminSecret;
  if (!secret) {
    const detail = `Not checked: ${NO_ADMIN_SECRET_MESSAGE}`;
    return [
      { id: TEMPLATES_CHECK_ID, title: TEMPLATES_TITLE, status: 'warn', detail, fix: NO_ADMIN_SECRET_FIX },
      { id: SELF_TEST_ID, title: 'Webhook self-test through the public URL', status: 'warn', detail, fix: NO_ADMIN_SECRET_FIX },
    ];
  }
  const [templates, selfTest] = await Promise.all([
    checkTemplates(config, earlier, timeoutMs),
    runWebhookSelfTest({
      url: defaultWebhookUrl(config),
      adminSecret: secret,
      listen: config.http.listen,
      timeoutMs: Math.min(options.timeoutMs ?? SELF_TEST_MAX_TIMEOUT_MS, SELF_TEST_MAX_TIMEOUT_MS),
      ...(options.fetch && { fetch: options.fetch }),
    }),
  ]);
  return [templates, selfTest];
}
