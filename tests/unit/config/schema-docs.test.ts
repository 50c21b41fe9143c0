import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listConfigKeys } from '../../../src/config/config-keys';

const root = path.resolve(__dirname, '../../..');
const docs = fs.readFileSync(path.join(root, 'docs/configuration.md'), 'utf8');
const example = fs.readFileSync(path.join(root, 'kaltura-discord.example.yaml'), 'utf8');

/** Rows of the keys table: | `key` | type | default | meaning | */
const rows = new Map(
  [...docs.matchAll(/^\| `([a-zA-Z.]+)` \| ([^|]*) \| ([^|]*) \|/gm)].map((m) => [m[1]!, { type: m[2]!.trim(), default: m[3]!.trim() }]),
);

describe('schema, example file and docs agree', () => {
  const keys = listConfigKeys();

  it('documents every schema key in docs/configuration.md, and no key that does not exist', () => {
    expect([...rows.keys()].sort()).toEqual(keys.map((k) => k.path).sort());
  });

  it('gives each key the same default in the docs as in the schema', () => {
    for (const key of keys) {
      const documented = rows.get(key.path)!.default;
      if (key.node.default === undefined) expect(documented, key.path).not.toMatch(/^`[^`<]*`$/);
      else expect(documented, key.path).toBe(`\`${Array.isArray(key.node.default) ? JSON.stringify(key.node.default) : String(key.node.default)}\``);
    }
  });

  it('marks exactly the secret keys as secret in the docs', () => {
    for (const key of keys) expect(rows.get(key.path)!.type.includes('**secret**'), key.path).toBe(key.secret);
  });

  it('shows every key in the example file (set, or commented out) with its default, in its section', () => {
    const shown = exampleKeys(example);
    for (const key of keys) {
      expect(shown.has(key.path), key.path).toBe(true);
      if (key.node.default !== undefined) {
        const expected = Array.isArray(key.node.default) ? JSON.stringify(key.node.default) : String(key.node.default);
        expect(shown.get(key.path), key.path).toBe(expected);
      }
    }
  });
});

/**
 * Every `key: value` of the example, including commented-out ones (`# key: value` and
 * `#   nested: value`), by dotted path from the indentation, values without quotes or comments.
 */
function exampleKeys(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const stack: { indent: number; name: string }[] = [];
  for (const raw of text.split('\n')) {
    const m = /^(\s*)(#\s*)?([A-Za-z]+):(.*)$/.exec(raw);
    if (!m) continue;
    const indent = m[2] ? m[1]!.length + m[2].length - 2 : m[1]!.length;
    while (stack.length && stack.at(-1)!.indent >= indent) stack.pop();
    stack.push({ indent, name: m[3]! });
    const value = m[4]!.replace(/\s+#.*$/, '').trim().replace(/^"(.*)"$/, '$1');
    if (value) out.set(stack.map((s) => s.name).join('.'), value);
  }
  return out;
}
