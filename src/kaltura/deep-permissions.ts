/**
 * What each call of the deep probe needs, in the words of Kaltura's permission items
 * (kaltura/server deployment/permissions/service.*.ini: the partner-level permission that lets
 * a partner's admin role call the action), and the fix to give when Kaltura refuses it.
 * A refusal is `SERVICE_FORBIDDEN {SERVICE: "<serviceId>-><action>"}`
 * (api_v3/lib/KalturaBaseService.php initService).
 */
import { KalturaAPIError, KalturaTransportError } from './errors';

export interface NeededPermission {
  /** The permission to ask Kaltura for (the first that grants the action). */
  readonly permission: string;
  /** The product module it belongs to, in plain words. */
  readonly module: string;
}

const SCHEDULE = 'Kaltura Meetings: the schedule and newrow modules';
const CONTENT = 'content management';
const NOTIFICATIONS = 'HTTP event notifications: the eventNotification plugin';

/** Keyed `service.action` as the adapter names them. */
export const NEEDED_PERMISSIONS: Readonly<Record<string, NeededPermission>> = {
  // service.schedule.scheduleResource.ini
  'scheduleResource.add': { permission: 'SCHEDULE_RESOURCE_MANAGE', module: SCHEDULE },
  'scheduleResource.delete': { permission: 'SCHEDULE_RESOURCE_DELETE', module: SCHEDULE },
  // service.schedule.scheduleEvent.ini
  'scheduleEvent.add': { permission: 'SCHEDULE_EVENT_MANAGE', module: SCHEDULE },
  'scheduleEvent.update': { permission: 'SCHEDULE_EVENT_MANAGE', module: SCHEDULE },
  'scheduleEvent.cancel': { permission: 'SCHEDULE_EVENT_MANAGE', module: SCHEDULE },
  'scheduleEvent.delete': { permission: 'SCHEDULE_EVENT_DELETE', module: SCHEDULE },
  // service.schedule.scheduleEventResource.ini
  'scheduleEventResource.add': { permission: 'SCHEDULE_EVENT_MANAGE', module: SCHEDULE },
  'scheduleEventResource.delete': { permission: 'SCHEDULE_EVENT_DELETE', module: SCHEDULE },
  // service.media.ini
  'media.add': { permission: 'CONTENT_INGEST_UPLOAD', module: CONTENT },
  'media.delete': { permission: 'CONTENT_MANAGE_DELETE', module: CONTENT },
  // service.category.ini
  'category.add': { permission: 'CONTENT_MANAGE_EDIT_CATEGORIES', module: CONTENT },
  'category.delete': { permission: 'CONTENT_MANAGE_EDIT_CATEGORIES', module: CONTENT },
  // service.eventnotification.eventnotificationtemplate.ini
  'eventNotificationTemplate.listTemplates': { permission: 'eventNotification.EVENT_NOTIFICATIONS_TEMPLATE_BASE', module: NOTIFICATIONS },
  'eventNotificationTemplate.list': { permission: 'eventNotification.EVENT_NOTIFICATIONS_TEMPLATE_BASE', module: NOTIFICATIONS },
  'eventNotificationTemplate.clone': { permission: 'eventNotification.EVENT_NOTIFICATIONS_TEMPLATE_MANAGE', module: NOTIFICATIONS },
  'eventNotificationTemplate.updateStatus': { permission: 'eventNotification.EVENT_NOTIFICATIONS_TEMPLATE_MANAGE', module: NOTIFICATIONS },
};

/** Codes that mean "this account may not do that" rather than "that was wrong". */
const REFUSALS = new Set(['SERVICE_FORBIDDEN', 'FEATURE_FORBIDDEN', 'SERVICE_DOES_NOT_EXISTS', 'ACTION_DOES_NOT_EXISTS']);

/** What went wrong with one call, and what to do, in plain words. */
export function explainFailure(call: string, err: unknown, partnerId: number, appToken = false): { readonly what: string; readonly fix: string } {
  if (err instanceof KalturaAPIError) {
    const needed = NEEDED_PERMISSIONS[call];
    if (REFUSALS.has(err.code)) {
      const ask = needed
        ? `Ask Kaltura (your account manager or support) to give partner ${partnerId}'s admin role the permission ${needed.permission} (${needed.module})`
        : `Ask Kaltura (your account manager or support) to enable ${call} for partner ${partnerId}`;
      const token = appToken ? ' With an app token, also check that it issues ADMIN sessions and that its sessionPrivileges set no restricting role.' : '';
      return { what: `${call} is refused: ${err.code}`, fix: `${ask}, then run \`kaltura-discord doctor --deep\` again.${token}` };
    }
    if (err.code === 'INVALID_KS') return { what: `${call}: the session was refused (INVALID_KS)`, fix: 'Fix the "Kaltura credentials" check first.' };
    return { what: `${call} failed: ${err.code}`, fix: `Kaltura refused the probe's ${call} with ${err.code}; run doctor with logging.level debug and report it.` };
  }
  if (err instanceof KalturaTransportError) {
    return { what: `${call}: Kaltura did not answer (${err.failure})`, fix: 'Fix the "Kaltura API reachable" check first, or try again with a larger --timeout.' };
  }
  return { what: `${call} failed: ${err instanceof Error ? err.message : String(err)}`, fix: 'Run doctor with logging.level debug and report the message.' };
}
