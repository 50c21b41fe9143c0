import type { Actor } from '../../core/meetings/actor';

export type OptionValue = string | number | boolean;

/**
 * One interaction as the handlers see it, whatever transport delivered it (the gateway
 * today, an HTTP interactions endpoint later). Built from the payload by a transport;
 * handlers never see discord.js objects.
 */
export interface InteractionRequest {
  readonly id: string;
  readonly kind: 'command' | 'component' | 'autocomplete';
  /** Top-level command name, e.g. `kaltura` (commands and autocomplete). */
  readonly commandName?: string;
  /** Subcommand name, e.g. `start`. */
  readonly subcommand?: string;
  /** The subcommand's options by name (for autocomplete, as typed so far). */
  readonly options: ReadonlyMap<string, OptionValue>;
  /** Autocomplete: the option being typed. */
  readonly focused?: { readonly name: string; readonly value: string };
  /** Components: the button's custom id, e.g. `kaltura:join:m_…`. */
  readonly customId?: string;
  readonly guildId?: string;
  readonly channelId?: string;
  /** The invoking channel is a thread (public, private or announcement): its permissions come from the parent. */
  readonly inThread?: boolean;
  /**
   * The bot's own permissions in the invoking channel (`app_permissions`, overwrites applied), so a
   * handler can refuse before it promises a channel message. Absent outside guilds.
   * @see https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object
   */
  readonly appPermissions?: bigint;
  readonly actor: Actor;
  readonly locale?: string;
  /** When the transport received it (ms), for acknowledgement latency. */
  readonly receivedAt: number;
}

/** Typed access to options with the checks Discord already did re-done (payloads are input). */
export function stringOption(req: InteractionRequest, name: string): string | undefined {
  const v = req.options.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function integerOption(req: InteractionRequest, name: string): number | undefined {
  const v = req.options.get(name);
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

export function booleanOption(req: InteractionRequest, name: string): boolean | undefined {
  const v = req.options.get(name);
  return typeof v === 'boolean' ? v : undefined;
}
