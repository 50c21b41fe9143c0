import { hasPermission, PERMISSION } from '../../core/meetings/actor';
import type { BotChannelAccess, BotChannelProblem } from '../../core/ports/bot-channel-access';
import type { CategoryAssignment, GuildCategories } from '../../core/ports/guild-categories';
import type { GuildSettings } from '../../core/settings/create-guild-settings';
import { findSettingKey, parseSettingText, SETTING_KEYS, type SettingKey, type SettingKind } from '../../core/settings/setting-keys';
import { UserError } from '../../core/user-error';
import { integerOption, stringOption, type InteractionRequest } from '../interactions/interaction-request';
import { guildOnly, type InteractionRoute, type Precondition } from '../interactions/interaction-route';
import { clip, type AutocompleteChoice, type Reply } from '../interactions/reply';
import { markdownSafe } from '../render/meeting-labels';
import { adminCommand } from './admin-command';
import { adminCustomId, parseAdminCustomId } from './admin-custom-ids';
import { auditEmbed, formatSettingValue, settingsEmbed } from './admin-render';

/**
 * Discord hides `/kaltura-admin` from members without Manage Server, but a server can grant the
 * command to anyone in its integration settings, and buttons can be clicked by whoever sees them:
 * the permission is checked again on every interaction.
 */
export const manageServer: Precondition = (request) =>
  hasPermission(request.actor, PERMISSION.manageGuild) ? undefined : "Only members with the Manage Server (or Administrator) permission can change this server's Kaltura settings.";

const isAdminCommand = (r: InteractionRequest, subcommand: string) => r.kind !== 'component' && r.commandName === adminCommand.name && r.subcommand === subcommand;

async function keyChoices(request: InteractionRequest, settings: GuildSettings, kinds: readonly SettingKind[], withAll = false): Promise<AutocompleteChoice[]> {
  const typed = (request.focused?.value ?? '').toLowerCase();
  const views = new Map((await settings.view(request.guildId!)).map((v) => [v.key, v]));
  const choices = SETTING_KEYS.filter((k) => kinds.includes(k.kind)).map((k) => ({
    name: clip(`${k.path} = ${plain(k.kind, views.get(k.path)?.value)}${views.get(k.path)?.source === 'server' ? ' (server)' : ''}`, 100),
    value: k.path,
  }));
  const all = withAll ? [{ name: 'all: every setting this server changed', value: 'all' }] : [];
  return [...all, ...choices].filter((c) => c.value.toLowerCase().includes(typed)).slice(0, 25);
}

/** Autocomplete labels are plain text: no mentions there. */
function plain(kind: SettingKind, value: unknown): string {
  if (kind === 'channel') return typeof value === 'string' ? `#${value}` : "meeting's channel";
  if (kind === 'role-list') return Array.isArray(value) ? `${value.length} role${value.length === 1 ? '' : 's'}` : 'none';
  return value === undefined ? 'not set' : typeof value === 'string' ? value : JSON.stringify(value);
}

function keyOf(request: InteractionRequest, kind?: SettingKind): SettingKey {
  const key = findSettingKey(stringOption(request, 'key') ?? '');
  if (kind && key.kind !== kind) {
    const use = key.kind === 'role-list' ? '`/kaltura-admin settings set-role`' : key.kind === 'channel' ? '`/kaltura-admin settings set-channel`' : '`/kaltura-admin settings set`';
    throw new UserError('settings.wrong-command', `\`${key.path}\` is ${key.kind === 'scalar' ? 'not a role list or a channel' : `a ${key.kind === 'role-list' ? 'role list' : 'channel'}`}; change it with ${use}.`);
  }
  return key;
}

async function changed(settings: GuildSettings, guildId: string, key: SettingKey, value: unknown, actor: string): Promise<Reply> {
  const before = await settings.get(guildId, key.path);
  const change = await settings.set(guildId, key.path, value, actor);
  if (!change) return { ephemeral: true, content: `\`${key.path}\` is already ${formatSettingValue(key.kind, value)} on this server; nothing changed.` };
  const was = `${formatSettingValue(key.kind, before.value)}${before.source === 'default' ? ', the default' : ''}`;
  return { ephemeral: true, content: `✅ \`${key.path}\` is now ${formatSettingValue(key.kind, value)} on this server (was ${was}). It applies from the next interaction.` };
}

/**
 * A notification channel the bot cannot post in would only collect dead letters: it is refused
 * when chosen, with what is missing, and nothing changes.
 */
async function refuseUnpostable(channels: BotChannelAccess, channelId: string): Promise<void> {
  let problem: BotChannelProblem | undefined;
  try {
    problem = await channels.problemIn(channelId);
  } catch (err) {
    throw new UserError('settings.channel-unchecked', `I could not check my permissions in <#${channelId}> right now (Discord did not answer); nothing changed. Try again in a minute.`, { cause: err });
  }
  if (!problem) return;
  const what =
    problem.kind === 'missing-permissions' && problem.missing?.length
      ? `I can't post there: I'm missing ${problem.missing.map((m) => `**${m}**`).join(', ')} in <#${channelId}>. Allow ${problem.missing.length === 1 ? 'it' : 'them'} for my role in the channel's settings → Permissions, then choose it again.`
      : problem.kind === 'unknown-channel'
        ? `I can't find <#${channelId}> (${problem.detail}).`
        : `I can't post in <#${channelId}>: ${problem.detail}.`;
  throw new UserError('settings.channel-unpostable', `${what} Nothing changed.`);
}

function categoryRefusal(id: number, refused: Extract<CategoryAssignment, { ok: false }>): UserError {
  const name = refused.fullName ? ` (${markdownSafe(refused.fullName)})` : '';
  switch (refused.reason) {
    case 'not-found':
      return new UserError('settings.category-not-found', `There is no Kaltura category with id ${id} in this account (category.get found none); nothing changed.`);
    case 'another-server':
      return new UserError('settings.category-of-another-server', `Category ${id}${name} belongs to another Discord server using this bot; a server's media is never shared with another. Choose a category of your own; nothing changed.`);
    case 'holds-servers':
      return new UserError('settings.category-holds-servers', `Category ${id}${name} holds the categories of every Discord server using this bot, so its media would include theirs. Choose a category of your own; nothing changed.`);
  }
}

/** The per-server setting that points a server at an existing Kaltura category; checked with category.get. */
export const CATEGORY_SETTING = 'kaltura.categoryId';

const isCategorySet = (r: InteractionRequest) => isAdminCommand(r, 'set') && (stringOption(r, 'key') ?? '').trim().replace(/^defaults\./, '') === CATEGORY_SETTING;

/**
 * `/kaltura-admin …`: the routes, built over the settings service they change. `categories`
 * checks that a category an admin names exists in Kaltura before it is saved.
 */
export function adminSettingsRoutes(settings: GuildSettings, categories?: Pick<GuildCategories, 'checkAssignable'>, channels?: BotChannelAccess): InteractionRoute[] {
  const preconditions = [guildOnly, manageServer];
  return [
    {
      // before the generic `set`: this one asks Kaltura, so it defers
      name: 'kaltura-admin settings set category',
      matches: (r) => categories !== undefined && r.kind !== 'autocomplete' && isCategorySet(r),
      preconditions,
      defer: { ephemeral: true },
      run: async ({ request }) => {
        const key = keyOf(request);
        const value = parseSettingText(key, stringOption(request, 'value') ?? '');
        const checked = typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 ? await categories!.checkAssignable(request.guildId!, value) : undefined;
        if (checked && !checked.ok) throw categoryRefusal(value as number, checked);
        const category = checked?.category;
        const reply = await changed(settings, request.guildId!, key, value, request.actor.id);
        return category ? { ...reply, content: `${reply.content ?? ''}\nMeeting templates and recordings of this server now go to the category **${markdownSafe(category.fullName)}**.` } : reply;
      },
    },
    {
      name: 'kaltura-admin settings view',
      matches: (r) => isAdminCommand(r, 'view'),
      preconditions,
      defer: false,
      run: async ({ request }) => ({ ephemeral: true, embeds: [settingsEmbed(await settings.view(request.guildId!))] }),
    },
    {
      name: 'kaltura-admin settings set',
      matches: (r) => isAdminCommand(r, 'set'),
      preconditions,
      defer: false,
      run: async ({ request }) => {
        const key = keyOf(request);
        return changed(settings, request.guildId!, key, parseSettingText(key, stringOption(request, 'value') ?? ''), request.actor.id);
      },
      autocomplete: async ({ request }) => keyChoices(request, settings, ['scalar']),
    },
    {
      name: 'kaltura-admin settings set-role',
      matches: (r) => isAdminCommand(r, 'set-role'),
      preconditions,
      defer: false,
      run: async ({ request }) => {
        const key = keyOf(request, 'role-list');
        const role = stringOption(request, 'role') ?? '';
        const current = ((await settings.get(request.guildId!, key.path)).value as readonly string[] | undefined) ?? [];
        if (stringOption(request, 'action') === 'remove') {
          if (!current.includes(role)) throw new UserError('settings.not-in-list', `<@&${role}> is not in \`${key.path}\`; nothing changed.`);
          return changed(settings, request.guildId!, key, current.filter((id) => id !== role), request.actor.id);
        }
        if (current.includes(role)) return { ephemeral: true, content: `<@&${role}> is already in \`${key.path}\`; nothing changed.` };
        return changed(settings, request.guildId!, key, [...current, role], request.actor.id);
      },
      autocomplete: async ({ request }) => keyChoices(request, settings, ['role-list']),
    },
    {
      name: 'kaltura-admin settings set-channel',
      matches: (r) => isAdminCommand(r, 'set-channel'),
      preconditions,
      defer: channels ? { ephemeral: true } : false, // the channel check asks Discord
      run: async ({ request }) => {
        const key = keyOf(request, 'channel');
        const channelId = stringOption(request, 'channel') ?? '';
        if (channels) await refuseUnpostable(channels, channelId);
        return changed(settings, request.guildId!, key, channelId, request.actor.id);
      },
      autocomplete: async ({ request }) => keyChoices(request, settings, ['channel']),
    },
    {
      name: 'kaltura-admin settings reset',
      matches: (r) => isAdminCommand(r, 'reset'),
      preconditions,
      defer: false,
      run: async ({ request }) => {
        const requested = (stringOption(request, 'key') ?? '').trim();
        const all = requested === 'all';
        const views = await settings.view(request.guildId!);
        const targets = all ? views.filter((v) => v.source === 'server') : views.filter((v) => v.key === findSettingKey(requested).path);
        const overridden = targets.filter((v) => v.source === 'server');
        if (overridden.length === 0) return { ephemeral: true, content: all ? 'Nothing to reset: every setting already uses the default.' : `Nothing to reset: \`${targets[0]!.key}\` already uses the default.` };
        const key = all ? 'all' : overridden[0]!.key;
        const list = overridden.map((v) => `\`${v.key}\` (now ${formatSettingValue(v.kind, v.value)})`).join('\n');
        return {
          ephemeral: true,
          content: clip(`Reset ${all ? `these ${overridden.length} settings` : 'this setting'} to the default?\n${list}`, 2000),
          components: [
            {
              type: 1,
              components: [
                { type: 2, style: 4, label: all ? 'Reset all' : 'Reset', custom_id: adminCustomId.reset(request.actor.id, key) },
                { type: 2, style: 2, label: 'Cancel', custom_id: adminCustomId.cancel(request.actor.id) },
              ],
            },
          ],
        };
      },
      autocomplete: async ({ request }) => keyChoices(request, settings, ['scalar', 'role-list', 'channel'], true),
    },
    {
      name: 'kaltura-admin reset button',
      matches: (r) => r.kind === 'component' && parseAdminCustomId(r.customId) !== undefined,
      preconditions,
      defer: false,
      run: async ({ request }) => {
        const parsed = parseAdminCustomId(request.customId)!;
        if (parsed.userId !== request.actor.id) throw new UserError('settings.not-yours', 'Only the admin who asked for this reset can confirm or cancel it.');
        if (parsed.action === 'cancel') return { ephemeral: true, content: 'Cancelled; nothing changed.' };
        const changes = await settings.reset(request.guildId!, parsed.key!, request.actor.id);
        if (changes.length === 0) return { ephemeral: true, content: 'Nothing to reset any more: already the default.' };
        const now = await settings.view(request.guildId!);
        const lines = changes.map((c) => {
          const v = now.find((x) => x.key === c.key);
          return v ? `\`${c.key}\` is back to ${formatSettingValue(v.kind, v.value)} (the default)` : `\`${c.key}\` removed`;
        });
        return { ephemeral: true, content: clip(`✅ ${lines.join('\n')}`, 2000) };
      },
    },
    {
      name: 'kaltura-admin audit',
      matches: (r) => isAdminCommand(r, 'audit'),
      preconditions,
      defer: false,
      run: async ({ request }) => {
        const kindOf = (k: string) => SETTING_KEYS.find((s) => s.path === k)?.kind ?? 'scalar';
        return { ephemeral: true, embeds: [auditEmbed(await settings.audit(request.guildId!, integerOption(request, 'limit') ?? 15), kindOf)] };
      },
    },
  ];
}
