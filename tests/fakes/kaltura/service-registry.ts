import type { ServiceDefinition } from './service-definition';
import { appTokenService } from './services/app-token-service';
import { categoryService } from './services/category-service';
import { esearchService } from './services/esearch-service';
import { eventNotificationTemplateService } from './services/event-notification-template-service';
import { mediaService } from './services/media-service';
import { partnerService } from './services/partner-service';
import { userRoleService } from './services/user-role-service';
import { scheduleEventResourceService } from './services/schedule-event-resource-service';
import { scheduleEventService } from './services/schedule-event-service';
import { scheduleResourceService } from './services/schedule-resource-service';
import { sessionService } from './services/session-service';
import { userService } from './services/user-service';

/** Every service the fake answers; anything else is SERVICE_DOES_NOT_EXISTS. */
export const FAKE_SERVICES: readonly ServiceDefinition[] = [
  sessionService,
  appTokenService,
  scheduleResourceService,
  scheduleEventService,
  scheduleEventResourceService,
  mediaService,
  esearchService,
  userService,
  eventNotificationTemplateService,
  partnerService,
  userRoleService,
  categoryService,
];
