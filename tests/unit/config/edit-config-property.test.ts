import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, parseDocument, stringify, type Node, type Pair, type YAMLMap } from 'yaml';
import { listConfigKeys, type ConfigKey } from '../../../src/config/config-keys';
import { setConfigValueInText, unsetConfigValueInText } from '../../../src/config/edit-config';
import { evaluateConfig } from '../../../src/config/evaluate-config';
import { GOOD } from '../../helpers/config-fixtures';

/**
 * Property: for generated valid files in the styles operators write (block and flow lists,
 * quoted and plain scalars, comments everywhere, blank lines, empty sections, 2 or 4 spaces,
 * with or without a final newline) and random sequences of set/unset, every result parses,
 * validates, holds exactly the expected values, and keeps every line the edit did not touch.
 */

/** mulberry32: small, seeded, good enough to pick cases reproducibly. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const pick = <T,>(r: Random, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
const chance = (r: Random, p: number) => r() < p;
const roleId = (r: Random) => `1${Array.from({ length: 18 }, () => Math.floor(r() * 10)).join('')}`;

const REQUIRED: Record<string, unknown> = {
  'discord.token': GOOD.token,
  'discord.applicationId': GOOD.applicationId,
  'kaltura.partnerId': 1234567,
  'kaltura.adminSecret': GOOD.adminSecret,
  'http.publicUrl': 'https://bot.example.org',
  'links.secret': GOOD.linkSecret,
};
/**
 * Keys whose values depend on each other (the app token excludes the admin secret; `discord.mode: http`
 * needs `discord.publicKey`; `storage.driver: postgres` needs `storage.url` and the URL needs that driver) are
 * left alone, and so is `defaults.kaltura.categoryId`, a per-server setting the YAML file refuses.
 */
const EDITABLE_CANDIDATES = listConfigKeys().filter(
  (k) =>
    !(k.path in REQUIRED) &&
    !k.path.startsWith('kaltura.appToken.') &&
    k.path !== 'defaults.kaltura.categoryId' &&
    k.path !== 'discord.mode' &&
    k.path !== 'storage.driver' &&
    k.path !== 'storage.url',
);

const STRINGS: Record<string, (r: Random) => string> = {
  'discord.publicKey': (r) => Array.from({ length: 64 }, () => pick(r, [...'0123456789abcdef'])).join(''),
  'discord.apiBaseUrl': (r) => pick(r, ['https://discord.com/api', 'http://127.0.0.1:9999/api']),
  'kaltura.serviceUrl': (r) => pick(r, ['https://www.kaltura.com', 'https://api.eu.kaltura.com/']),
  'kaltura.kafUrl': (r) => `https://${Math.floor(r() * 9e6) + 1e6}.kaf.kaltura.com`,
  'kaltura.requestTimeout': (r) => pick(r, ['30s', '45s', '1m']),
  'kaltura.interactiveTimeout': (r) => pick(r, ['5s', '10s', '2s']),
  'kaltura.joinRoleId': (r) => pick(r, ['12345', 'meeting-role.v1']),
  'http.listen': (r) => pick(r, ['127.0.0.1:8080', '[::1]:9000', 'localhost:7000']),
  'links.ttl': (r) => pick(r, ['5m', '10m', '30s', '1h']),
  'storage.path': (r) => pick(r, ['./data/kd.db', '/var/lib/kaltura-discord/db.sqlite', 'db #1.sqlite', "it's.db"]),
  'recordings.pollEvery': (r) => pick(r, ['2m', '5m', '1m']),
  'recordings.pollWindow': (r) => pick(r, ['6h', '12h', '2h']),
  'recordings.retireAfter': (r) => pick(r, ['168h', '72h', '48h']),
  'discord.clientSecret': (r) => Array.from({ length: 32 }, () => pick(r, [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-'])).join(''),
  'metrics.token': (r) => `tok-${Math.floor(r() * 1e12)}-abcdefgh`,
};

function valueFor(key: ConfigKey, r: Random): unknown {
  const n = key.node as ConfigKey['node'] & { minimum?: number; maximum?: number; items?: unknown };
  if (n.enum) return pick(r, n.enum);
  if (n.type === 'boolean') return chance(r, 0.5);
  if (n.type === 'integer') {
    const min = n.minimum ?? 1;
    const max = Math.min(n.maximum ?? 1_000_000, min + 1000);
    return min + Math.floor(r() * (max - min + 1));
  }
  if (n.type === 'array' && key.path === 'activity.mediaMappings') {
    return Array.from({ length: Math.floor(r() * 3) }, (_, i) => ({ prefix: `/media-${i}`, target: pick(r, ['cfvod.kaltura.com', 'cdn.example.org/vod', '127.0.0.1:8443']) }));
  }
  if (n.type === 'array') return Array.from({ length: Math.floor(r() * 3) }, () => roleId(r));
  if (key.path.endsWith('.channelId')) return roleId(r);
  if (key.path.endsWith('.template')) return pick(r, ['{title} is ready: {duration}', '🎬 **{title}** — "done"', "it's {title}: #1"]);
  const gen = STRINGS[key.path];
  if (gen) return gen(r);
  // keys added since this test was written: their default, or any text when no pattern applies
  const node = key.node as { default?: unknown; pattern?: string; minLength?: number };
  if (typeof node.default === 'string') return node.default;
  if (!node.pattern) return `value ${Math.floor(r() * 1e6)}`.padEnd(node.minLength ?? 0, 'x');
  throw new Error(`no generator for ${key.path}`);
}

function canGenerate(key: ConfigKey): boolean {
  try {
    valueFor(key, rng(1));
    return true;
  } catch {
    return false;
  }
}

type Tree = { [k: string]: Tree | unknown };

function setIn(tree: Tree, segments: readonly string[], value: unknown): void {
  let cur = tree;
  for (const s of segments.slice(0, -1)) cur = (cur[s] ??= {}) as Tree;
  cur[segments[segments.length - 1]!] = value;
}

/** Removes the key, then every section it leaves empty (what `config unset` does). */
function unsetIn(tree: Tree, segments: readonly string[]): void {
  const chain: Tree[] = [tree];
  for (const s of segments.slice(0, -1)) {
    const next = chain[chain.length - 1]![s];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) return;
    chain.push(next as Tree);
  }
  if (!(segments[segments.length - 1]! in chain[chain.length - 1]!)) return;
  for (let depth = segments.length; depth > 0; depth--) {
    const parent = chain[depth - 1]!;
    if (depth > 1 && Object.keys(parent).length === 1) continue;
    delete parent[segments[depth - 1]!];
    return;
  }
}

function scalar(r: Random, v: unknown): string {
  if (typeof v !== 'string') return v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v); // a flow mapping (a mediaMappings item)
  const plain = stringify(v, { lineWidth: 0 }).trimEnd();
  const style = pick(r, ['plain', 'double', 'single']);
  if (style === 'double' || plain.startsWith('"') || plain.startsWith("'")) return style === 'single' ? `'${v.replace(/'/g, "''")}'` : JSON.stringify(v);
  if (style === 'single') return `'${v.replace(/'/g, "''")}'`;
  return plain;
}

/** Renders the tree as an operator might have typed it. */
function render(r: Random, tree: Tree, step: number): string {
  const lines: string[] = [];
  if (chance(r, 0.5)) lines.push('# kaltura-discord, by hand');
  const walk = (node: Tree, depth: number) => {
    const pad = ' '.repeat(step * depth);
    const keys = Object.keys(node);
    if (chance(r, 0.3)) keys.reverse();
    for (const k of keys) {
      const v = node[k];
      if (chance(r, 0.2)) lines.push('');
      if (chance(r, 0.25)) lines.push(`${pad}# about ${k}`);
      const tail = chance(r, 0.25) ? `   # ${k} note` : '';
      if (Array.isArray(v)) {
        const form = v.length === 0 ? 'flow' : pick(r, ['flow', 'block', 'block-indented']);
        if (form === 'flow') lines.push(`${pad}${k}: [${v.map((x) => scalar(r, x)).join(', ')}]${tail}`);
        else {
          lines.push(`${pad}${k}:${tail}`);
          const itemPad = form === 'block' ? pad : `${pad}${' '.repeat(step)}`;
          for (const x of v) lines.push(`${itemPad}- ${scalar(r, x)}${chance(r, 0.2) ? ' # item' : ''}`);
        }
      } else if (v !== null && typeof v === 'object') {
        const leaves = Object.values(v).every((x) => x === null || typeof x !== 'object' || Array.isArray(x));
        if (Object.keys(v).length === 0) lines.push(`${pad}${k}: {}${tail}`);
        else if (leaves && chance(r, 0.2)) {
          // a flow mapping on one line: `meetings: { kind: webinar, durationMinutes: 30 }`
          const items = Object.entries(v).map(([kk, x]) => `${kk}: ${Array.isArray(x) ? `[${x.map((y) => JSON.stringify(y)).join(', ')}]` : typeof x === 'string' ? JSON.stringify(x) : String(x)}`);
          lines.push(`${pad}${k}: { ${items.join(', ')} }${tail}`);
        } else {
          lines.push(`${pad}${k}:${tail}`);
          walk(v as Tree, depth + 1);
        }
      } else {
        lines.push(`${pad}${k}: ${scalar(r, v)}${tail}`);
      }
    }
  };
  walk(tree, 0);
  if (chance(r, 0.2)) lines.push('# the end');
  return lines.join('\n') + (chance(r, 0.8) ? '\n' : '');
}

function generate(r: Random): { text: string; tree: Tree } {
  const tree: Tree = {};
  for (const [path, v] of Object.entries(REQUIRED)) setIn(tree, path.split('.'), v);
  for (const key of EDITABLE) if (chance(r, 0.3)) setIn(tree, key.segments, valueFor(key, r));
  if (chance(r, 0.2) && !('logging' in tree)) tree.logging = {};
  return { text: render(r, tree, pick(r, [2, 4])), tree };
}

/** The line range [first, last] of the pair at the deepest existing point of `segments` (what an edit may touch). */
function touchedLines(text: string, segments: readonly string[], op: 'set' | 'unset'): [number, number] | undefined {
  const doc = parseDocument(text);
  let map = doc.contents as YAMLMap | null;
  let hit: Pair<Node, Node | null> | undefined;
  const parents: { map: YAMLMap; pair: Pair<Node, Node | null> }[] = [];
  for (const s of segments) {
    if (!isMap(map)) break;
    const pair = (map.items as Pair<Node, Node | null>[]).find((p) => isScalar(p.key) && String(p.key.value) === s);
    if (!pair) break;
    parents.push({ map, pair });
    hit = pair;
    map = isMap(pair.value) ? pair.value : null;
  }
  if (!hit) return undefined;
  if (op === 'unset') {
    // a section left empty goes too
    let i = parents.length - 1;
    while (i > 0 && parents[i]!.map.items.length === 1) i--;
    hit = parents[i]!.pair;
  } else if (isMap(hit.value) && hit.value.items.length > 0 && !hit.value.flow) {
    return undefined; // set adds below this section: nothing existing is touched
  }
  // (adding to a `{ … }` section rewrites its one line; an empty section is filled where it stands)
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length - 1;
  let end = hit.value?.range && hit.value.range[1] > hit.value.range[0] ? hit.value.range[1] : hit.key.range![1];
  while (end > hit.key.range![1] && /\s/.test(text[end - 1]!)) end--;
  return [lineOf(hit.key.range![0]), lineOf(end)];
}

function isSubsequence(needle: readonly string[], hay: readonly string[]): boolean {
  let i = 0;
  for (const line of hay) if (i < needle.length && line === needle[i]) i++;
  return i === needle.length;
}

const EDITABLE = EDITABLE_CANDIDATES.filter(canGenerate);

describe('config set/unset on generated files (property, seeded)', () => {
  it('every edit parses, validates, holds the expected values and keeps every other line', () => {
    const runs = 120; // evaluating a file costs ~50 ms (schema validation): validity is checked per sequence
    for (let seed = 1; seed <= runs; seed++) {
      const r = rng(seed);
      let { text, tree } = generate(r);
      const context = () => `seed ${seed}:\n${text}`;
      expect(evaluateConfig(text, 'gen.yaml', {}).issues, context()).toEqual([]);
      for (let step = 0; step < 8; step++) {
        const key = pick(r, EDITABLE);
        const op = chance(r, 0.65) ? 'set' : 'unset';
        const value = op === 'set' ? valueFor(key, r) : undefined;
        const before = text;
        const touched = touchedLines(before, key.segments, op);
        text = op === 'set' ? setConfigValueInText(before, key.segments, value) : unsetConfigValueInText(before, key.segments);
        if (op === 'set') setIn(tree, key.segments, value);
        else unsetIn(tree, key.segments);
        const what = `seed ${seed}, step ${step}:\n${before}\n--- after ${op} ${key.path}${op === 'set' ? ` = ${JSON.stringify(value)}` : ''}:\n${text}`;
        const doc = parseDocument(text);
        expect(doc.errors.map((e) => e.message), what).toEqual([]);
        expect(isDeepStrictEqual(doc.toJS() ?? {}, tree), `${what}\nvalues: ${JSON.stringify(doc.toJS())}\nexpected: ${JSON.stringify(tree)}`).toBe(true);
        const kept = before.split('\n').filter((_, i) => !touched || i < touched[0] || i > touched[1]);
        expect(isSubsequence(kept, text.split('\n')), `${what}\n(lines outside ${JSON.stringify(touched)} changed)`).toBe(true);
        tree = structuredClone(tree);
      }
      expect(evaluateConfig(text, 'gen.yaml', {}).issues, context()).toEqual([]);
    }
  }, 120_000);
});
