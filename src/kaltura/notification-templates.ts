/**
 * The bot's Kaltura webhook templates (HTTP event notifications). Partners cannot `add`
 * templates; they clone a system template (partner 0) with overrides and activate the clone.
 * Ours are recognised by systemName (`kaltura_discord_*`): an existing one is updated in
 * place and (re)activated, a missing one cloned. Running setup twice writes nothing the second
 * time. Templates that are not ours are never changed or deleted.
 * @see https://developer.kaltura.com/api-docs/service/eventNotificationTemplate
 * @see /work/shared/reference/kaltura-api.md §4.1
 */
import type { KalturaConfig } from '../config/config-types';
import type { Logger } from '../core/logger';
import type { AdminCall } from './admin-call';
import { isPrimaryAdminSecret } from './check-primary-secret';
import { createKalturaContext } from './kaltura-context';
import { NO_ADMIN_SECRET_FIX, NO_ADMIN_SECRET_MESSAGE, NotificationTemplateError, toTemplateError } from './notification-templates-errors';
import {
  BOT_TEMPLATES,
  cloneOverrides,
  deliveryFields,
  deliveryDifferences,
  parseTemplate,
  pickOwn,
  pickSource,
  statusName,
  TEMPLATE_STATUS,
  type BotTemplateKey,
  type BotTemplateSpec,
  type TemplateInfo,
} from './notification-templates-plan';
import { asList } from './parse';
import type { Redactor } from './redact';
import type { RetryPolicy } from './transport';

export interface BotTemplateState {
  readonly spec: BotTemplateSpec;
  /** The template we manage for this spec, if the partner has one. */
  readonly template?: TemplateInfo;
  /** Further templates with our systemName (left alone; reported). */
  readonly duplicates: readonly TemplateInfo[];
}

/** With `dryRun`, `created`/`updated` mean "would be". */
export type SetupOutcome = 'created' | 'updated' | 'unchanged' | 'unavailable';

export interface TemplateSetupResult {
  readonly spec: BotTemplateSpec;
  readonly outcome: SetupOutcome;
  readonly dryRun: boolean;
  /** Absent for a template that was not (or would not be) created. */
  readonly templateId?: number;
  /** The system template cloned (or that would be). */
  readonly source?: { readonly id: number; readonly systemName?: string };
  /** What was (or would be) changed, in words, e.g. `status DISABLED → ACTIVE`. */
  readonly changes: readonly string[];
  /** Why an optional template is `unavailable`. */
  readonly reason?: string;
  readonly duplicateIds: readonly number[];
}

export interface SetupTemplatesOptions {
  /** Where Kaltura should POST, e.g. `https://bot.example.org/webhooks/kaltura`. */
  readonly url: string;
  readonly dryRun?: boolean;
}

export interface NotificationTemplates {
  listBotTemplates(): Promise<BotTemplateState[]>;
  setupTemplates(options: SetupTemplatesOptions): Promise<TemplateSetupResult[]>;
}

/** A planned step; `rewrite`/`activate` say which calls an update needs. */
type Step = { -readonly [K in keyof TemplateSetupResult]: TemplateSetupResult[K] } & { readonly rewrite: boolean; readonly activate: boolean };

const SERVICE = 'eventNotificationTemplate';
const FILTER = 'KalturaEventNotificationTemplateFilter';
/**
 * Both lists are paged (KalturaFilterPager: 30 a page by default, at most 500,
 * `baseObjectFilter::getMaxInValues`; kaltura/server plugins/event_notification/services/
 * EventNotificationTemplateService.php), and a server holds hundreds of system templates
 * (email, push, Kafka, HTTP), so every list is filtered and read page by page until
 * `totalCount` is reached. The page count is bounded so a misbehaving server cannot keep us
 * reading for ever.
 */
const PAGE_SIZE = 500;
const MAX_PAGES = 20;
const HTTP_TYPE = 'httpNotification.Http';

export function createNotificationTemplates(deps: { readonly call: AdminCall; readonly partnerId: number }): NotificationTemplates {
  const { call, partnerId } = deps;

  const guarded = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      throw toTemplateError(err, partnerId);
    }
  };

  /** Every template a filter matches, page by page. */
  async function listAll(action: 'list' | 'listTemplates', filter: Record<string, string>): Promise<TemplateInfo[]> {
    const out: TemplateInfo[] = [];
    for (let pageIndex = 1; pageIndex <= MAX_PAGES; pageIndex++) {
      const pager = { objectType: 'KalturaFilterPager', pageSize: PAGE_SIZE, pageIndex };
      const page = await call({
        service: SERVICE,
        action,
        kind: 'read',
        build: (s) =>
          action === 'list' ? s.eventNotificationTemplate.listAction({ objectType: FILTER, ...filter }, pager) : s.eventNotificationTemplate.listTemplates({ objectType: FILTER, ...filter }, pager),
        parse: (raw) => asList(raw, parseTemplate),
      });
      out.push(...page.objects);
      if (page.objects.length === 0 || out.length >= page.totalCount) return out;
    }
    return out;
  }

  /** The partner's own templates that carry one of our systemNames. */
  const listOwn = () => listAll('list', { systemNameIn: BOT_TEMPLATES.map((t) => t.systemName).join(',') });

  /** The system templates that could be the source of `spec`: by systemName, else every HTTP one. */
  const listSources = (spec: BotTemplateSpec) =>
    listAll('listTemplates', spec.source.systemName !== undefined ? { systemNameEqual: spec.source.systemName } : { typeEqual: HTTP_TYPE });

  const updateStatus = (id: number, status: number) =>
    call({ service: SERVICE, action: 'updateStatus', kind: 'idempotent', build: (s) => s.eventNotificationTemplate.updateStatus(id, status), parse: parseTemplate });

  async function states(): Promise<BotTemplateState[]> {
    const own = await listOwn();
    return BOT_TEMPLATES.map((spec): BotTemplateState => {
      const { template, duplicates } = pickOwn(spec, own);
      return template ? { spec, template, duplicates } : { spec, duplicates };
    });
  }

  async function plan(url: string, dryRun: boolean): Promise<Step[]> {
    const found = await states();
    const sources = new Map<BotTemplateKey, TemplateInfo[]>();
    for (const { spec, template } of found) if (!template) sources.set(spec.key, await listSources(spec));
    return found.map(({ spec, template, duplicates }): Step => {
      const base = { spec, dryRun, duplicateIds: duplicates.map((d) => d.id), rewrite: false, activate: false };
      if (template) {
        const delivery = deliveryDifferences(spec, template, url);
        const activate = template.status !== TEMPLATE_STATUS.ACTIVE;
        const changes = activate ? [...delivery, `status ${statusName(template.status)} → ACTIVE`] : delivery;
        return { ...base, outcome: changes.length > 0 ? 'updated' : 'unchanged', templateId: template.id, changes, rewrite: delivery.length > 0, activate };
      }
      const source = pickSource(spec, sources.get(spec.key) ?? []);
      if (source) {
        return { ...base, outcome: 'created', source: { id: source.id, ...(source.systemName !== undefined && { systemName: source.systemName }) }, changes: [] };
      }
      const reason = `this Kaltura server offers no system template to clone (looked for ${spec.source.describe} in eventNotificationTemplate.listTemplates)`;
      if (spec.required) {
        throw new NotificationTemplateError(
          'no-system-template',
          `Cannot set up "${spec.label}": ${reason}`,
          `Ask Kaltura to enable HTTP event notifications with the standard templates for partner ${partnerId}.`,
          false,
        );
      }
      return { ...base, outcome: 'unavailable', reason, changes: [] };
    });
  }

  async function apply(step: Step, url: string): Promise<void> {
    const { spec } = step;
    if (step.outcome === 'created' && step.source) {
      const sourceId = step.source.id;
      const clone = await call({
        service: SERVICE,
        action: 'clone',
        kind: 'create',
        build: (s) => s.eventNotificationTemplate.cloneAction(sourceId, cloneOverrides(spec, url)),
        parse: parseTemplate,
      });
      // clones start DISABLED; if this call fails, the next setup finds the clone and activates it
      step.templateId = clone.id;
      if (clone.status !== TEMPLATE_STATUS.ACTIVE) await updateStatus(clone.id, TEMPLATE_STATUS.ACTIVE);
      return;
    }
    if (step.outcome === 'updated' && step.templateId !== undefined) {
      const id = step.templateId;
      if (step.rewrite) {
        await call({
          service: SERVICE,
          action: 'update',
          kind: 'idempotent',
          build: (s) => s.eventNotificationTemplate.update(id, { objectType: 'KalturaHttpNotificationTemplate', ...deliveryFields(spec, url) }),
          parse: parseTemplate,
        });
      }
      if (step.activate) await updateStatus(id, TEMPLATE_STATUS.ACTIVE);
    }
  }

  const publish = ({ rewrite: _r, activate: _a, ...result }: Step): TemplateSetupResult => result;

  return {
    listBotTemplates: () => guarded(states),
    setupTemplates: ({ url, dryRun = false }) =>
      guarded(async () => {
        if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) throw new TypeError(`not an absolute http(s) URL: ${url}`);
        const steps = await plan(url, dryRun);
        // one at a time: after a failure, the next run sees a clear state and finishes the job
        if (!dryRun) for (const step of steps) await apply(step, url);
        return steps.map(publish);
      }),
  };
}

export interface OpenNotificationTemplatesOptions {
  readonly logger: Logger;
  /** Per-call timeout; default the configured one. */
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
}

export interface NotificationTemplatesHandle extends NotificationTemplates {
  /** Removes secrets and KSs from text (for messages built from results). */
  readonly redact: Redactor;
  /**
   * Is the configured admin secret the partner's primary one, the only one Kaltura signs
   * notifications with (`check-primary-secret.ts`)? `undefined` when Kaltura does not say.
   */
  isPrimarySecret(): Promise<boolean | undefined>;
  /** Releases the adapter's sockets. */
  close(): void;
}

/**
 * A standalone adapter for the CLI and the doctor (the running bot does not manage
 * templates). Admin-secret mode only: in app-token mode the bot could not verify what
 * Kaltura sends, so setting templates up would only produce rejected notifications.
 */
export function openNotificationTemplates(config: KalturaConfig, options: OpenNotificationTemplatesOptions): NotificationTemplatesHandle {
  if (!config.adminSecret) throw new NotificationTemplateError('no-admin-secret', NO_ADMIN_SECRET_MESSAGE, NO_ADMIN_SECRET_FIX, false);
  const ctx = createKalturaContext({
    config: options.timeoutMs !== undefined ? { ...config, requestTimeout: options.timeoutMs } : config,
    logger: options.logger,
    ...(options.retry && { retry: options.retry }),
  });
  return {
    ...createNotificationTemplates({ call: ctx.call, partnerId: config.partnerId }),
    redact: ctx.redact,
    isPrimarySecret: () => isPrimaryAdminSecret(ctx, config.adminSecret!).catch(() => undefined),
    close: () => ctx.transport.close(),
  };
}
