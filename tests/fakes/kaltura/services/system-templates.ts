import type { TemplateRecord } from '../types';

/**
 * A few of the system (partner 0) HTTP notification templates (§4.1), created DISABLED as on a
 * real server. Which `data` class the XML deployment gives them is not verified; DataFields is
 * assumed because their parameters match the DataFields body shown in §4.2.
 */

function parameter(key: string, description: string, code: string): Record<string, unknown> {
  return {
    key,
    description,
    value: { code, objectType: 'KalturaEvalStringField' },
    objectType: 'KalturaEventNotificationParameter',
  };
}

const ENTRY_PARAMETERS = [
  parameter('entry_id', 'Entry ID', '$scope->getObject()->getId()'),
  parameter('entry_name', 'Entry name', '$scope->getObject()->getName()'),
  parameter('entry_status', 'Entry status', '$scope->getObject()->getStatus()'),
  parameter('entry_reference_id', 'Entry reference ID', '$scope->getObject()->getReferenceId()'),
];

interface SystemTemplateSeed {
  systemName: string;
  name: string;
  description: string;
  eventType: string;
  eventObjectType: string;
  userParameters?: Array<Record<string, unknown>>;
  /** Default the HTTP provider. */
  email?: boolean;
}

const SEEDS: SystemTemplateSeed[] = [
  {
    systemName: 'HTTP_ENTRY_STATUS_EQUALS',
    name: 'Entry Status Equals',
    description: 'HTTP notification template to be sent when an entry status changed to a specific status',
    eventType: '3',
    eventObjectType: '1',
    userParameters: [
      {
        key: 'trigger_status',
        description: 'Entry status that triggers the notification, See:KalturaEntryStatus:/api_v3/testmeDoc/?object=KalturaEntryStatus',
        value: { value: '2', objectType: 'KalturaStringValue' },
        objectType: 'KalturaEventNotificationParameter',
      },
    ],
  },
  { systemName: 'HTTP_ENTRY_STATUS_CHANGED', name: 'Entry Status Changed', description: 'HTTP notification template to be sent when an entry status changed', eventType: '3', eventObjectType: '1' },
  { systemName: 'HTTP_ENTRY_CHANGED', name: 'Entry Changed', description: 'HTTP notification template to be sent when an entry changed', eventType: '3', eventObjectType: '1' },
  { systemName: 'HTTP_ENTRY_ADDED_TO_CATEGORY', name: 'Entry Added To Category', description: 'HTTP notification template to be sent when an entry is added to a category', eventType: '5', eventObjectType: '37' },
];

export const SYSTEM_TEMPLATE_BASE_ID = 101;

/**
 * Other partner-0 templates (email, push, Kafka, …) a real server holds in the hundreds
 * (deployment/updates/scripts/xml); `extra` of them, with lower ids than the HTTP ones above,
 * push those past the first pages of `listTemplates`.
 */
function fillerSeeds(extra: number): SystemTemplateSeed[] {
  return Array.from({ length: extra }, (_, i) => ({
    systemName: `EMAIL_FILLER_${i + 1}`,
    name: `Filler email template ${i + 1}`,
    description: 'Stands in for the many non-HTTP system templates',
    eventType: '2',
    eventObjectType: '1',
    email: true,
  }));
}

export function systemTemplates(createdAt: number, extra = 0): Map<number, TemplateRecord> {
  const map = new Map<number, TemplateRecord>();
  [...fillerSeeds(extra), ...SEEDS].forEach((seed, i) => {
    const id = SYSTEM_TEMPLATE_BASE_ID + i;
    map.set(id, {
      id,
      partnerId: 0,
      name: seed.name,
      systemName: seed.systemName,
      description: seed.description,
      type: seed.email ? 'emailNotification.Email' : 'httpNotification.Http',
      status: 1,
      createdAt,
      updatedAt: createdAt,
      manualDispatchEnabled: false,
      automaticDispatchEnabled: true,
      eventType: seed.eventType,
      eventObjectType: seed.eventObjectType,
      contentParameters: ENTRY_PARAMETERS,
      userParameters: seed.userParameters ?? [],
      method: 2,
      data: { objectType: 'KalturaHttpNotificationDataFields' },
      timeout: 30,
      connectTimeout: 5,
      secureHashingAlgo: 1,
      objectType: seed.email ? 'KalturaEmailNotificationTemplate' : 'KalturaHttpNotificationTemplate',
    });
  });
  return map;
}
