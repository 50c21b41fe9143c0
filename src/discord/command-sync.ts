import type { APIApplicationCommand, RESTPostAPIApplicationCommandsJSONBody } from 'discord-api-types/v10';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface CommandSyncPlan {
  readonly added: readonly string[];
  readonly changed: readonly { readonly name: string; readonly differences: readonly string[] }[];
  readonly removed: readonly string[];
  /** Activity entry points that exist remotely: Discord refuses a bulk overwrite that drops them. */
  readonly kept: readonly string[];
  readonly unchanged: readonly string[];
  /** What a bulk overwrite must send: the local commands plus the kept entry points. */
  readonly body: readonly RESTPostAPIApplicationCommandsJSONBody[];
  readonly needsWrite: boolean;
}

/** The defaults Discord fills in when echoing a command, so equal commands compare equal. */
function normalizeOption(o: Record<string, unknown>): Json {
  const out: Record<string, Json> = { type: o.type as number, name: o.name as string, description: (o.description as string) ?? '' };
  if (o.type !== 1 && o.type !== 2) out.required = Boolean(o.required);
  for (const k of ['choices', 'min_length', 'max_length', 'min_value', 'max_value', 'channel_types'] as const) {
    if (o[k] !== undefined && o[k] !== null) out[k] = o[k] as Json;
  }
  if (o.autocomplete) out.autocomplete = true;
  if (Array.isArray(o.options) && o.options.length > 0) out.options = o.options.map((x) => normalizeOption(x as Record<string, unknown>));
  return out;
}

/**
 * `contexts` and `integration_types` exist "only for globally-scoped commands": Discord drops them
 * from guild commands, so a guild comparison leaves them out on both sides.
 * @see https://discord.com/developers/docs/interactions/application-commands#application-command-object
 */
export type CommandScope = 'global' | 'guild';

export function normalizeCommand(c: Record<string, unknown>, scope: CommandScope = 'global'): Json {
  const normalized: Record<string, Json> = {
    type: (c.type as number | undefined) ?? 1,
    name: c.name as string,
    description: (c.description as string) ?? '',
    options: Array.isArray(c.options) ? c.options.map((x) => normalizeOption(x as Record<string, unknown>)) : [],
    default_member_permissions: (c.default_member_permissions as string | null | undefined) ?? null,
    contexts: (c.contexts as number[] | null | undefined) ?? null,
    integration_types: (c.integration_types as number[] | null | undefined) ?? null,
    nsfw: Boolean(c.nsfw),
  };
  if (scope === 'guild') {
    delete normalized.contexts;
    delete normalized.integration_types;
  }
  return normalized;
}

/** Human-readable paths where two normalized values differ, e.g. `options[start].options[title].max_length: 80 → 100`. */
export function describeDifferences(remote: Json, local: Json, path = ''): string[] {
  if (JSON.stringify(remote) === JSON.stringify(local)) return [];
  const isObj = (v: Json): v is { [k: string]: Json } => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (Array.isArray(remote) && Array.isArray(local) && [...remote, ...local].every((x) => isObj(x) && typeof x.name === 'string')) {
    const byName = (arr: Json[]) => new Map(arr.map((x) => [(x as { name: string }).name, x]));
    const r = byName(remote);
    const l = byName(local);
    const out: string[] = [];
    for (const [name, lv] of l) out.push(...(r.has(name) ? describeDifferences(r.get(name)!, lv, `${path}[${name}]`) : [`${path}[${name}]: added`]));
    for (const name of r.keys()) if (!l.has(name)) out.push(`${path}[${name}]: removed`);
    const order = (m: Map<string, Json>) => [...m.keys()].join(',');
    if (out.length === 0 && order(r) !== order(l)) out.push(`${path}: order changed`);
    return out;
  }
  if (isObj(remote) && isObj(local)) {
    const keys = [...new Set([...Object.keys(remote), ...Object.keys(local)])];
    return keys.flatMap((k) => describeDifferences(remote[k] ?? null, local[k] ?? null, path ? `${path}.${k}` : k));
  }
  return [`${path}: ${JSON.stringify(remote)} → ${JSON.stringify(local)}`];
}

/** Compares what Discord has with what this release defines; writes are needed only when they differ. */
export function planCommandSync(local: readonly RESTPostAPIApplicationCommandsJSONBody[], remote: readonly APIApplicationCommand[], scope: CommandScope = 'global'): CommandSyncPlan {
  const remoteByKey = new Map(remote.map((c) => [`${c.type ?? 1}:${c.name}`, c]));
  const localKeys = new Set(local.map((c) => `${c.type ?? 1}:${c.name}`));
  const added: string[] = [];
  const changed: { name: string; differences: string[] }[] = [];
  const unchanged: string[] = [];
  for (const c of local) {
    const r = remoteByKey.get(`${c.type ?? 1}:${c.name}`);
    if (!r) added.push(c.name);
    else {
      const differences = describeDifferences(normalizeCommand(r as unknown as Record<string, unknown>, scope), normalizeCommand(c as unknown as Record<string, unknown>, scope));
      if (differences.length > 0) changed.push({ name: c.name, differences });
      else unchanged.push(c.name);
    }
  }
  const extra = remote.filter((c) => !localKeys.has(`${c.type ?? 1}:${c.name}`));
  const keptCommands = extra.filter((c) => c.type === 4);
  const removed = extra.filter((c) => c.type !== 4).map((c) => c.name);
  const keptBodies = keptCommands.map((c) => {
    const { id: _id, application_id: _app, version: _v, guild_id: _g, ...body } = c as APIApplicationCommand & { guild_id?: string };
    return body as unknown as RESTPostAPIApplicationCommandsJSONBody;
  });
  return {
    added,
    changed,
    removed,
    kept: keptCommands.map((c) => c.name),
    unchanged,
    body: [...local, ...keptBodies],
    needsWrite: added.length > 0 || changed.length > 0 || removed.length > 0,
  };
}
