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

  it('shows every key in the example file (set, or commented out) with its default', () => {
    for (const key of keys) {
      const name = key.segments[key.segments.length - 1]!;
      const line = example.split('\n').find((l) => new RegExp(`^\\s*(#\\s*)?${name}:`).test(l));
      expect(line, key.path).toBeDefined();
      if (key.node.default !== undefined) expect(line, key.path).toContain(`${name}: ${Array.isArray(key.node.default) ? JSON.stringify(key.node.default) : String(key.node.default)}`);
    }
  });
});
