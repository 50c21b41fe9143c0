import type { Logger } from '../logger';
import type { Clock } from '../ports/clock';
import type { MediaLibrary } from '../ports/media-library';
import type { MeetingProvider } from '../ports/meeting-provider';
import type { NotificationStore } from '../ports/notification-store';
import type { EnqueueContext } from './meeting-notifier';
import type { NotificationPolicyLookup } from './notification-policy';

/** What the notification use cases share once built. */
export interface NotificationsContext extends EnqueueContext {
  readonly store: NotificationStore;
  readonly media: Pick<MediaLibrary, 'watchUrl' | 'getEntry'>;
  readonly provider: Pick<MeetingProvider, 'findRecordings'>;
  readonly policyFor: NotificationPolicyLookup;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly random: () => number;
}
