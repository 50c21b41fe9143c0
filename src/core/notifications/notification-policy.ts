import type { DefaultsConfig, NotificationConfig, NotificationKind } from '../../config/config-types';
import type { Transaction } from '../ports/store';

export type { NotificationKind, NotificationConfig };

/** Which notifications a server gets, where they go and what they say. */
export type NotificationPolicy = Readonly<Record<NotificationKind, NotificationConfig>>;

/**
 * The one function that answers "what does this server want posted". Called inside a
 * transaction, it is given that transaction (`tx`) and reads through it, never through the
 * store's own repositories (which would wait for the transaction it is in).
 */
export type NotificationPolicyLookup = (guildId: string, tx?: Transaction) => Promise<NotificationPolicy>;

export const NOTIFICATION_KINDS: readonly NotificationKind[] = ['recordingReady', 'sessionStarted', 'sessionEnded', 'memberJoined'];

/** Every server gets the YAML `defaults.notifications` (tests, tools; the app uses per-server settings). */
export function notificationPolicyFromConfig(notifications: DefaultsConfig['notifications']): NotificationPolicyLookup {
  const entries = NOTIFICATION_KINDS.map((kind) => {
    const c = notifications[kind];
    return [kind, Object.freeze({ enabled: c.enabled, template: c.template, ...(c.channelId !== undefined && { channelId: c.channelId }) })] as const;
  });
  const policy = Object.freeze(Object.fromEntries(entries)) as NotificationPolicy;
  return async () => policy;
}
