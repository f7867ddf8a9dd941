/**
 * Application commands over REST: listing, bulk-overwriting (`PUT`) and upserting (`POST`) global
 * or guild commands, validated like Discord and echoed with ids and versions.
 */
import type { APIApplicationCommand } from 'discord.js';
import { DiscordApiError, fieldError, invalidFormBody } from './errors.js';
import { asRecord, type Json } from './json.js';
import { GLOBAL_COMMANDS } from './records.js';
import type { ApiRequest } from './rest.js';
import type { DiscordState } from './state.js';
import { validateCommand } from './validation.js';

/** `GET .../commands`: the commands registered in the request's scope. */
export function listCommands(state: DiscordState, request: ApiRequest): APIApplicationCommand[] {
  const scope = requireScope(state, request);
  return state.commands.get(scope) ?? [];
}

/** `PUT .../commands`: replaces every command in the scope, keeping the ids of same-named ones. */
export function putCommands(state: DiscordState, request: ApiRequest): APIApplicationCommand[] {
  const scope = requireScope(state, request);
  if (!Array.isArray(request.body)) {
    throw invalidFormBody(fieldError('BASE_TYPE_ARRAY', 'Must be an array.'));
  }
  const bodies = request.body.map(asRecord);
  const errors: Json = {};
  bodies.forEach((body, index) => {
    const commandErrors = validateCommand(body);
    if (commandErrors) errors[index] = commandErrors;
  });
  if (Object.keys(errors).length > 0) throw invalidFormBody(errors);
  const existing = state.commands.get(scope) ?? [];
  const saved = bodies.map((body) => toCommand(state, body, existing, scope));
  state.commands.set(scope, saved);
  return saved;
}

/** `POST .../commands`: creates a command, or replaces the one with its name and type. */
export function upsertCommand(state: DiscordState, request: ApiRequest): APIApplicationCommand {
  const scope = requireScope(state, request);
  const body = asRecord(request.body);
  const errors = validateCommand(body);
  if (errors) throw invalidFormBody(errors);
  const existing = state.commands.get(scope) ?? [];
  const saved = toCommand(state, body, existing, scope);
  state.commands.set(scope, [...existing.filter((c) => c.id !== saved.id), saved]);
  return saved;
}

/**
 * The request's scope: its `:guildId`, or {@link GLOBAL_COMMANDS}. Another application's commands
 * answer 403 Missing Access, an unknown guild 404.
 */
function requireScope(state: DiscordState, request: ApiRequest): string {
  if (request.params.applicationId !== state.applicationId) {
    throw new DiscordApiError(403, 50001, 'Missing Access');
  }
  const scope = request.params.guildId ?? GLOBAL_COMMANDS;
  if (scope !== GLOBAL_COMMANDS) state.requireGuild(scope);
  return scope;
}

function toCommand(
  state: DiscordState,
  body: Json,
  existing: APIApplicationCommand[],
  scope: string,
): APIApplicationCommand {
  const type = typeof body.type === 'number' ? body.type : 1;
  const previous = existing.find((c) => c.name === body.name && c.type === type);
  const command: Json = {
    id: previous?.id ?? state.nextId(),
    application_id: state.applicationId,
    version: state.nextId(),
    type,
    name: body.name,
    name_localizations: body.name_localizations ?? null,
    description: typeof body.description === 'string' ? body.description : '',
    description_localizations: body.description_localizations ?? null,
    default_member_permissions: body.default_member_permissions ?? null,
    nsfw: body.nsfw === true,
    integration_types: body.integration_types ?? [0],
    contexts: body.contexts ?? null,
  };
  if (Array.isArray(body.options)) command.options = body.options;
  if (scope !== GLOBAL_COMMANDS) command.guild_id = scope;
  else command.dm_permission = body.dm_permission !== false;
  return command as unknown as APIApplicationCommand;
}
