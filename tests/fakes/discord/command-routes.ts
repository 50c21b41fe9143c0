import type { APIApplicationCommand } from 'discord-api-types/v10';
import { apiErrors } from './api-errors';
import type { FakeState } from './fake-state';
import type { JsonObject } from './json-value';
import { ok, type RestRequest, type RestRoute } from './rest-route';
import type { CommandSeed } from './types';
import { validateCommandList } from './validate-commands';

/**
 * Application commands per scope (global, or one guild). A bulk PUT replaces the scope, keeping the
 * id of a command whose name and type existed; its `version` changes only when its definition does.
 * @see https://discord.com/developers/docs/interactions/application-commands#bulk-overwrite-global-application-commands
 */

const ENTRY_POINT = 4;

export function commandScope(state: FakeState, guildId?: string): APIApplicationCommand[] {
  if (guildId === undefined) return state.commands.global;
  let list = state.commands.guilds.get(guildId);
  if (!list) state.commands.guilds.set(guildId, (list = []));
  return list;
}

/** The definition fields, for telling whether an overwrite changed a command. */
function definition(command: APIApplicationCommand | JsonObject): string {
  const { id: _id, application_id: _app, version: _version, guild_id: _guild, ...rest } = command as JsonObject;
  return JSON.stringify(rest, Object.keys(rest).sort());
}

function toStored(state: FakeState, input: JsonObject, existing: APIApplicationCommand | undefined, guildId?: string): APIApplicationCommand {
  const type = Number(input.type ?? 1);
  // `contexts` and `integration_types` are "only for globally-scoped commands": a guild command is
  // stored (and echoed) without them, whatever the request sent.
  // @see https://discord.com/developers/docs/interactions/application-commands#application-command-object
  const { contexts: _contexts, integration_types: _integrationTypes, ...scoped } = input;
  const base = {
    ...(guildId === undefined ? input : scoped),
    type,
    description: typeof input.description === 'string' ? input.description : '',
    default_member_permissions: (input.default_member_permissions as string | null | undefined) ?? null,
    nsfw: input.nsfw === true,
    ...(guildId === undefined ? { contexts: input.contexts ?? null, integration_types: input.integration_types ?? [0] } : {}),
  };
  const unchanged = existing !== undefined && definition(existing) === definition(base);
  return {
    ...base,
    id: existing?.id ?? (typeof input.id === 'string' ? input.id : state.nextId()),
    application_id: state.applicationId,
    version: unchanged ? existing.version : state.nextId(),
    ...(guildId !== undefined ? { guild_id: guildId } : {}),
  } as APIApplicationCommand;
}

const sameCommand = (a: { name?: unknown; type?: unknown }, b: { name?: unknown; type?: unknown }) =>
  a.name === b.name && Number(a.type ?? 1) === Number(b.type ?? 1);

export function seedCommands(state: FakeState, seeds: readonly CommandSeed[], guildId?: string): void {
  const list = commandScope(state, guildId);
  for (const seed of seeds) {
    const input = seed as unknown as JsonObject;
    const index = list.findIndex((c) => sameCommand(c, input));
    const stored = toStored(state, input, list[index], guildId);
    if (index >= 0) list[index] = stored;
    else list.push(stored);
  }
}

function scopeOf(state: FakeState, req: RestRequest): string | undefined {
  if (req.params.app !== state.applicationId) throw apiErrors.missingAccess();
  const guildId = req.params.guild;
  if (guildId !== undefined && !state.guilds.has(guildId)) throw apiErrors.missingAccess();
  return guildId;
}

function findCommand(state: FakeState, req: RestRequest): { list: APIApplicationCommand[]; index: number; guildId: string | undefined } {
  const guildId = scopeOf(state, req);
  const list = commandScope(state, guildId);
  const index = list.findIndex((c) => c.id === req.params.command);
  if (index < 0) throw apiErrors.unknownCommand();
  return { list, index, guildId };
}

function bulkOverwrite(state: FakeState, req: RestRequest) {
  const guildId = scopeOf(state, req);
  const inputs = validateCommandList(req.body);
  const list = commandScope(state, guildId);
  const entryPoint = list.find((c) => c.type === ENTRY_POINT);
  if (guildId === undefined && entryPoint && !inputs.some((c) => Number(c.type) === ENTRY_POINT)) throw apiErrors.entryPointRemoval();
  const next = inputs.map((input) => toStored(state, input, list.find((c) => sameCommand(c, input)), guildId));
  list.splice(0, list.length, ...next);
  return ok(next);
}

function createOne(state: FakeState, req: RestRequest) {
  const guildId = scopeOf(state, req);
  const [input] = validateCommandList([req.body], true);
  const list = commandScope(state, guildId);
  const index = list.findIndex((c) => sameCommand(c, input ?? {}));
  const stored = toStored(state, input ?? {}, list[index], guildId);
  if (index >= 0) list[index] = stored;
  else list.push(stored);
  return { status: index >= 0 ? 200 : 201, body: stored };
}

function editOne(state: FakeState, req: RestRequest) {
  const { list, index, guildId } = findCommand(state, req);
  const current = list[index] as APIApplicationCommand;
  const merged = { ...(current as unknown as JsonObject), ...(req.body as JsonObject) };
  const [input] = validateCommandList([merged], true);
  const stored = toStored(state, input ?? merged, current, guildId);
  list[index] = stored;
  return ok(stored);
}

export const commandRoutes: RestRoute[] = [
  ...(['/applications/:app/commands', '/applications/:app/guilds/:guild/commands'] as const).flatMap((template): RestRoute[] => [
    { method: 'GET', template, auth: 'bot', handle: (state, req) => ok(commandScope(state, scopeOf(state, req))) },
    { method: 'PUT', template, auth: 'bot', handle: bulkOverwrite },
    { method: 'POST', template, auth: 'bot', handle: createOne },
    {
      method: 'GET',
      template: `${template}/:command`,
      auth: 'bot',
      handle: (state, req) => {
        const { list, index } = findCommand(state, req);
        return ok(list[index]);
      },
    },
    { method: 'PATCH', template: `${template}/:command`, auth: 'bot', handle: editOne },
    {
      method: 'DELETE',
      template: `${template}/:command`,
      auth: 'bot',
      handle: (state, req) => {
        const { list, index } = findCommand(state, req);
        list.splice(index, 1);
        return ok();
      },
    },
  ]),
];
