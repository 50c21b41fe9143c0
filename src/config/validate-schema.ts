import Ajv, { type ErrorObject } from 'ajv';
import { configSchema, listConfigKeys, schemaNodeAt, type SchemaNode } from './config-keys';
import { suggestKey } from './suggest-key';

export interface SchemaProblem {
  readonly segments: readonly string[];
  /** The problem concerns the key itself (unknown key), not its value. */
  readonly atKey: boolean;
  readonly message: string;
}

/**
 * Validates (and fills defaults into) a plain config value against the JSON Schema,
 * reporting every problem with a message written for an operator.
 */
export function validateAgainstSchema(value: unknown): SchemaProblem[] {
  const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: true, allowUnionTypes: true });
  ajv.addVocabulary(['x-secret', 'x-pattern-hint', 'x-max-length-reason']);
  const validate = ajv.compile(configSchema);
  if (validate(value)) return [];
  return (validate.errors ?? []).map(toProblem);
}

function segmentsOf(instancePath: string): string[] {
  return instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function toProblem(error: ErrorObject): SchemaProblem {
  const segments = segmentsOf(error.instancePath);
  const node = schemaNodeAt(segments);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const siblings = Object.keys(schemaNodeAt(segments)?.properties ?? {});
      const suggestion = suggestKey(name, siblings) ?? suggestFromAnywhere(name);
      const hint = suggestion ? `; did you mean "${suggestion}"?` : `; valid keys here: ${siblings.join(', ')}`;
      return { segments: [...segments, name], atKey: true, message: `unknown key "${name}"${hint}` };
    }
    case 'required': {
      const name = String(params.missingProperty);
      const child = schemaNodeAt([...segments, name]);
      const about = child?.description ? ` (${firstSentence(child.description)})` : '';
      return { segments: [...segments, name], atKey: false, message: `is required but missing${about}` };
    }
    case 'uniqueItems':
      return { segments, atKey: false, message: 'must not list the same id twice' };
    case 'maximum':
      return { segments, atKey: false, message: `must be at most ${String(params.limit)}` };
    case 'type':
      return { segments, atKey: false, message: `must be ${article(String(params.type))}${describeExpected(node)}` };
    case 'enum':
      return { segments, atKey: false, message: `must be one of: ${(params.allowedValues as unknown[]).join(', ')}` };
    case 'pattern':
      return { segments, atKey: false, message: `must be ${node?.['x-pattern-hint'] ?? `text matching ${String(params.pattern)}`}` };
    case 'maxLength': {
      const reason = node?.['x-max-length-reason'];
      return { segments, atKey: false, message: `must be at most ${String(params.limit)} characters long${typeof reason === 'string' ? `: ${reason}` : ''}` };
    }
    case 'minLength':
      return { segments, atKey: false, message: `must be at least ${String(params.limit)} characters long` };
    case 'minimum':
      return { segments, atKey: false, message: `must be at least ${String(params.limit)}` };
    default:
      return { segments, atKey: false, message: error.message ?? 'is invalid' };
  }
}

/** A key written in the wrong section: `token` under `kaltura` suggests nothing nearby, so look everywhere. */
function suggestFromAnywhere(name: string): string | undefined {
  const all = listConfigKeys();
  const leaf = suggestKey(name, all.map((k) => k.segments[k.segments.length - 1]!));
  return leaf ? all.find((k) => k.path.endsWith(`.${leaf}`))?.path : undefined;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describeExpected(node: SchemaNode | undefined): string {
  if (node?.type === 'object') return ' (a section with nested keys)';
  if (node?.type === 'integer') return ' (a whole number, without quotes)';
  if (node?.type === 'string' && node['x-pattern-hint']) return ` (${node['x-pattern-hint']})`;
  return '';
}

function firstSentence(text: string): string {
  const end = text.indexOf('. ');
  return (end === -1 ? text : text.slice(0, end)).replace(/\.$/, '');
}
