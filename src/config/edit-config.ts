import { isMap, isScalar, parseDocument, type Document } from 'yaml';
import { listConfigKeys, schemaNodeAt, type ConfigKey } from './config-keys';
import { suggestKey } from './suggest-key';

/** Finds the settable key named by a dotted path, or explains why there is none. */
export function findConfigKey(path: string): { key: ConfigKey } | { error: string } {
  const keys = listConfigKeys();
  const key = keys.find((k) => k.path === path);
  if (key) return { key };
  const node = schemaNodeAt(path.split('.'));
  if (node?.type === 'object') {
    return { error: `"${path}" is a section; name one of its keys: ${keys.filter((k) => k.path.startsWith(`${path}.`)).map((k) => k.path).join(', ')}` };
  }
  const suggestion = suggestKey(path, keys.map((k) => k.path));
  return { error: `unknown key "${path}"${suggestion ? `; did you mean "${suggestion}"?` : ' (see `kaltura-discord config list`)'}` };
}

/** Turns command-line text into the type the schema expects (the schema then checks the value). */
export function coerceConfigValue(key: ConfigKey, text: string): { value: unknown } | { error: string } {
  if (key.node.type === 'integer') {
    return /^-?[0-9]+$/.test(text.trim()) ? { value: Number(text.trim()) } : { error: `${key.path} must be a whole number` };
  }
  if (key.node.type === 'boolean') {
    if (/^(true|yes|on)$/i.test(text)) return { value: true };
    if (/^(false|no|off)$/i.test(text)) return { value: false };
    return { error: `${key.path} must be true or false` };
  }
  return { value: text };
}

function parseForEdit(text: string): Document.Parsed {
  const doc = parseDocument(text, { keepSourceTokens: true });
  if (doc.errors.length > 0) throw new Error(`the file is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  if (doc.contents !== null && !isMap(doc.contents)) throw new Error('the file must be a YAML mapping of sections');
  return doc;
}

/**
 * Sets one value and returns the new text. Only that value changes: comments, key order,
 * quoting and blank lines elsewhere are kept (the yaml Document API edits the parsed tree).
 */
export function setConfigValueInText(text: string, segments: readonly string[], value: unknown): string {
  const doc = parseForEdit(text);
  const existing = doc.getIn(segments, true);
  if (isScalar(existing)) {
    existing.value = value; // keeps the node's comment and, when still valid, its quoting style
    if (typeof value === 'string' && existing.type !== 'QUOTE_DOUBLE' && existing.type !== 'QUOTE_SINGLE') existing.type = undefined;
  } else {
    doc.setIn(segments, value);
  }
  return doc.toString();
}

/** Removes one key (and a section left empty by it). */
export function unsetConfigValueInText(text: string, segments: readonly string[]): string {
  const doc = parseForEdit(text);
  doc.deleteIn(segments);
  for (let depth = segments.length - 1; depth > 0; depth--) {
    const parent = doc.getIn(segments.slice(0, depth), true);
    if (isMap(parent) && parent.items.length === 0) doc.deleteIn(segments.slice(0, depth));
  }
  return doc.toString();
}
