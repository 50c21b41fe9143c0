import { isMap, isNode, isScalar, parseDocument, stringify, visit, type Document, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { listConfigKeys, schemaNodeAt, type ConfigKey } from './config-keys';
import { suggestKey } from './suggest-key';
import { parseListValue } from './parse-list-value';

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
    return /^-?[0-9]+$/.test(text.trim()) ? { value: Number(text.trim()) } : { error: 'must be a whole number' };
  }
  if (key.node.type === 'array') {
    return { value: parseListValue(key.node, text) }; // comma-separated; "" clears the list
  }
  if (key.node.type === 'boolean') {
    if (/^(true|yes|on)$/i.test(text)) return { value: true };
    if (/^(false|no|off)$/i.test(text)) return { value: false };
    return { error: 'must be true or false (or yes/no, on/off)' };
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

/**
 * A value on one line: a scalar, or a flow collection (JSON is YAML). Inside a flow mapping
 * (`{ a: 1 }`) a plain string may not hold `{ } [ ] ,`, which would end it: it is quoted then.
 */
function inlineText(value: unknown, inFlow = false): string {
  if (Array.isArray(value) || (value !== null && typeof value === 'object')) return JSON.stringify(value);
  if (inFlow && typeof value === 'string' && /[{}[\],]/.test(value)) return JSON.stringify(value);
  return scalarText(value, 'PLAIN');
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset just past the end of the line holding `offset` (past its newline). */
function lineEnd(text: string, offset: number): number {
  const end = text.indexOf('\n', offset);
  return end === -1 ? text.length : end + 1;
}

/**
 * Where a node's own text ends: a block collection or block scalar reports a range that runs
 * past its last line break, which must stay with the text that follows.
 */
function contentEnd(text: string, node: Node): number {
  const [start, end] = node.range!;
  let e = end;
  while (e > start && /\s/.test(text[e - 1]!)) e--;
  return e;
}

type PairNode = Pair<Node, Node | null>;

/** The end of a pair's text: its value's, or its key's when the value is empty. */
function pairEnd(text: string, pair: PairNode): number {
  const value = pair.value;
  return value?.range && value.range[1] > value.range[0] ? contentEnd(text, value) : pair.key.range![1];
}

/** Just past the `:` that follows a key. */
function afterColon(text: string, pair: PairNode): number {
  return text.indexOf(':', pair.key.range![1]) + 1;
}

function keyColumn(text: string, pair: PairNode): number {
  return pair.key.range![0] - lineStart(text, pair.key.range![0]);
}

/** `{ a: { b: value } }` for the segments still missing below an existing section. */
function nest(segments: readonly string[], value: unknown): unknown {
  return segments.reduceRight<unknown>((inner, s) => ({ [s]: inner }), value);
}

/** A block mapping, each line indented by `indent` spaces. */
function blockText(nested: unknown, indent: number): string {
  return stringify(nested, { lineWidth: 0, indent: 2 })
    .trimEnd()
    .split('\n')
    .map((line) => ' '.repeat(indent) + line)
    .join('\n');
}

function findPair(map: YAMLMap, key: string): PairNode | undefined {
  return (map.items as PairNode[]).find((p) => isScalar(p.key) && String(p.key.value) === key);
}

/**
 * Refuses to replace or remove text that carries an anchor (`&mods`) another key uses (`*mods`):
 * the alias would be left pointing at nothing, or silently follow the new value.
 */
function refuseAnchored(doc: Document.Parsed, node: unknown, segments: readonly string[]): void {
  const anchors = new Set<string>();
  if (isNode(node)) {
    if (node.anchor) anchors.add(node.anchor);
    visit(node, { Node: (_, n) => void (n.anchor && anchors.add(n.anchor)) });
  }
  if (anchors.size === 0) return;
  let used: string | undefined;
  visit(doc, {
    Alias: (_, alias) => {
      if (!anchors.has(alias.source)) return undefined;
      used = alias.source;
      return visit.BREAK;
    },
  });
  if (used !== undefined) {
    throw new Error(`${segments.join('.')} holds the anchor &${used}, used elsewhere as *${used}; change that part of the file by hand`);
  }
}

/** Replaces what follows `key:` (a value, an empty value, or a section left empty) with `value`. */
function replaceValue(text: string, pair: PairNode, parent: YAMLMap, value: unknown, below: readonly string[]): string {
  const existing = pair.value;
  // A plain or quoted scalar is swapped in place, in its own quoting style.
  if (below.length === 0 && isScalar(existing) && existing.range && existing.value !== null && !Array.isArray(value)
    && existing.type !== 'BLOCK_LITERAL' && existing.type !== 'BLOCK_FOLDED') {
    const [start, end] = existing.range;
    const inFlowPlain = parent.flow && existing.type === 'PLAIN';
    return text.slice(0, start) + (inFlowPlain ? inlineText(value, true) : scalarText(value, existing.type)) + text.slice(end);
  }
  const from = afterColon(text, pair);
  const to = Math.max(from, pairEnd(text, pair));
  const replacement = below.length === 0 || parent.flow
    ? ` ${inlineText(below.length === 0 ? value : nest(below, value), parent.flow)}`
    : `\n${blockText(nest(below, value), keyColumn(text, pair) + 2)}`;
  return text.slice(0, from) + replacement + text.slice(to);
}

/** Adds `segments` (the missing part of the path) to an existing, non-empty section. */
function addToMap(text: string, map: YAMLMap, segments: readonly string[], value: unknown): string {
  const items = map.items as PairNode[];
  if (map.flow) {
    const last = items[items.length - 1]!;
    const at = pairEnd(text, last);
    return `${text.slice(0, at)}, ${segments[0]}: ${inlineText(nest(segments.slice(1), value), true)}${text.slice(at)}`;
  }
  const indent = keyColumn(text, items[0]!);
  const after = lineEnd(text, pairEnd(text, items[items.length - 1]!));
  const needsNewline = after === text.length && !text.endsWith('\n');
  return `${text.slice(0, after)}${needsNewline ? '\n' : ''}${blockText(nest(segments, value), indent)}\n${text.slice(after)}`;
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
  if (!isMap(doc.contents) || doc.contents.items.length === 0) {
    const block = stringify(nest(segments, value), { lineWidth: 0 });
    return `${text}${text.endsWith('\n') || text === '' ? '' : '\n'}${block}`;
  }
  let map: YAMLMap = doc.contents;
  for (let i = 0; i < segments.length; i++) {
    const pair = findPair(map, segments[i]!);
    if (!pair) return addToMap(text, map, segments.slice(i), value);
    const below = segments.slice(i + 1);
    if (below.length === 0) {
      if (isMap(pair.value) && pair.value.items.length > 0) throw new Error(`${segments.join('.')} is a section, not a value`);
      refuseAnchored(doc, pair.value, segments);
      return replaceValue(text, pair, map, value, below);
    }
    const child = pair.value;
    if (isMap(child) && child.items.length > 0) {
      map = child;
      continue;
    }
    // An empty section (`defaults:` or `defaults: {}`) is filled in where it stands.
    if (child === null || (isScalar(child) && child.value === null) || (isMap(child) && child.items.length === 0)) {
      refuseAnchored(doc, child, segments.slice(0, i + 1));
      return replaceValue(text, pair, map, value, below);
    }
    throw new Error(`${segments.slice(0, i + 1).join('.')} holds a value, not a section`);
  }
  return text;
}

/** Removes one key's lines (and a section left empty by it); everything else stays as written. */
export function unsetConfigValueInText(text: string, segments: readonly string[]): string {
  const doc = parseForEdit(text);
  for (let depth = segments.length; depth > 0; depth--) {
    const parent = depth === 1 ? doc.contents : doc.getIn(segments.slice(0, depth - 1), true);
    if (!isMap(parent)) return text;
    const pair = findPair(parent, segments[depth - 1]!);
    if (!pair) return text;
    // Remove the whole section too when this key was its only one.
    if (depth > 1 && parent.items.length === 1) continue;
    refuseAnchored(doc, pair.value, segments.slice(0, depth));
    if (parent.flow) return removeFromFlowMap(text, parent, pair);
    const from = lineStart(text, pair.key.range![0]);
    const to = lineEnd(text, pairEnd(text, pair));
    return text.slice(0, from) + text.slice(to);
  }
  return text;
}

/** `{a: 1, b: 2}` without `a: 1` (and one comma). */
function removeFromFlowMap(text: string, map: YAMLMap, pair: PairNode): string {
  const items = map.items as PairNode[];
  const index = items.indexOf(pair);
  let from = pair.key.range![0];
  let to = pairEnd(text, pair);
  if (index < items.length - 1) to = items[index + 1]!.key.range![0];
  else if (index > 0) from = pairEnd(text, items[index - 1]!);
  return text.slice(0, from) + text.slice(to);
}
