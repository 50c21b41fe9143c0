import type { DefaultsConfig, NotificationConfig, NotificationKind } from '../../config/config-types';

export type { NotificationKind, NotificationConfig };

/** Which notifications a server gets, where they go and what they say. */
export type NotificationPolicy = Readonly<Record<NotificationKind, NotificationConfig>>;

/** The one function that answers "what does this server want posted". */
export type NotificationPolicyLookup = (guildId: string) => NotificationPolicy;

export const NOTIFICATION_KINDS: readonly NotificationKind[] = ['recordingReady', 'sessionStarted', 'sessionEnded', 'memberJoined'];

/** Every server gets the YAML `defaults.notifications` until per-server settings exist (same shape as `policyFromConfig`). */
export function notificationPolicyFromConfig(notifications: DefaultsConfig['notifications']): NotificationPolicyLookup {
  const entries = NOTIFICATION_KINDS.map((kind) => {
    const c = notifications[kind];
    return [kind, Object.freeze({ enabled: c.enabled, template: c.template, ...(c.channelId !== undefined && { channelId: c.channelId }) })] as const;
  });
  const policy = Object.freeze(Object.fromEntries(entries)) as NotificationPolicy;
  return () => policy;
}
