import { FormErrors } from './api-errors';
import { asArray, asObject, type JsonObject } from './json-value';

/**
 * Command registration checks, reported as 50035 at Discord's paths (`0.options[2]` in the
 * discord.js message). Codes are the ones real registrations log; see README for the guessed ones.
 * @see https://discord.com/developers/docs/interactions/application-commands#application-command-object
 */

/** CHAT_INPUT names and option names (reference §2.2). */
const NAME_PATTERN = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const OPTION_TYPES = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
type Path = ReadonlyArray<string | number>;

/** Validates a bulk-overwrite body (or a single command, as `[command]` at `[]`). */
export function validateCommandList(body: unknown, single = false): JsonObject[] {
  const errors = new FormErrors();
  if (!Array.isArray(body)) {
    errors.add([], 'LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType');
    errors.throwIfAny();
  }
  const commands = asArray(body).map(asObject);
  commands.forEach((command, i) => checkCommand(errors, single ? [] : [i], command));
  const seen = new Set<string>();
  for (const command of commands) {
    const key = `${String(command.type ?? 1)}:${String(command.name)}`;
    if (seen.has(key)) errors.add([], 'APPLICATION_COMMANDS_DUPLICATE_NAME', `Application command names must be unique`);
    seen.add(key);
  }
  errors.throwIfAny();
  return commands;
}

function checkCommand(errors: FormErrors, at: Path, command: JsonObject): void {
  const type = command.type ?? 1;
  if (![1, 2, 3, 4].includes(Number(type))) {
    errors.add([...at, 'type'], 'BASE_TYPE_CHOICES', 'Value must be one of (1, 2, 3, 4).');
    return;
  }
  const slashLike = type === 1 || type === 4;
  checkName(errors, [...at, 'name'], command.name, slashLike);
  if (slashLike) checkDescription(errors, [...at, 'description'], command.description);
  if (type === 1) checkOptions(errors, [...at, 'options'], command.options, 0);
  const permissions = command.default_member_permissions;
  if (permissions !== undefined && permissions !== null && !(typeof permissions === 'string' && /^\d+$/.test(permissions))) {
    errors.add([...at, 'default_member_permissions'], 'NUMBER_TYPE_COERCE', `Value "${String(permissions)}" is not int.`);
  }
}

function checkName(errors: FormErrors, path: Path, name: unknown, slashLike: boolean): void {
  if (typeof name !== 'string') return errors.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
  if (!slashLike) return errors.checkLength(path, name, 1, 32);
  if (!NAME_PATTERN.test(name) || name !== name.toLowerCase()) errors.add(path, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
}

function checkDescription(errors: FormErrors, path: Path, description: unknown): void {
  if (typeof description !== 'string') return errors.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
  errors.checkLength(path, description, 1, 100);
}

/** `depth` 0: a command's options; 1: a group's or subcommand's; 2: a grouped subcommand's. */
function checkOptions(errors: FormErrors, path: Path, value: unknown, depth: number): void {
  if (value === undefined || value === null) return;
  if (asArray(value).length > 25) return errors.checkCount(path, value, 25);
  const options = asArray(value).map(asObject);
  const names = new Set<string>();
  let sawOptional = false;
  options.forEach((option, j) => {
    const p = [...path, j];
    const type = Number(option.type);
    if (!OPTION_TYPES.has(type)) return errors.add([...p, 'type'], 'BASE_TYPE_CHOICES', 'Value must be one of (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11).');
    checkName(errors, [...p, 'name'], option.name, true);
    checkDescription(errors, [...p, 'description'], option.description);
    if (typeof option.name === 'string') {
      if (names.has(option.name)) errors.add([...p, 'name'], 'APPLICATION_COMMAND_OPTIONS_DUPLICATE_NAME', 'Option names must be unique');
      names.add(option.name);
    }
    if (type === 1 || type === 2) {
      if (type === 2 && depth > 0) errors.add([...p, 'type'], 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', 'Sub-command groups cannot be nested');
      checkOptions(errors, [...p, 'options'], option.options, depth + 1);
      return;
    }
    // Discord reports every required option that follows an optional one.
    if (option.required === true && sawOptional) {
      errors.add(p, 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be placed before non-required options');
    }
    if (option.required !== true) sawOptional = true;
    errors.checkCount([...p, 'choices'], option.choices, 25);
    asArray(option.choices).forEach((rawChoice, k) => {
      const choice = asObject(rawChoice);
      errors.checkLength([...p, 'choices', k, 'name'], choice.name, 1, 100);
      errors.checkLength([...p, 'choices', k, 'value'], choice.value, 1, 100);
    });
  });
}
