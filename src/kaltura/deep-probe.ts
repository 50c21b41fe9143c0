/**
 * `kaltura-discord doctor --deep`: proves, by doing it, that the account lets the bot do what a
 * meeting needs, then removes everything it made, also when a step fails:
 * - a category, and a template media entry in it (a category entry);
 * - a room resource, a session (event) using the template entry, linked to the room, shortened
 *   and cancelled as End does; then event, link, room, entry and category are deleted, which is
 *   what the bot's cleanup needs;
 * - a moderator launch of that room through KAF (`kaf-probe.ts`);
 * - the notification templates: the system template by systemName, our own, and a clone of the
 *   recording template, disabled and marked DELETED straight away.
 * Each refusal names the permission to ask Kaltura for (`deep-permissions.ts`). Every object is
 * named `kaltura-discord doctor …` so a leftover is recognisable; leftovers are listed with
 * their ids. Admin-secret or app-token sessions, as configured.
 */
import type { KalturaConfig } from '../config/config-types';
import type { CheckResult } from '../core/health-check';
import type { Logger } from '../core/logger';
import type { Clock } from '../core/ports/clock';
import { explainFailure } from './deep-permissions';
import { fetchKaf, judgeKafLaunch, KAF_LAUNCH_PATH } from './kaf-probe';
import { createKalturaContext, type KalturaContext } from './kaltura-context';
import { BOT_TEMPLATES, parseTemplate, TEMPLATE_STATUS } from './notification-templates-plan';
import { asList, asRecord, intField, strField } from './parse';
import { buildRoomPrivileges } from './privileges';
import type { CallSpec } from './transport';

export interface DeepProbeOptions {
  readonly logger: Logger;
  /** Per request; default the configured one, at most 15 s. */
  readonly timeoutMs?: number;
  readonly clock?: Clock;
  /** For tests; default the global `fetch`. */
  readonly fetch?: typeof fetch;
}

type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false };

interface Group {
  readonly id: string;
  readonly title: string;
  readonly done: string[];
  readonly problems: string[];
  readonly fixes: string[];
  skipped?: string;
}

interface Made {
  readonly what: string;
  readonly call: string;
  readonly group: Group;
  readonly remove: () => Promise<unknown>;
}

const PROBE = 'kaltura-discord doctor';
const ignore = () => undefined;

function newGroup(id: string, title: string): Group {
  return { id, title, done: [], problems: [], fixes: [] };
}

function toResult(g: Group): CheckResult {
  if (g.problems.length > 0) return { id: g.id, title: g.title, status: 'fail', detail: [...g.problems, ...g.done.map((d) => `(${d})`)].join('\n'), fix: [...new Set(g.fixes)].join('\n') };
  if (g.skipped) return { id: g.id, title: g.title, status: 'warn', detail: `Not checked: ${g.skipped}`, fix: 'Fix the failures above first.' };
  return { id: g.id, title: g.title, status: 'ok', detail: g.done.join('; ') };
}

export async function runDeepProbe(config: KalturaConfig, options: DeepProbeOptions): Promise<CheckResult[]> {
  const timeoutMs = Math.min(options.timeoutMs ?? config.requestTimeout, 15_000);
  const ctx = createKalturaContext({ config: { ...config, requestTimeout: timeoutMs }, logger: options.logger, retry: { retries: 1 }, ...(options.clock && { clock: options.clock }) });
  try {
    const results = await probe(ctx, options.fetch ?? fetch, timeoutMs);
    return results.map((r) => ({ ...r, detail: ctx.redact(r.detail), ...(r.fix !== undefined && { fix: ctx.redact(r.fix) }) }));
  } finally {
    ctx.transport.close();
  }
}

async function probe(ctx: KalturaContext, fetchImpl: typeof fetch, timeoutMs: number): Promise<CheckResult[]> {
  const pid = ctx.config.partnerId;
  const tag = Buffer.from(ctx.random(6)).toString('hex');
  const nowS = () => Math.floor(ctx.clock.now() / 1000);
  const made: Made[] = [];
  const category = newGroup('kaltura.deep.category', 'Deep: create and remove a category');
  const entry = newGroup('kaltura.deep.template-entry', 'Deep: create and remove a template entry');
  const rooms = newGroup('kaltura.deep.rooms', 'Deep: create, end and remove a room and its session');
  const kaf = newGroup('kaltura.deep.kaf-launch', 'Deep: KAF launches the room');
  const templates = newGroup('kaltura.deep.notification-templates', 'Deep: manage webhook templates');
  const cleanup = newGroup('kaltura.deep.cleanup', 'Deep: nothing left behind');

  /** One call; a failure is written into `group` with its fix. */
  async function step<T>(group: Group, call: string, spec: Omit<CallSpec<T>, 'ks'>): Promise<Outcome<T>> {
    try {
      const value = await ctx.call(spec);
      group.done.push(`${call} ok`);
      return { ok: true, value };
    } catch (err) {
      const { what, fix } = explainFailure(call, err, pid, ctx.sessions.mode === 'app-token');
      group.problems.push(what);
      group.fixes.push(fix);
      return { ok: false };
    }
  }
  const remember = (group: Group, what: string, call: string, spec: Omit<CallSpec<unknown>, 'ks'>) =>
    made.push({ what, call, group, remove: () => ctx.call(spec) });

  try {
    // category, then a template entry in it (the category entry)
    const cat = await step(category, 'category.add', {
      service: 'category', action: 'add', kind: 'create',
      build: (s) => s.category.add({ objectType: 'KalturaCategory', name: `${PROBE} ${tag}`, description: 'Made and removed by kaltura-discord doctor --deep' }),
      parse: (raw) => intField(asRecord(raw, 'category'), 'id'),
    });
    if (cat.ok) remember(category, `category #${cat.value} ("${PROBE} ${tag}")`, 'category.delete', { service: 'category', action: 'delete', kind: 'idempotent', build: (s) => s.category.deleteAction(cat.value), parse: ignore });

    const ent = await step(entry, 'media.add', {
      service: 'media', action: 'add', kind: 'create',
      build: (s) =>
        s.media.add({
          objectType: 'KalturaMediaEntry', mediaType: 1, name: `${PROBE} ${tag}`, description: 'Made and removed by kaltura-discord doctor --deep',
          adminTags: 'kaltura-discord-doctor', referenceId: `kaltura-discord-doctor-${tag}`, ...(cat.ok && { categoriesIds: String(cat.value) }),
        }),
      parse: (raw) => strField(asRecord(raw, 'entry'), 'id'),
    });
    if (ent.ok) remember(entry, `media entry ${ent.value} ("${PROBE} ${tag}")`, 'media.delete', { service: 'media', action: 'delete', kind: 'idempotent', build: (s) => s.media.deleteAction(ent.value), parse: ignore });

    // room, session, link, shorten, cancel
    const res = await step(rooms, 'scheduleResource.add', {
      service: 'scheduleResource', action: 'add', kind: 'create',
      build: (s) => s.scheduleResource.add({ objectType: 'KalturaLocationScheduleResource', name: `${PROBE} ${tag}`, systemName: `discord_doctor_${tag}`, tags: 'vcprovider:newrow,custom_rec_auto_start:0,custom_rs_enable_guests_to_join:0,custom_rs_show_invite:0' }),
      parse: (raw) => intField(asRecord(raw, 'resource'), 'id'),
    });
    if (res.ok) remember(rooms, `room resource #${res.value} ("${PROBE} ${tag}")`, 'scheduleResource.delete', { service: 'scheduleResource', action: 'delete', kind: 'idempotent', build: (s) => s.scheduleResource.deleteAction(res.value), parse: ignore });
    if (res.ok) {
      const start = nowS() + 86_400; // tomorrow, one minute long: nobody is in it, and it is cancelled at once
      const ev = await step(rooms, 'scheduleEvent.add', {
        service: 'scheduleEvent', action: 'add', kind: 'create',
        build: (s) =>
          s.scheduleEvent.add({
            objectType: 'KalturaRecordScheduleEvent', summary: `${PROBE} ${tag}`, startDate: start, endDate: start + 60, recurrenceType: 0,
            referenceId: `kaltura-discord-doctor-${tag}`, tags: 'custom_rec_auto_start:0', ...(ent.ok && { templateEntryId: ent.value }),
          }),
        parse: (raw) => intField(asRecord(raw, 'event'), 'id'),
      });
      if (ev.ok) {
        remember(rooms, `session (event) #${ev.value}`, 'scheduleEvent.delete', { service: 'scheduleEvent', action: 'delete', kind: 'idempotent', build: (s) => s.scheduleEvent.deleteAction(ev.value), parse: ignore });
        const link = await step(rooms, 'scheduleEventResource.add', {
          service: 'scheduleEventResource', action: 'add', kind: 'create',
          build: (s) => s.scheduleEventResource.add({ objectType: 'KalturaScheduleEventResource', eventId: ev.value, resourceId: res.value }),
          parse: ignore,
        });
        if (link.ok) {
          remember(rooms, `link of event #${ev.value} to room #${res.value}`, 'scheduleEventResource.delete', {
            service: 'scheduleEventResource', action: 'delete', kind: 'idempotent', build: (s) => s.scheduleEventResource.deleteAction(ev.value, res.value), parse: ignore,
          });
        }
        await step(rooms, 'scheduleEvent.update', { service: 'scheduleEvent', action: 'update', kind: 'idempotent', build: (s) => s.scheduleEvent.update(ev.value, { objectType: 'KalturaRecordScheduleEvent', endDate: start + 30 }), parse: ignore });
        await step(rooms, 'scheduleEvent.cancel', { service: 'scheduleEvent', action: 'cancel', kind: 'idempotent', build: (s) => s.scheduleEvent.cancel(ev.value), parse: ignore });
      }
    }

    // KAF launches the room for a moderator preparing it
    if (res.ok) await launch(ctx, kaf, res.value, fetchImpl, timeoutMs, nowS());
    else kaf.skipped = 'no room could be created';

    // webhook templates: read the system one by name and ours, clone, then retire the clone
    const spec = BOT_TEMPLATES[0]!;
    const sys = await step(templates, 'eventNotificationTemplate.listTemplates', {
      service: 'eventNotificationTemplate', action: 'listTemplates', kind: 'read',
      build: (s) => s.eventNotificationTemplate.listTemplates({ objectType: 'KalturaEventNotificationTemplateFilter', systemNameEqual: spec.source.systemName ?? spec.systemName }, { objectType: 'KalturaFilterPager', pageSize: 10, pageIndex: 1 }),
      parse: (raw) => asList(raw, parseTemplate).objects,
    });
    await step(templates, 'eventNotificationTemplate.list', {
      service: 'eventNotificationTemplate', action: 'list', kind: 'read',
      build: (s) => s.eventNotificationTemplate.listAction({ objectType: 'KalturaEventNotificationTemplateFilter', systemNameIn: BOT_TEMPLATES.map((t) => t.systemName).join(',') }, { objectType: 'KalturaFilterPager', pageSize: 10, pageIndex: 1 }),
      parse: ignore,
    });
    const source = sys.ok ? sys.value.find((t) => t.status !== TEMPLATE_STATUS.DELETED) : undefined;
    if (sys.ok && !source) {
      templates.problems.push(`this Kaltura server offers no ${spec.source.describe} system template`);
      templates.fixes.push(`Ask Kaltura to enable HTTP event notifications with the standard templates for partner ${pid}.`);
    }
    if (source) {
      const clone = await step(templates, 'eventNotificationTemplate.clone', {
        service: 'eventNotificationTemplate', action: 'clone', kind: 'create',
        // a systemName no bot template uses, so nothing can mistake the probe for ours
        build: (s) => s.eventNotificationTemplate.cloneAction(source.id, { objectType: 'KalturaHttpNotificationTemplate', name: `${PROBE} ${tag}`, systemName: `kaltura_discord_doctor_${tag}` }),
        parse: parseTemplate,
      });
      if (clone.ok) {
        // the bot's own permission (MANAGE) retires it; `delete` would need one the bot never uses
        remember(templates, `notification template #${clone.value.id} (kaltura_discord_doctor_${tag})`, 'eventNotificationTemplate.updateStatus', {
          service: 'eventNotificationTemplate', action: 'updateStatus', kind: 'idempotent', build: (s) => s.eventNotificationTemplate.updateStatus(clone.value.id, TEMPLATE_STATUS.DELETED), parse: ignore,
        });
      }
    }
  } finally {
    await removeAll(made, cleanup, pid, ctx.sessions.mode === 'app-token');
  }
  return [category, entry, rooms, kaf, templates, cleanup].map(toResult);
}

/** Newest first, every one attempted; a failure is reported twice: on its group (permission) and as a leftover. */
async function removeAll(made: readonly Made[], cleanup: Group, pid: number, appToken: boolean): Promise<void> {
  const left: string[] = [];
  for (const m of [...made].reverse()) {
    try {
      await m.remove();
      m.group.done.push(`${m.call} ok`);
    } catch (err) {
      const { what, fix } = explainFailure(m.call, err, pid, appToken);
      m.group.problems.push(`could not remove what the probe made: ${what}`);
      m.group.fixes.push(fix);
      left.push(m.what);
    }
  }
  if (left.length > 0) {
    cleanup.problems.push(`left behind: ${left.join('; ')}`);
    cleanup.fixes.push('Delete these in the KMC (or with the API calls named above); they are all named "kaltura-discord doctor …".');
  } else {
    cleanup.done.push(made.length === 0 ? 'nothing was created' : `removed all ${made.length} objects the probe created`);
  }
}

async function launch(ctx: KalturaContext, group: Group, resourceId: number, fetchImpl: typeof fetch, timeoutMs: number, nowS: number): Promise<void> {
  const where = `${ctx.config.kafUrl}${KAF_LAUNCH_PATH}`;
  try {
    const ks = await ctx.sessions.userKs({
      userId: 'kaltura-discord-doctor',
      privileges: buildRoomPrivileges({ resourceId, role: 'moderator', displayName: 'kaltura-discord doctor' }),
      expiresAt: nowS + 300,
    });
    const withSession = await fetchKaf(`${where}?ks=${encodeURIComponent(ks)}`, fetchImpl, timeoutMs);
    const without = await fetchKaf(where, fetchImpl, timeoutMs);
    const verdict = judgeKafLaunch(where, withSession, without);
    if (verdict.ok) group.done.push(verdict.detail);
    else {
      group.problems.push(verdict.detail);
      group.fixes.push(`Set kaltura.kafUrl to your KAF endpoint (usually https://${ctx.config.partnerId}.kaf.kaltura.com); if the account has none, ask Kaltura to enable KAF with Kaltura Meetings.`);
    }
  } catch (err) {
    const why = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : 'no answer';
    group.problems.push(`${where} did not answer: ${ctx.redact(why)}`);
    group.fixes.push('Check kaltura.kafUrl and that this machine can reach it.');
  }
}
