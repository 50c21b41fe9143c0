import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { UserError } from '../user-error';
import type { SettingKey } from './setting-keys';

/**
 * Checks a value against the schema node of its key (the one the YAML `defaults` are checked
 * against), with messages written for a server admin. One compiled validator per key.
 */
export function createSettingValidator(): (key: SettingKey, value: unknown) => void {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  ajv.addVocabulary(['x-secret', 'x-pattern-hint']);
  const compiled = new Map<string, ValidateFunction>();
  return (key, value) => {
    let validate = compiled.get(key.path);
    if (!validate) compiled.set(key.path, (validate = ajv.compile(key.node)));
    if (validate(value)) return;
    const messages = [...new Set((validate.errors ?? []).map((e) => describe(key, e)))];
    throw new UserError('settings.invalid', `${key.path} ${messages.join('; ')}`);
  };
}

const TYPE_NAME: Record<string, string> = { array: 'a list', integer: 'a whole number', boolean: 'true or false', string: 'text', number: 'a number' };

function describe(key: SettingKey, error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const item = error.instancePath ? ` (item ${Number(error.instancePath.split('/')[1]) + 1})` : '';
  const hint = (error.instancePath ? key.node.items : key.node)?.['x-pattern-hint'];
  switch (error.keyword) {
    case 'type':
      return `must be ${TYPE_NAME[String(params.type)] ?? String(params.type)}${item}`;
    case 'enum':
      return `must be one of: ${(params.allowedValues as unknown[]).join(', ')}`;
    case 'pattern':
      return `must be ${hint ?? `text matching ${String(params.pattern)}`}${item}`;
    case 'minimum':
      return `must be at least ${String(params.limit)}`;
    case 'maximum':
      return `must be at most ${String(params.limit)}`;
    case 'minLength':
      return `must be at least ${String(params.limit)} character${params.limit === 1 ? '' : 's'} long`;
    case 'maxLength':
      return `must be at most ${String(params.limit)} characters long`;
    case 'uniqueItems':
      return 'must not list the same id twice';
    default:
      return error.message ?? 'is invalid';
  }
}
