import { listConfigKeys, schemaNodeAt, type SchemaNode } from '../../config/config-keys';
import { distance } from 'fastest-levenshtein';
import { UserError } from '../user-error';

/**
 * How a setting is chosen in Discord: a list of roles (role picker), one channel (channel
 * picker), or a scalar typed as text (number, yes/no, a choice, a template).
 */
export type SettingKind = 'role-list' | 'channel' | 'scalar';

/** One per-server setting: a leaf of the schema's `defaults` section, named without the prefix. */
export interface SettingKey {
  /** e.g. `roles.moderatorRoleIds`, `notifications.recordingReady.channelId` */
  readonly path: string;
  readonly segments: readonly string[];
  readonly node: SchemaNode;
  readonly kind: SettingKind;
  readonly description: string;
}

const defaultsNode = schemaNodeAt(['defaults']);
if (!defaultsNode) throw new Error('the config schema has no `defaults` section');

/** The schema node every setting is validated against (the same one the YAML `defaults` uses). */
export const DEFAULTS_SCHEMA: SchemaNode = defaultsNode;

function kindOf(node: SchemaNode): SettingKind {
  const hint = node.type === 'array' ? node.items?.['x-pattern-hint'] : node['x-pattern-hint'];
  if (node.type === 'array' && hint?.includes('role id')) return 'role-list';
  if (node.type === 'string' && hint?.includes('channel id')) return 'channel';
  return 'scalar';
}

/** Every per-server setting, in schema order. */
export const SETTING_KEYS: readonly SettingKey[] = Object.freeze(
  listConfigKeys(DEFAULTS_SCHEMA).map((k) => Object.freeze({ path: k.path, segments: k.segments, node: k.node, kind: kindOf(k.node), description: k.node.description ?? '' })),
);

/**
 * A typo or a shortened name (`meetings.duraton`): compare with each key cut to the typed
 * length, so a truncated name still finds its key; a third of the text may differ.
 */
function closestKey(typed: string): string | undefined {
  const t = typed.toLowerCase();
  if (!t) return undefined;
  const scored = SETTING_KEYS.map((k) => {
    const p = k.path.toLowerCase();
    return { path: k.path, near: Math.min(distance(t, p.slice(0, t.length)), distance(t, p)), full: distance(t, p) };
  }).sort((a, b) => a.near - b.near || a.full - b.full);
  const best = scored[0]!;
  return best.near <= Math.max(2, Math.ceil(t.length / 3)) ? best.path : undefined;
}

/** The key named by `path`, or a UserError that suggests the closest one. */
export function findSettingKey(path: string): SettingKey {
  const trimmed = path.trim().replace(/^defaults\./, '');
  const key = SETTING_KEYS.find((k) => k.path === trimmed);
  if (key) return key;
  const inSection = SETTING_KEYS.filter((k) => k.path.startsWith(`${trimmed}.`));
  if (inSection.length > 0) throw new UserError('settings.section', `"${trimmed}" is a section; name one of its keys: ${inSection.map((k) => k.path).join(', ')}`);
  const suggestion = closestKey(trimmed);
  throw new UserError('settings.unknown-key', `unknown setting "${trimmed}"${suggestion ? `; did you mean "${suggestion}"?` : `; the settings are: ${SETTING_KEYS.map((k) => k.path).join(', ')}`}`);
}

/**
 * Turns typed text into the type the schema expects (the schema then checks the value).
 * Lists are comma-separated; Discord mentions (`<@&id>`, `<#id>`) are accepted for ids.
 */
export function parseSettingText(key: SettingKey, text: string): unknown {
  const t = text.trim();
  const unmention = (s: string) => s.trim().replace(/^<(?:@&|#)([0-9]+)>$/, '$1');
  switch (key.node.type) {
    case 'array':
      return t.split(',').map(unmention).filter(Boolean); // "" clears the list
    case 'integer':
      if (!/^-?[0-9]+$/.test(t)) throw new UserError('settings.invalid', `${key.path} must be a whole number`);
      return Number(t);
    case 'boolean':
      if (/^(true|yes|on)$/i.test(t)) return true;
      if (/^(false|no|off)$/i.test(t)) return false;
      throw new UserError('settings.invalid', `${key.path} must be true or false (yes/no, on/off)`);
    default:
      return key.kind === 'channel' ? unmention(t) : text;
  }
}
