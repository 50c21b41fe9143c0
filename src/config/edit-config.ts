import { isMap, isScalar, isSeq, parseDocument, stringify, type Document, type Node, type Scalar, type YAMLMap } from 'yaml';
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
  if (key.node.type === 'array') {
    return { value: text.split(',').map((s) => s.trim()).filter(Boolean) }; // comma-separated; "" clears the list
  }
  if (key.node.type === 'boolean') {
    if (/^(true|yes|on)$/i.test(text)) return { value: true };
    if (/^(false|no|off)$/i.test(text)) return { value: false };
    return { error: `${key.path} must be true or false` };
  }
  return { value: text };
}

function parseForEdit(text: string): Document.Parsed {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`the file is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  if (doc.contents !== null && !isMap(doc.contents)) throw new Error('the file must be a YAML mapping of sections');
  return doc;
}

/** One scalar as YAML text, in the quoting style asked for when it is a string. */
function scalarText(value: unknown, style: Scalar['type']): string {
  if (typeof value === 'string' && style === 'QUOTE_DOUBLE') return JSON.stringify(value);
  if (typeof value === 'string' && style === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  return stringify(value, { lineWidth: 0 }).trimEnd(); // quotes a string that would read back as a number, bool…
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEnd(text: string, offset: number): number {
  const end = text.indexOf('\n', offset);
  return end === -1 ? text.length : end + 1;
}

/**
 * Sets one value and returns the new text. The file is edited as text at the positions the
 * yaml Document API reports, so only that value changes: comments (and their spacing), key
 * order, quoting and blank lines elsewhere stay byte-for-byte the same. A key that does not
 * exist yet is added at the end of its section (creating the section if needed).
 */
export function setConfigValueInText(text: string, segments: readonly string[], value: unknown): string {
  if (typeof value === 'string' && /[\r\n]/.test(value)) throw new Error('a value must be a single line');
  const doc = parseForEdit(text);
  const existing = doc.getIn(segments, true);
  if (isScalar(existing) && existing.range) {
    const [start, end] = existing.range;
    return text.slice(0, start) + scalarText(value, existing.type) + text.slice(end);
  }
  if (isSeq(existing) && existing.range && Array.isArray(value)) {
    const [start, end] = existing.range;
    return text.slice(0, start) + JSON.stringify(value) + text.slice(end); // a flow sequence (JSON is YAML)
  }
  if (existing !== undefined) throw new Error(`${segments.join('.')} is a section, not a value`);
  // Find the deepest section that exists and append the missing part under it.
  let depth = segments.length - 1;
  while (depth > 0 && !isMap(doc.getIn(segments.slice(0, depth), true))) depth--;
  const parent = depth === 0 ? doc.contents : (doc.getIn(segments.slice(0, depth), true) as YAMLMap);
  let nested: unknown = value;
  for (let i = segments.length - 1; i >= depth; i--) nested = { [segments[i]!]: nested };
  if (!isMap(parent) || parent.items.length === 0 || !parent.range) {
    const block = stringify(nested, { lineWidth: 0 });
    return depth === 0 ? `${text}${text.endsWith('\n') || text === '' ? '' : '\n'}${block}` : `${text}\n${block}`;
  }
  const firstKey = parent.items[0]!.key as Node;
  const indent = firstKey.range![0] - lineStart(text, firstKey.range![0]);
  const block = stringify(nested, { lineWidth: 0, indent: 2 })
    .trimEnd()
    .split('\n')
    .map((line) => ' '.repeat(indent) + line)
    .join('\n');
  const lastValue = parent.items[parent.items.length - 1]!.value as Node | null;
  const after = lineEnd(text, lastValue?.range?.[1] ?? parent.range[1]);
  const needsNewline = after === text.length && !text.endsWith('\n');
  return `${text.slice(0, after)}${needsNewline ? '\n' : ''}${block}\n${text.slice(after)}`;
}

/** Removes one key's lines (and a section left empty by it); everything else stays as written. */
export function unsetConfigValueInText(text: string, segments: readonly string[]): string {
  const doc = parseForEdit(text);
  for (let depth = segments.length; depth > 0; depth--) {
    const parent = depth === 1 ? doc.contents : doc.getIn(segments.slice(0, depth - 1), true);
    if (!isMap(parent)) return text;
    const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === segments[depth - 1]);
    if (!pair) return text;
    // Remove the whole section too when this key was its only one.
    if (depth > 1 && parent.items.length === 1) continue;
    const from = lineStart(text, (pair.key as Node).range![0]);
    const value = pair.value as Node | null;
    const to = lineEnd(text, value?.range?.[1] ?? (pair.key as Node).range![1]);
    return text.slice(0, from) + text.slice(to);
  }
  return text;
}
