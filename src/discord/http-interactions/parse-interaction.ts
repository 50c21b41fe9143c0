import { duringTimeout, type Actor } from '../../core/meetings/actor';
import type { InteractionRequest, OptionValue } from '../interactions/interaction-request';

/**
 * The raw interaction Discord POSTs, parsed into the same `InteractionRequest` the gateway transport
 * builds (see ../gateway/to-interaction-request.ts), validated field by field: after the signature
 * the payload is Discord's, but a shape we do not expect must be a clear 400, never a crash.
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object
 */

export class InteractionPayloadError extends Error {
  override readonly name = 'InteractionPayloadError';
}

/** What arrived: a PING, an interaction the dispatcher answers, or one this bot has no use for (select menus, modals…). */
export type ParsedInteraction =
  | { readonly kind: 'ping' }
  | { readonly kind: 'unsupported'; readonly type: number; readonly id: string; readonly token: string; readonly applicationId: string }
  | { readonly kind: 'dispatch'; readonly type: 2 | 3 | 4; readonly request: InteractionRequest; readonly token: string; readonly applicationId: string };

type Json = Record<string, unknown>;
const SNOWFLAKE = /^\d{15,21}$/;
const BITFIELD = /^\d{1,40}$/;
/** Public, announcement and private threads. @see https://discord.com/developers/docs/resources/channel#channel-object-channel-types */
const THREAD_TYPES = new Set([10, 11, 12]);
const MAX_OPTION_DEPTH = 3; // group → subcommand → option

const fail = (what: string): never => {
  throw new InteractionPayloadError(`interaction payload: ${what}`);
};
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const object = (v: unknown, what: string): Json => (isObject(v) ? v : fail(`${what} is not an object`));
const snowflake = (v: unknown, what: string): string => (typeof v === 'string' && SNOWFLAKE.test(v) ? v : fail(`${what} is not a snowflake`));
const optionalSnowflake = (v: unknown, what: string): string | undefined => (v === undefined || v === null ? undefined : snowflake(v, what));
const text = (v: unknown, what: string, max: number): string => (typeof v === 'string' && v.length >= 1 && v.length <= max ? v : fail(`${what} is not a string of 1 to ${max} characters`));
const optionalText = (v: unknown, what: string, max: number): string | undefined => (v === undefined || v === null ? undefined : text(v, what, max));
const bitfield = (v: unknown, what: string): bigint => (typeof v === 'string' && BITFIELD.test(v) ? BigInt(v) : fail(`${what} is not a permission bitfield`));

interface RawOption {
  readonly type: number;
  readonly name: string;
  readonly value?: OptionValue;
  readonly focused?: boolean;
  readonly options?: readonly RawOption[];
}

function parseOptions(v: unknown, depth: number): RawOption[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.length > 25) fail('data.options is not a list of at most 25 options');
  if (depth > MAX_OPTION_DEPTH) fail('data.options are nested too deeply');
  return (v as unknown[]).map((raw) => {
    const o = object(raw, 'an option');
    const type = Number.isInteger(o.type) ? (o.type as number) : fail('an option has no integer type');
    const value = o.value;
    if (value !== undefined && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') fail(`option ${String(o.name)} has a value of the wrong type`);
    if (typeof value === 'string' && value.length > 6000) fail(`option ${String(o.name)} is longer than 6000 characters`);
    return {
      type,
      name: text(o.name, 'an option name', 32),
      ...(value !== undefined ? { value: value as OptionValue } : {}),
      ...(o.focused === true ? { focused: true } : {}),
      ...(o.options !== undefined ? { options: parseOptions(o.options, depth + 1) } : {}),
    };
  });
}

/** Every leaf option by name, as the gateway transport does (subcommand and group levels flattened). */
function leafOptions(options: readonly RawOption[], out = new Map<string, OptionValue>()): Map<string, OptionValue> {
  for (const o of options) {
    if (o.options) leafOptions(o.options, out);
    else if (o.value !== undefined) out.set(o.name, o.value);
  }
  return out;
}

const SUBCOMMAND = 1;
const GROUP = 2;
function subcommandOf(options: readonly RawOption[]): string | undefined {
  const top = options[0];
  if (top?.type === SUBCOMMAND) return top.name;
  if (top?.type === GROUP) return top.options?.find((o) => o.type === SUBCOMMAND)?.name;
  return undefined;
}

function focusedOf(options: readonly RawOption[]): RawOption | undefined {
  for (const o of options) {
    if (o.focused) return o;
    const inner = o.options && focusedOf(o.options);
    if (inner) return inner;
  }
  return undefined;
}

/** The CDN URL discord.js's `displayAvatarURL({ size: 256 })` gives, so Kaltura sees the same picture in both modes. @see https://discord.com/developers/docs/reference#image-formatting */
function avatarUrl(user: { id: string; avatar?: string; discriminator?: string }): string {
  if (user.avatar) return `https://cdn.discordapp.com/avatars/${user.id}/${user.avatar}.${user.avatar.startsWith('a_') ? 'gif' : 'webp'}?size=256`;
  const legacy = user.discriminator && user.discriminator !== '0' && user.discriminator !== '0000';
  const index = legacy ? Number(user.discriminator) % 5 : Number((BigInt(user.id) >> 22n) % 6n);
  return `https://cdn.discordapp.com/embed/avatars/${index}.png`;
}

function actorOf(raw: Json, channelId: string | undefined, receivedAt: number): Actor {
  const member = raw.member === undefined || raw.member === null ? undefined : object(raw.member, 'member');
  const user = object(member ? member.user : raw.user, member ? 'member.user' : 'user');
  const id = snowflake(user.id, 'user.id');
  const username = text(user.username, 'user.username', 100);
  const avatar = optionalText(user.avatar, 'user.avatar', 100);
  const discriminator = optionalText(user.discriminator, 'user.discriminator', 4);
  const roleIds = member ? (Array.isArray(member.roles) ? member.roles.map((r) => snowflake(r, 'a member role')) : fail('member.roles is not a list')) : [];
  const until = member ? optionalText(member.communication_disabled_until, 'member.communication_disabled_until', 40) : undefined;
  const timedOut = until !== undefined && Date.parse(until) > receivedAt;
  const permissions = member ? bitfield(member.permissions, 'member.permissions') : 0n;
  const nick = member ? optionalText(member.nick, 'member.nick', 100) : undefined;
  return {
    id,
    displayName: nick || optionalText(user.global_name, 'user.global_name', 100) || username,
    roleIds,
    // Discord computed these for the invoking channel only; the core computes other channels' itself.
    permissions: duringTimeout(permissions, timedOut),
    ...(timedOut ? { timedOut } : {}),
    ...(channelId ? { channelId } : {}),
    avatarUrl: avatarUrl({ id, ...(avatar ? { avatar } : {}), ...(discriminator ? { discriminator } : {}) }),
  };
}

/** Raw interaction JSON (already signature-checked) → what the dispatcher needs; throws InteractionPayloadError. */
export function parseInteraction(value: unknown, receivedAt: number): ParsedInteraction {
  const raw = object(value, 'the body');
  const type = raw.type;
  if (type === 1) return { kind: 'ping' };
  if (typeof type !== 'number' || !Number.isInteger(type)) return fail('type is not an interaction type');
  const id = snowflake(raw.id, 'id');
  const applicationId = snowflake(raw.application_id, 'application_id');
  const token = text(raw.token, 'token', 1000);
  const data = object(raw.data, 'data');
  const isCommand = (type === 2 || type === 4) && data.type === 1; // chat input; user/message commands are not ours
  const isButton = type === 3 && data.component_type === 2;
  if (!isCommand && !isButton) return { kind: 'unsupported', type, id, token, applicationId };

  const guildId = optionalSnowflake(raw.guild_id, 'guild_id');
  const channel = raw.channel === undefined ? undefined : object(raw.channel, 'channel');
  // discord.js reads `channel.id`; `channel_id` is the older field (reference §1.2)
  const channelId = optionalSnowflake(channel?.id ?? raw.channel_id, 'channel.id');
  const base = {
    id,
    ...(guildId ? { guildId } : {}),
    ...(channelId ? { channelId } : {}),
    ...(typeof channel?.type === 'number' && THREAD_TYPES.has(channel.type) ? { inThread: true } : {}),
    ...(guildId && raw.app_permissions !== undefined ? { appPermissions: bitfield(raw.app_permissions, 'app_permissions') } : {}),
    actor: actorOf(raw, channelId, receivedAt),
    ...(raw.locale !== undefined ? { locale: text(raw.locale, 'locale', 16) } : {}),
    receivedAt,
  };
  if (isButton) {
    const request: InteractionRequest = { ...base, kind: 'component', customId: text(data.custom_id, 'data.custom_id', 100), options: new Map() };
    return { kind: 'dispatch', type: 3, request, token, applicationId };
  }
  const options = parseOptions(data.options, 1);
  const commandName = text(data.name, 'data.name', 32);
  const subcommand = subcommandOf(options);
  const common = { ...base, commandName, ...(subcommand ? { subcommand } : {}), options: leafOptions(options) };
  if (type === 4) {
    const focused = focusedOf(options) ?? fail('an autocomplete interaction has no focused option');
    return { kind: 'dispatch', type: 4, request: { ...common, kind: 'autocomplete', focused: { name: focused.name, value: String(focused.value ?? '') } }, token, applicationId };
  }
  return { kind: 'dispatch', type: 2, request: { ...common, kind: 'command' }, token, applicationId };
}
