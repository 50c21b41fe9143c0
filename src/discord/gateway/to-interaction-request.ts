import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  CommandInteractionOption,
  GuildMember,
} from 'discord.js';
import type { APIInteractionGuildMember } from 'discord-api-types/v10';
import { duringTimeout, type Actor } from '../../core/meetings/actor';
import type { InteractionRequest, OptionValue } from '../interactions/interaction-request';

export type SupportedInteraction = ChatInputCommandInteraction | ButtonInteraction | AutocompleteInteraction;

function actorOf(interaction: SupportedInteraction, receivedAt: number): Actor {
  const member = interaction.member as GuildMember | APIInteractionGuildMember | null;
  const user = interaction.user;
  // A cached GuildMember knows its roles as a collection (the guild's @everyone included);
  // an uncached one is the raw payload with role ids. Either way: ids, never names.
  const roleIds = !member
    ? []
    : Array.isArray((member as APIInteractionGuildMember).roles)
      ? [...(member as APIInteractionGuildMember).roles]
      : [...(member as GuildMember).roles.cache.keys()].filter((id) => id !== interaction.guildId);
  // A timeout: the payload's `communication_disabled_until` (a cached GuildMember was patched from it).
  const until = !member
    ? null
    : 'communicationDisabledUntilTimestamp' in member
      ? member.communicationDisabledUntilTimestamp
      : member.communication_disabled_until
        ? Date.parse(member.communication_disabled_until)
        : null;
  const timedOut = until !== null && until > receivedAt;
  const nick = member ? ('nickname' in member ? member.nickname : (member as APIInteractionGuildMember).nick) : null;
  return {
    id: user.id,
    displayName: nick || user.globalName || user.username,
    roleIds,
    // Discord computed these for the invoking channel only; the core computes other channels' itself.
    permissions: duringTimeout(interaction.memberPermissions?.bitfield ?? 0n, timedOut),
    ...(timedOut ? { timedOut } : {}),
    ...(interaction.channelId ? { channelId: interaction.channelId } : {}),
    avatarUrl: user.displayAvatarURL({ size: 256 }),
  };
}

function leafOptions(options: readonly CommandInteractionOption[]): Map<string, OptionValue> {
  const out = new Map<string, OptionValue>();
  for (const o of options) {
    if (o.options) for (const [k, v] of leafOptions(o.options)) out.set(k, v);
    else if (o.value !== undefined && o.value !== null) out.set(o.name, o.value);
  }
  return out;
}

/** discord.js interaction -> the transport-agnostic request the dispatcher understands. */
export function toInteractionRequest(interaction: SupportedInteraction, receivedAt: number): InteractionRequest {
  const base = {
    id: interaction.id,
    guildId: interaction.guildId ?? undefined,
    channelId: interaction.channelId ?? undefined,
    ...(interaction.channel?.isThread() ? { inThread: true } : {}),
    ...(interaction.inGuild() ? { appPermissions: interaction.appPermissions.bitfield } : {}),
    actor: actorOf(interaction, receivedAt),
    locale: interaction.locale,
    receivedAt,
  };
  if (interaction.isButton()) return { ...base, kind: 'component', customId: interaction.customId, options: new Map() };
  const options = leafOptions(interaction.options.data);
  const subcommand = interaction.options.getSubcommand(false) ?? undefined;
  if (interaction.isAutocomplete()) {
    const focused = interaction.options.getFocused(true);
    return { ...base, kind: 'autocomplete', commandName: interaction.commandName, subcommand, options, focused: { name: focused.name, value: String(focused.value) } };
  }
  return { ...base, kind: 'command', commandName: interaction.commandName, subcommand, options };
}
