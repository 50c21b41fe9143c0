/**
 * Kaltura error templates, copied from the server (`KalturaErrors`, `APIErrors`,
 * `KalturaScheduleErrors`, `KalturaEventNotificationErrors`) in their own format:
 * `CODE;ARG_NAMES;message with @ARG@ placeholders`. Where KalturaErrors overrides an APIErrors
 * entry (MISSING_KS, INVALID_KS, INVALID_USER_ID) the api_v3 version is used, as the API does.
 * @see https://github.com/kaltura/server/blob/master/api_v3/lib/KalturaErrors.php
 */
export const ERR = {
  INTERNAL_SERVERL_ERROR: 'INTERNAL_SERVERL_ERROR;;Internal server error occurred',
  MISSING_KS: 'MISSING_KS;;Missing KS, session not established',
  INVALID_KS: 'INVALID_KS;KSID,ERR_CODE,ERR_DESC;Invalid KS "@KSID@", Error "@ERR_CODE@,@ERR_DESC@"',
  SERVICE_DOES_NOT_EXISTS: 'SERVICE_DOES_NOT_EXISTS;SRV_NAME;Service "@SRV_NAME@" does not exists',
  ACTION_DOES_NOT_EXISTS: 'ACTION_DOES_NOT_EXISTS;ACTION_NAME,SERVICE_NAME;Action "@ACTION_NAME@" does not exists for service "@SERVICE_NAME@"',
  SERVICE_FORBIDDEN: 'SERVICE_FORBIDDEN;SERVICE;The access to service [@SERVICE@] is forbidden',
  MISSING_MANDATORY_PARAMETER: 'MISSING_MANDATORY_PARAMETER;PARAM_NAME;Missing parameter "@PARAM_NAME@"',
  INVALID_OBJECT_TYPE: 'INVALID_OBJECT_TYPE;INVALID_OBJ_TYPE;Invalid object type "@INVALID_OBJ_TYPE@"',
  OBJECT_TYPE_ABSTRACT: 'OBJECT_TYPE_ABSTRACT;OBJ_TYPE;The object type "@OBJ_TYPE@" is abstract, use one of the object implementations',
  INVALID_ENUM_VALUE: 'INVALID_ENUM_VALUE;ENUM_VAL,PARAM_NAME,ENUM_TYPE;Invalid enumeration value "@ENUM_VAL@" for parameter "@PARAM_NAME@", expecting enumeration type "@ENUM_TYPE@"',
  PROPERTY_VALIDATION_CANNOT_BE_NULL: 'PROPERTY_VALIDATION_CANNOT_BE_NULL;PROP_NAME;The property "@PROP_NAME@" cannot be null',
  PROPERTY_VALIDATION_MIN_LENGTH: 'PROPERTY_VALIDATION_MIN_LENGTH;PROP_NAME,MIN_LEN;The property "@PROP_NAME@" must have a min length of @MIN_LEN@ characters',
  PROPERTY_VALIDATION_MAX_LENGTH: 'PROPERTY_VALIDATION_MAX_LENGTH;PROP_NAME,MAX_LEN;The property "@PROP_NAME@" cannot have more than @MAX_LEN@ characters',
  INVALID_OBJECT_ID: 'INVALID_OBJECT_ID;ID;Invalid object id [@ID@]',
  SYSTEM_NAME_ALREADY_EXISTS: 'SYSTEM_NAME_ALREADY_EXISTS;SYS_NAME;System name [@SYS_NAME@] already exists',
  RESOURCE_PARENT_ID_NOT_FOUND: 'RESOURCE_PARENT_ID_NOT_FOUND;PARENT_ID;Resource parent id [@PARENT_ID@] not found',
  SCHEDULE_EVENT_RESOURCE_ALREADY_EXISTS: 'SCHEDULE_EVENT_RESOURCE_ALREADY_EXISTS;EVENT_ID,RESOURCE_ID;Schedule event resource already exists with eventId[@EVENT_ID@] and resourceId (@RESOURCE_ID@)',
  SCHEDULE_RESOURCE_ID_NOT_FOUND: 'SCHEDULE_RESOURCE_ID_NOT_FOUND;ID;Schedule Resource id [@ID@] not found',
  SCHEDULE_EVENT_ID_NOT_FOUND: 'SCHEDULE_EVENT_ID_NOT_FOUND;ID;Schedule Event id [@ID@] not found',
  INVALID_SCHEDULE_END_BEFORE_START: 'INVALID_SCHEDULE_END_BEFORE_START;START,END;End time [@END@] must be after start time [@START@]',
  MAX_SCHEDULE_DURATION_REACHED: 'MAX_SCHEDULE_DURATION_REACHED;MAX;Maximum schedule duration [@MAX@] reached',
  // KalturaScheduleErrors::INVALID_SCHEDULE_EVENT_TYPE_TO_UPDATE (its code string differs from the constant's name)
  SCHEDULE_EVENT_TYPE_CANT_BE_UPDATED: "SCHEDULE_EVENT_TYPE_CANT_BE_UPDATED;SOURCE_TYPE,TARGET_TYPE; Can't update from type [@SOURCE_TYPE@] to type [@TARGET_TYPE@]",
  MAX_SCHEDULE_DURATION_MUST_MATCH_END_TIME: 'MAX_SCHEDULE_DURATION_MUST_MATCH_END_TIME;;Duration must match end time, keep one of them null to calculate automatically',
  START_TIME_AND_LINKED_TO_CONFLICT: 'START_TIME_AND_LINKED_TO_CONFLICT;;Event cannot have both fields startDate and linkedTo set',
  RECURRENCE_LINKED_EVENT_CONFLICT: 'RECURRENCE_LINKED_EVENT_CONFLICT;;Recurring events cannot be linked',
  LINKED_TO_EVENT_NOT_FOUND_OR_NOT_ACCESSIBLE: 'LINKED_TO_EVENT_NOT_FOUND_OR_NOT_ACCESSIBLE;;Cannot find the linkedTo schedule event',
  START_TIME_AND_LINKED_TO_NOT_SET: 'START_TIME_AND_LINKED_TO_NOT_SET;;Event must have either fields StartTime or LinkedTo set',
  START_SESSION_ERROR: 'START_SESSION_ERROR;PID;Error while starting session for partner [@PID@]',
  INVALID_WIDGET_ID: 'INVALID_WIDGET_ID;WIDGET_ID;Unknown widget [@WIDGET_ID@]',
  APP_TOKEN_ID_NOT_FOUND: 'APP_TOKEN_ID_NOT_FOUND;ID;Application token id "@ID@" not found',
  APP_TOKEN_NOT_ACTIVE: 'APP_TOKEN_NOT_ACTIVE;ID;Application token id "@ID@" not active',
  APP_TOKEN_EXPIRED: 'APP_TOKEN_EXPIRED;ID;Application token id "@ID@" expired',
  INVALID_APP_TOKEN_HASH: 'INVALID_APP_TOKEN_HASH;;Invalid application token hash',
  ENTRY_ID_NOT_FOUND: 'ENTRY_ID_NOT_FOUND;ENTRY_ID;Entry id "@ENTRY_ID@" not found',
  CATEGORY_NOT_FOUND: 'CATEGORY_NOT_FOUND;ID;Category id "@ID@" not found',
  PARENT_CATEGORY_NOT_FOUND: 'PARENT_CATEGORY_NOT_FOUND;ID;Parent category id "@ID@" not found',
  DUPLICATE_CATEGORY: 'DUPLICATE_CATEGORY;CATEGORY;The category "@CATEGORY@" already exists',
  // plugins/schedule/base/lib/api/errors/KalturaScheduleErrors.php
  SCHEDULE_TIME_IN_USE: 'SCHEDULE_TIME_IN_USE;;Another event is already scheduled during this time',
  INVALID_USER_ID: 'INVALID_USER_ID;;Invalid user id',
  DUPLICATE_USER_BY_ID: 'DUPLICATE_USER_BY_ID;UID;User with id [@UID@] already exists in system',
  INVALID_FIELD_VALUE: 'INVALID_FIELD_VALUE;FIELD_NAME;value in field [@FIELD_NAME@] is not valid',
  CANNOT_RETRIEVE_ANOTHER_USER_USING_NON_ADMIN_SESSION: 'CANNOT_RETRIEVE_ANOTHER_USER_USING_NON_ADMIN_SESSION;USER_ID;cannot retrieve another user "@USER_ID@" using non-admin session',
  // Message not found in the stored server source; the code and the empty args are from §6.2.
  ID_AND_EXTERNAL_ID_ARE_MUTUALLY_EXCLUSIVE: 'ID_AND_EXTERNAL_ID_ARE_MUTUALLY_EXCLUSIVE;;id and externalId are mutually exclusive',
  // plugins/search/providers/elastic_search/lib/api/errors/KalturaESearchErrors.php (the second code has spaces, as there)
  SEARCH_TYPE_NOT_ALLOWED_ON_FIELD: 'SEARCH_TYPE_NOT_ALLOWED_ON_FIELD;TYPE,FIELD; Type of search [@TYPE@] not allowed on specific field [@FIELD@]',
  EMPTY_SEARCH_TERM_NOT_ALLOWED: 'EMPTY SEARCH TERM IS NOT ALLOWED;FIELD,TYPE; Empty search term is not allowed on Field [@FIELD@] and search type [@TYPE@]',
  EVENT_NOTIFICATION_TEMPLATE_NOT_FOUND: 'EVENT_NOTIFICATION_TEMPLATE_NOT_FOUND;ID;Event notification template id [@ID@] not found',
  EVENT_NOTIFICATION_WRONG_TYPE: 'EVENT_NOTIFICATION_WRONG_TYPE;ID,TYPE;Event notification template id [@ID@] is of type [@TYPE@]',
  EVENT_NOTIFICATION_TEMPLATE_DUPLICATE_SYSTEM_NAME: 'EVENT_NOTIFICATION_TEMPLATE_DUPLICATE_SYSTEM_NAME;NAME;Event notification template with system name [@NAME@] already exists.',
} as const;

export type ErrorTemplate = (typeof ERR)[keyof typeof ERR];
