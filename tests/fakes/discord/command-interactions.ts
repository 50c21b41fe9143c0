import type {
  APIApplicationCommand,
  APIChatInputApplicationCommandInteractionData,
  APIInteractionDataResolved,
  APIInteractionDataResolvedChannel,
} from 'discord-api-types/v10';
import type { FakeState } from './fake-state';
import { toUser } from './guild-objects';
import { dispatchInteraction, resolveContext, type InteractionContext } from './interaction-payloads';
import type { AutocompleteOptions, CommandOptionInput, InvokeCommandOptions, InteractionHandle } from './types';

/**
 * APPLICATION_COMMAND and AUTOCOMPLETE interactions for a chat-input command. Options are typed
 * from the command the bot registered (guild scope first, then global), so a test that names an
 * option or subcommand the bot does not define fails here instead of confusing the bot.
 * @see https://discord.com/developers/docs/interactions/application-commands#slash-commands-example-interaction
 */

interface DefinedOption {
  type: number;
  name: string;
  required?: boolean;
  options?: DefinedOption[];
}

interface DataOption {
  type: number;
  name: string;
  value?: string | number | boolean;
  focused?: boolean;
  options?: DataOption[];
}

const SUBCOMMAND = 1;
const GROUP = 2;

function findCommand(state: FakeState, guildId: string, name: string): APIApplicationCommand | undefined {
  const isMatch = (c: APIApplicationCommand) => c.name === name && c.type === 1;
  return state.commands.guilds.get(guildId)?.find(isMatch) ?? state.commands.global.find(isMatch);
}

/** Walks group → subcommand in the definition; `undefined` leaves mean "not registered, infer types". */
function leafDefinitions(command: APIApplicationCommand | undefined, opts: InvokeCommandOptions): DefinedOption[] | undefined {
  if (!command) return undefined;
  let level = (command.options ?? []) as DefinedOption[];
  const path = `/${opts.name}`;
  for (const [kind, name] of [[GROUP, opts.group], [SUBCOMMAND, opts.subcommand]] as const) {
    const hasKind = level.some((o) => o.type === kind);
    if (name === undefined) {
      if (hasKind && (kind === SUBCOMMAND || !level.some((o) => o.type === SUBCOMMAND))) {
        throw new Error(`fake Discord: ${path} needs a ${kind === GROUP ? 'group' : 'subcommand'} (one of ${level.map((o) => o.name).join(', ')})`);
      }
      continue;
    }
    const found = level.find((o) => o.type === kind && o.name === name);
    if (!found) throw new Error(`fake Discord: ${path} has no ${kind === GROUP ? 'group' : 'subcommand'} "${name}"`);
    level = found.options ?? [];
  }
  return level;
}

function inferType(value: CommandOptionInput): number {
  if (typeof value === 'object') return value.type;
  if (typeof value === 'boolean') return 5;
  if (typeof value === 'number') return Number.isInteger(value) ? 4 : 10;
  return 3;
}

function coerce(type: number, raw: CommandOptionInput): string | number | boolean {
  const value = typeof raw === 'object' ? raw.value : raw;
  if (type === 4 || type === 10) return Number(value);
  if (type === 5) return value === true || value === 'true';
  return String(value);
}

function leafOptions(defs: DefinedOption[] | undefined, opts: InvokeCommandOptions, focused?: { name: string; value: string }): DataOption[] {
  const entries = Object.entries(opts.options ?? {}).filter(([name]) => name !== focused?.name);
  const typeOf = (name: string, value: CommandOptionInput | undefined) => {
    const def = defs?.find((d) => d.name === name);
    if (defs && !def) throw new Error(`fake Discord: /${opts.name} has no option "${name}" (defined: ${defs.map((d) => d.name).join(', ') || 'none'})`);
    return def?.type ?? (value === undefined ? 3 : inferType(value));
  };
  const options: DataOption[] = entries.map(([name, value]) => {
    const type = typeOf(name, value);
    return { type, name, value: coerce(type, value) };
  });
  if (focused) options.push({ type: typeOf(focused.name, undefined), name: focused.name, value: focused.value, focused: true });
  else {
    const missing = (defs ?? []).filter((d) => d.required && !(d.name in (opts.options ?? {})));
    if (missing.length) throw new Error(`fake Discord: /${opts.name} is missing required option(s) ${missing.map((d) => d.name).join(', ')}`);
  }
  return options;
}

function nest(opts: InvokeCommandOptions, leaves: DataOption[]): DataOption[] {
  if (opts.subcommand === undefined) return leaves;
  const sub: DataOption = { type: SUBCOMMAND, name: opts.subcommand, options: leaves };
  return opts.group === undefined ? [sub] : [{ type: GROUP, name: opts.group, options: [sub] }];
}

/** `data.resolved` for user, channel, role and mentionable options, as the client fills it in. */
function resolvedFor(ctx: InteractionContext, state: FakeState, options: DataOption[], extra?: APIInteractionDataResolved): APIInteractionDataResolved | undefined {
  const resolved: APIInteractionDataResolved = structuredClone(extra ?? {});
  for (const option of options) {
    const id = String(option.value);
    const role = ctx.guild.roles.find((r) => r.id === id);
    if (option.type === 8 || (option.type === 9 && role)) {
      if (role) (resolved.roles ??= {})[id] = role;
    } else if (option.type === 6 || option.type === 9) {
      const member = state.members.get(`${ctx.guild.id}:${id}`);
      (resolved.users ??= {})[id] = toUser(member ?? { id, username: `user${id.slice(-4)}` });
      if (member) {
        (resolved.members ??= {})[id] = {
          roles: [...(member.roles ?? [])],
          nick: member.nick ?? null,
          avatar: null,
          joined_at: '2024-01-15T10:00:00.000000+00:00',
          premium_since: null,
          pending: false,
          permissions: '0',
          communication_disabled_until: null,
        } as NonNullable<APIInteractionDataResolved['members']>[string];
      }
    } else if (option.type === 7) {
      const channel = state.channels.get(id)?.channel;
      if (channel) (resolved.channels ??= {})[id] = { id, name: channel.name, type: channel.type, permissions: '0' } as APIInteractionDataResolvedChannel;
    }
  }
  return Object.keys(resolved).length ? resolved : undefined;
}

function commandInteraction(state: FakeState, opts: InvokeCommandOptions, focused?: { name: string; value: string }): InteractionHandle {
  const ctx = resolveContext(state, opts);
  const command = findCommand(state, ctx.guild.id, opts.name);
  const leaves = leafOptions(leafDefinitions(command, opts), opts, focused);
  const options = nest(opts, leaves);
  const resolved = resolvedFor(ctx, state, leaves, opts.resolved);
  const data = {
    id: command?.id ?? state.nextId(),
    name: opts.name,
    type: 1,
    ...(options.length ? { options } : {}),
    ...(command?.guild_id ? { guild_id: command.guild_id } : {}),
    ...(resolved ? { resolved } : {}),
  } as APIChatInputApplicationCommandInteractionData;
  return dispatchInteraction(state, ctx, opts, { type: focused ? 4 : 2, data, commandName: opts.name });
}

export function invokeCommand(state: FakeState, opts: InvokeCommandOptions): InteractionHandle {
  return commandInteraction(state, opts);
}

export function autocomplete(state: FakeState, opts: AutocompleteOptions): InteractionHandle {
  return commandInteraction(state, opts, { name: opts.focused, value: opts.value });
}
