import { LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { ConfigIssue } from './config-error';
import { ENV_PREFIX, listConfigKeys, type ConfigKey } from './config-keys';
import { checkConfigSemantics } from './check-config-semantics';
import { validateAgainstSchema } from './validate-schema';
import { locateInDocument } from './yaml-positions';
import { suggestKey } from './suggest-key';
import { parseListValue } from './parse-list-value';

export type ValueSource = 'file' | 'env' | 'default';

/** Environment variables with our prefix that are not config keys. */
const NON_KEY_ENV = new Set(['KALTURA_DISCORD_CONFIG', 'KALTURA_DISCORD_DEBUG', 'KALTURA_DISCORD_CACHE_DIR', 'KALTURA_DISCORD_SQLITE_ADDON']);

/** A config file evaluated the way `serve` sees it, with every problem found. */
export interface EvaluatedConfig {
  readonly file: string;
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
  /** File values (with ${NAME} expanded), then environment overrides, then schema defaults. */
  readonly value: Record<string, unknown>;
  /** Dotted key path -> where its effective value came from. */
  readonly sources: ReadonlyMap<string, ValueSource>;
  readonly issues: readonly ConfigIssue[];
}

/** Where the first alias that cannot be resolved stands (else the first alias, else the start). */
function firstAliasProblem(doc: Document.Parsed): number {
  let first: number | undefined;
  let unresolved: number | undefined;
  visit(doc, {
    Alias(_, node) {
      first ??= node.range?.[0];
      if (node.resolve(doc) === undefined) {
        unresolved = node.range?.[0];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return unresolved ?? first ?? 0;
}

/**
 * YAML text -> ${NAME} expansion -> environment overrides -> schema validation with defaults
 * -> semantic checks. Never throws for bad input: everything wrong is an issue.
 */
export function evaluateConfig(text: string, file: string, env: NodeJS.ProcessEnv): EvaluatedConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const issues: ConfigIssue[] = [];
  for (const e of [...doc.errors, ...doc.warnings]) {
    const pos = lineCounter.linePos(e.pos[0]);
    issues.push({ path: '', message: `YAML: ${e.message.split('\n')[0]}`, line: pos.line, column: pos.col });
  }
  const sources = new Map<string, ValueSource>();
  let value: Record<string, unknown> = {};
  // With broken syntax the tree is partial: schema errors about it would only be noise.
  if (doc.errors.length > 0) return { file, doc, lineCounter, value, sources, issues };
  {
    let js: unknown;
    try {
      js = doc.toJS() ?? {};
    } catch (err) {
      // An alias (*name) with no anchor (&name) before it, or more aliases than yaml's guard allows.
      const at = lineCounter.linePos(firstAliasProblem(doc));
      issues.push({ path: '', message: `YAML: ${(err as Error).message.split('\n')[0]}`, line: at.line, column: at.col });
      return { file, doc, lineCounter, value, sources, issues };
    }
    if (typeof js !== 'object' || Array.isArray(js)) {
      issues.push({ path: '', message: 'the file must be a YAML mapping of sections (discord:, kaltura:, …)', line: 1, column: 1 });
    } else {
      value = js as Record<string, unknown>;
      expandEnvReferences(value, [], env, (segments, message) => {
        const pos = locateInDocument(doc, lineCounter, segments);
        issues.push({ path: segments.join('.'), message, line: pos?.line, column: pos?.column });
      });
    }
  }
  const keys = listConfigKeys();
  for (const key of keys) if (getIn(value, key.segments) !== undefined) sources.set(key.path, 'file');
  const envIssues = applyEnvOverrides(value, keys, env, sources);
  issues.push(...envIssues);

  const alreadyReported = new Set(issues.map((i) => i.path));
  for (const problem of validateAgainstSchema(value)) {
    const path = problem.segments.join('.');
    if (alreadyReported.has(path)) continue; // e.g. an unset ${NAME} also makes the value too short
    const envVar = sources.get(path) === 'env' ? keys.find((k) => k.path === path)?.envVar : undefined;
    const pos = envVar ? undefined : locateInDocument(doc, lineCounter, problem.segments, problem.atKey ? 'key' : 'value');
    issues.push({ path, message: problem.message, line: pos?.line, column: pos?.column, envVar });
  }
  for (const key of keys) if (!sources.has(key.path) && getIn(value, key.segments) !== undefined) sources.set(key.path, 'default');
  if (issues.length === 0) {
    for (const problem of checkConfigSemantics(value)) {
      const pos = locateInDocument(doc, lineCounter, problem.segments);
      const envVar = sources.get(problem.segments.join('.')) === 'env' ? keys.find((k) => k.path === problem.segments.join('.'))?.envVar : undefined;
      issues.push({ path: problem.segments.join('.'), message: problem.message, line: envVar ? undefined : pos?.line, column: envVar ? undefined : pos?.column, envVar });
    }
  }
  return { file, doc, lineCounter, value, sources, issues };
}

export function getIn(obj: unknown, segments: readonly string[]): unknown {
  let cur = obj;
  for (const s of segments) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[s];
  }
  return cur;
}

function setIn(obj: Record<string, unknown>, segments: readonly string[], v: unknown): void {
  let cur = obj;
  for (const s of segments.slice(0, -1)) {
    const next = cur[s];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) cur[s] = {};
    cur = cur[s] as Record<string, unknown>;
  }
  cur[segments[segments.length - 1]!] = v;
}

const REF = /\$\$\{|\$\{([^}]*)\}/g;

function expandEnvReferences(
  node: Record<string, unknown> | unknown[],
  path: string[],
  env: NodeJS.ProcessEnv,
  report: (segments: string[], message: string) => void,
): void {
  for (const [k, v] of Object.entries(node)) {
    const segments = [...path, k];
    if (typeof v === 'string' && v.includes('$')) {
      (node as Record<string, unknown>)[k] = v.replace(REF, (whole, name: string | undefined) => {
        if (whole === '$${') return '${';
        if (!name || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
          report(segments, `"${whole}" is not a valid environment reference (use \${NAME}, or $\${ for a literal)`);
          return whole;
        }
        const found = env[name];
        if (found === undefined) report(segments, `references \${${name}}, which is not set in the environment`);
        return found ?? '';
      });
    } else if (v !== null && typeof v === 'object') {
      expandEnvReferences(v as Record<string, unknown>, segments, env, report);
    }
  }
}

function applyEnvOverrides(
  value: Record<string, unknown>,
  keys: readonly ConfigKey[],
  env: NodeJS.ProcessEnv,
  sources: Map<string, ValueSource>,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const byEnv = new Map(keys.map((k) => [k.envVar, k]));
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || NON_KEY_ENV.has(name) || raw === undefined || raw === '') continue;
    const key = byEnv.get(name);
    if (!key) {
      issues.push({ path: '', envVar: name, message: unknownEnvMessage(name, [...byEnv.keys()]) });
      continue;
    }
    if (key.node.type === 'integer') {
      if (!/^-?[0-9]+$/.test(raw.trim())) {
        issues.push({ path: key.path, envVar: name, message: 'must be a whole number' });
        continue;
      }
      setIn(value, key.segments, Number(raw.trim()));
    } else if (key.node.type === 'array') {
      setIn(value, key.segments, parseListValue(key.node, raw)); // comma-separated
    } else if (key.node.type === 'boolean') {
      if (!/^(true|false)$/i.test(raw.trim())) {
        issues.push({ path: key.path, envVar: name, message: 'must be true or false' });
        continue;
      }
      setIn(value, key.segments, raw.trim().toLowerCase() === 'true');
    } else {
      setIn(value, key.segments, raw);
    }
    sources.set(key.path, 'env');
  }
  return issues;
}

function unknownEnvMessage(name: string, known: string[]): string {
  const close = suggestKey(name, known);
  return `is not a configuration variable${close ? `; did you mean ${close}?` : ''}`;
}
