/**
 * Which permissions let a partner's admin session call an action, as the server's permission
 * items say (kaltura/server deployment/permissions/service.*.ini, `permissionItemN.permissions`,
 * partner-level names only; the `-N>PARTNER_-N_GROUP_*` entries are for Kaltura's own partners).
 * An action is permitted when the session's role has at least one of them
 * (kPermissionManager::isActionPermitted). An action missing from this table needs no
 * permission the fake can take away.
 */
export const PERMISSION_ITEMS: Readonly<Record<string, readonly string[]>> = {
  // deployment/permissions/service.schedule.scheduleResource.ini
  'schedule_scheduleresource->add': ['SCHEDULE_RESOURCE_MANAGE', 'CAPTURE_DEVICE_PERMISSION'],
  'schedule_scheduleresource->update': ['SCHEDULE_RESOURCE_MANAGE', 'CAPTURE_DEVICE_PERMISSION'],
  'schedule_scheduleresource->delete': ['SCHEDULE_RESOURCE_DELETE'],
  'schedule_scheduleresource->get': ['SCHEDULE_RESOURCE_BASE', 'CAPTURE_DEVICE_PERMISSION'],
  'schedule_scheduleresource->list': ['SCHEDULE_RESOURCE_BASE', 'CAPTURE_DEVICE_PERMISSION'],
  // deployment/permissions/service.schedule.scheduleEvent.ini
  'schedule_scheduleevent->add': ['SCHEDULE_EVENT_MANAGE', 'CAPTURE_DEVICE_PERMISSION'],
  'schedule_scheduleevent->update': ['SCHEDULE_EVENT_MANAGE', 'CAPTURE_DEVICE_PERMISSION'],
  'schedule_scheduleevent->cancel': ['SCHEDULE_EVENT_MANAGE'],
  'schedule_scheduleevent->delete': ['SCHEDULE_EVENT_DELETE'],
  'schedule_scheduleevent->get': ['SCHEDULE_EVENT_BASE'],
  'schedule_scheduleevent->list': ['SCHEDULE_EVENT_BASE', 'CAPTURE_DEVICE_PERMISSION'],
  // deployment/permissions/service.schedule.scheduleEventResource.ini
  'schedule_scheduleeventresource->add': ['SCHEDULE_RESOURCE_MANAGE', 'SCHEDULE_EVENT_MANAGE'],
  'schedule_scheduleeventresource->delete': ['SCHEDULE_RESOURCE_DELETE', 'SCHEDULE_EVENT_DELETE'],
  'schedule_scheduleeventresource->list': ['SCHEDULE_RESOURCE_BASE', 'SCHEDULE_EVENT_BASE'],
  // deployment/permissions/service.media.ini
  'media->add': ['CONTENT_INGEST_ORPHAN_VIDEO', 'CONTENT_INGEST_ORPHAN_AUDIO', 'LIVE_STREAM_ADD', 'CONTENT_INGEST_UPLOAD', 'CONTENT_MANAGE_BASE', 'BASE_USER_SESSION_PERMISSION', 'CAPTURE_DEVICE_PERMISSION'],
  'media->delete': ['CONTENT_MANAGE_DELETE', 'BASE_USER_SESSION_PERMISSION'],
  // deployment/permissions/service.category.ini
  'category->add': ['CONTENT_MANAGE_EDIT_CATEGORIES'],
  'category->delete': ['CONTENT_MANAGE_EDIT_CATEGORIES'],
  'category->update': ['CONTENT_MANAGE_EDIT_CATEGORIES'],
  // deployment/permissions/service.eventnotification.eventnotificationtemplate.ini
  'eventnotification_eventnotificationtemplate->listtemplates': ['eventNotification.EVENT_NOTIFICATIONS_TEMPLATE_BASE'],
  'eventnotification_eventnotificationtemplate->list': ['eventNotification.EVENT_NOTIFICATION_BASE', 'eventNotification.EVENT_NOTIFICATIONS_TEMPLATE_BASE'],
  'eventnotification_eventnotificationtemplate->get': ['eventNotification.EVENT_NOTIFICATION_BASE', 'eventNotification.EVENT_NOTIFICATIONS_TEMPLATE_BASE'],
  'eventnotification_eventnotificationtemplate->clone': ['eventNotification.EVENT_NOTIFICATIONS_TEMPLATE_MANAGE'],
  'eventnotification_eventnotificationtemplate->update': ['eventNotification.EVENT_NOTIFICATIONS_TEMPLATE_MANAGE'],
  'eventnotification_eventnotificationtemplate->updatestatus': ['eventNotification.EVENT_NOTIFICATIONS_TEMPLATE_MANAGE'],
  'eventnotification_eventnotificationtemplate->delete': ['eventNotification.EVENT_NOTIFICATIONS_TEMPLATE_DELETE'],
  // deployment/permissions/service.userrole.ini
  'userrole->get': ['ADMIN_BASE', 'KMC_READ_ONLY'],
  'userrole->list': ['ADMIN_BASE', 'ACCOUNT_BASE'],
  // deployment/permissions/service.partner.ini: getinfo for partner admins; get only for the admin console
  'partner->getinfo': ['INTEGRATION_BASE', 'ADMIN_BASE', 'ACCOUNT_BASE', 'KMC_READ_ONLY'],
  'partner->get': ['ADMIN_PUBLISHER_MANAGE'],
};

/** Permissions a normal partner's admin role never has (admin-console only). */
export const NEVER_GRANTED: ReadonlySet<string> = new Set(['ADMIN_PUBLISHER_MANAGE']);
