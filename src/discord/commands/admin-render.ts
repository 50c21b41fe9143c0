import type { APIEmbed } from 'discord-api-types/v10';
import type { SettingsAuditEntry, SettingView } from '../../core/settings/create-guild-settings';
import type { SettingKind } from '../../core/settings/setting-keys';
import { clip } from '../interactions/reply';
import { discordTime } from '../render/meeting-labels';

/**
 * How settings look in Discord: roles and channels as mentions (replies are sent with
 * `allowed_mentions` none, so nobody is pinged), switches as on/off, text in a code span.
 */
export function formatSettingValue(kind: SettingKind, value: unknown): string {
  if (kind === 'role-list') return Array.isArray(value) && value.length > 0 ? value.map((id) => `<@&${String(id)}>`).join(', ') : 'none';
  if (kind === 'channel') return typeof value === 'string' ? `<#${value}>` : "the meeting's channel";
  if (value === undefined) return 'not set';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (typeof value === 'string') return `\`${clip(value.replace(/`/g, 'ˋ').replace(/\s+/g, ' '), 120)}\``;
  return String(value);
}

const NOTIFICATION_LABEL: Record<string, string> = {
  recordingReady: 'Notification: recording ready',
  sessionStarted: 'Notification: session started',
  sessionEnded: 'Notification: session ended',
  memberJoined: 'Notification: member joined',
};

function groupOf(key: string): string {
  const [section, sub] = key.split('.');
  if (section === 'notifications') return NOTIFICATION_LABEL[sub ?? ''] ?? 'Notifications';
  return { roles: 'Roles', permissions: 'Who may start meetings', meetings: 'Meeting defaults' }[section ?? ''] ?? section ?? '';
}

/** `settings view`: one field per section, each line `name: value (server|default)`. */
export function settingsEmbed(views: readonly SettingView[]): APIEmbed {
  const groups = new Map<string, string[]>();
  for (const v of views) {
    const leaf = v.key.split('.').at(-1)!;
    const line = `${v.source === 'server' ? '✏️ ' : ''}\`${leaf}\`: ${formatSettingValue(v.kind, v.value)} · *${v.source}*`;
    groups.set(groupOf(v.key), [...(groups.get(groupOf(v.key)) ?? []), line]);
  }
  const changed = views.filter((v) => v.source === 'server').length;
  return {
    title: 'Kaltura settings for this server',
    description:
      `${changed === 0 ? 'Every setting uses the default.' : `✏️ ${changed} setting${changed === 1 ? ' is' : 's are'} set on this server; the rest use the defaults.`}\n` +
      'Change with `/kaltura-admin settings set`, `set-role` or `set-channel`; undo with `reset`.',
    fields: [...groups].map(([name, lines]) => ({ name, value: clip(lines.join('\n'), 1024) })),
  };
}

/** `audit`: newest first, `when · who · key: old → new`. */
export function auditEmbed(entries: readonly SettingsAuditEntry[], kindOf: (key: string) => SettingKind): APIEmbed {
  const who = (actor: string) => (/^[0-9]{17,20}$/.test(actor) ? `<@${actor}>` : `\`${actor.replace(/`/g, '')}\``);
  const value = (key: string, v: unknown) => (v === undefined ? '*default*' : clip(formatSettingValue(kindOf(key), v), 200));
  const lines = entries.map((e) => `${discordTime(e.at, 'f')} · ${who(e.actor)} · \`${e.key}\`: ${value(e.key, e.oldValue)} → ${value(e.key, e.newValue)}`);
  return {
    title: 'Recent changes to the Kaltura settings',
    description: lines.length === 0 ? 'No changes yet: every setting has its default.' : clip(lines.join('\n'), 4096),
  };
}
