import type { Logger } from '../logger';
import type { Clock } from '../ports/clock';
import type { MediaLibrary } from '../ports/media-library';
import type { MeetingProvider } from '../ports/meeting-provider';
import type { Store } from '../ports/store';
import type { EnqueueContext } from './meeting-notifier';
import type { NotificationPolicyLookup } from './notification-policy';

/** What the notification use cases share once built. */
export interface NotificationsContext extends EnqueueContext {
  readonly store: Store;
  readonly media: Pick<MediaLibrary, 'watchUrl' | 'getEntry'>;
  readonly provider: Pick<MeetingProvider, 'findRecordings'>;
  readonly policyFor: NotificationPolicyLookup;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly random: () => number;
  /** This instance's inbox lease owner (`<instance id>/<random>`). */
  readonly owner: string;
}
