#!/usr/bin/env node
/**
 * The layer rules of /work/shared/STYLE.md ("Which layer may import which"), checked on every
 * `npm test` so the architecture cannot erode silently. No dependency: import specifiers are
 * read with a small scanner that skips comments, so a commented-out import is not counted.
 *
 *   node scripts/check-imports.mjs [--root <dir>]     (default: the repository; checks <root>/src)
 *
 * Exit 0 and one summary line when every import is allowed; exit 1 and one line per violation
 * (file:line, the specifier, the rule) otherwise; exit 2 when the tree cannot be read.
 * Type-only imports count: a core file that names an adapter's type depends on that adapter.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importsOf } from './import-specifiers.mjs';

/** Top-level folders (and files) of src/ and the layer each belongs to. A new folder must be placed here. */
const LAYER_OF = {
  core: 'core',
  kaltura: 'kaltura',
  discord: 'discord',
  store: 'store',
  http: 'http',
  cli: 'cli',
  config: 'config',
  modules: 'modules',
  shared: 'shared',
  'version.ts': 'shared',
  logging: 'logging',
  metrics: 'metrics',
  native: 'native',
  systemd: 'systemd',
  'activity-client': 'activity-client',
  'app.ts': 'app',
  'app-status.ts': 'app',
};

/** Each adapter's own SDKs: only that adapter (and composition/CLI code) may load them; never core. */
const SDK_OWNER = {
  'kaltura-client': 'kaltura',
  'discord.js': 'discord',
  '@discordjs': 'discord',
  'discord-api-types': 'discord',
  'better-sqlite3': 'store',
  pg: 'store',
  h3: 'http',
  crossws: 'http',
};
/** Libraries of the outer layers the core must not load either (logging, metrics, the CLI, the browser SDK). */
const NOT_IN_CORE = new Set(['pino', 'pino-pretty', 'prom-client', 'commander', '@inquirer', '@discord/embedded-app-sdk', ...Object.keys(SDK_OWNER)]);

const ADAPTERS = ['kaltura', 'discord', 'store'];
const COMPOSITION = ['app', 'modules'];
/** layer -> layers it must not import (STYLE.md's table; modules and app may import everything). */
const FORBIDDEN = {
  core: ['kaltura', 'discord', 'store', 'http', 'cli', 'logging', 'metrics', 'native', 'systemd', 'activity-client', ...COMPOSITION],
  kaltura: ['discord', 'store', 'http', 'cli', ...COMPOSITION],
  discord: ['kaltura', 'store', 'http', 'cli', ...COMPOSITION],
  store: ['kaltura', 'discord', 'http', 'cli', ...COMPOSITION],
  http: ['kaltura', 'store', 'cli', ...COMPOSITION],
  metrics: ['kaltura', 'store', 'http', 'cli', ...COMPOSITION],
  logging: [...ADAPTERS, 'http', 'cli', 'metrics', ...COMPOSITION],
  config: [...ADAPTERS, 'http', 'cli', 'core', 'logging', 'metrics', ...COMPOSITION],
  shared: ['core', ...ADAPTERS, 'http', 'cli', 'config', 'logging', 'metrics', 'native', 'systemd', 'activity-client', ...COMPOSITION],
  native: [...ADAPTERS, 'http', 'cli', 'core', ...COMPOSITION],
  systemd: [...ADAPTERS, 'http', 'cli', ...COMPOSITION],
  'activity-client': [...ADAPTERS, 'http', 'cli', 'config', 'logging', 'metrics', 'native', 'systemd', ...COMPOSITION],
  // The CLI reaches features through the same module factories as `serve`; STYLE.md's "no core internals"
  // for the CLI is not checked yet (doctor and db commands still read core helpers directly).
  cli: [],
  modules: [],
  app: [],
};

/**
 * The core may read configuration *types* (STYLE.md) and the schema-derived key list (pure, no I/O:
 * the per-server settings validate keys against it); nothing else under src/config.
 */
const CORE_MAY_IMPORT_FROM_CONFIG = new Set(['config/config-types', 'config/config-keys']);
/** http may import the Discord interactions handler factory (STYLE.md), nothing else of the Discord adapter. */
const HTTP_MAY_IMPORT_FROM_DISCORD = ['discord/interactions/', 'discord/http-interactions/'];

function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function layerOfPath(srcDir, absolute) {
  const rel = path.relative(srcDir, absolute);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return { layer: 'outside', rel };
  const first = rel.split(path.sep)[0];
  const key = first in LAYER_OF ? first : `${first.replace(/\.(m|c)?[jt]s$/, '')}.ts`;
  return { layer: LAYER_OF[key] ?? LAYER_OF[first], rel: rel.split(path.sep).join('/') };
}

/** One violation message for this import, or undefined when it is allowed. */
function judge(fromLayer, specifier, srcDir, file) {
  if (specifier.startsWith('.')) {
    const target = layerOfPath(srcDir, path.resolve(path.dirname(file), specifier));
    if (target.layer === undefined) return `imports '${specifier}', a part of src/ that scripts/check-imports.mjs does not place in a layer (add it to LAYER_OF)`;
    const rule = FORBIDDEN[fromLayer] ?? [];
    if (fromLayer === 'core' && target.layer === 'config') {
      const bare = target.rel.replace(/\.(m|c)?[jt]s$/, '');
      return CORE_MAY_IMPORT_FROM_CONFIG.has(bare) ? undefined : `imports '${specifier}': core may import only configuration types from src/config`;
    }
    if (fromLayer === 'http' && target.layer === 'discord') {
      return HTTP_MAY_IMPORT_FROM_DISCORD.some((p) => target.rel.startsWith(p)) ? undefined : `imports '${specifier}': http may import only the Discord interactions handler (src/discord/interactions, src/discord/http-interactions)`;
    }
    return rule.includes(target.layer) ? `imports '${specifier}': ${fromLayer} must not import ${target.layer}` : undefined;
  }
  if (specifier.startsWith('node:')) return undefined;
  const pkg = packageOf(specifier);
  const lib = pkg in SDK_OWNER ? pkg : pkg.startsWith('@discordjs/') ? '@discordjs' : pkg.startsWith('@inquirer/') ? '@inquirer' : pkg;
  if (fromLayer === 'core' && NOT_IN_CORE.has(lib)) return `imports '${specifier}': core must not load an adapter's or outer layer's library`;
  const owner = SDK_OWNER[lib];
  if (owner && ADAPTERS.concat('http').includes(fromLayer) && owner !== fromLayer) return `imports '${specifier}': ${fromLayer} must not load ${owner}'s library`;
  return undefined;
}

function sourceFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(m|c)?[jt]s$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(p);
  }
  return out.sort();
}

export function checkImports(root) {
  const srcDir = path.join(root, 'src');
  const violations = [];
  let files = 0;
  let imports = 0;
  for (const file of sourceFiles(srcDir)) {
    files++;
    const from = layerOfPath(srcDir, file);
    const shown = path.relative(root, file).split(path.sep).join('/');
    if (from.layer === undefined) {
      violations.push(`${shown}: is in a part of src/ that scripts/check-imports.mjs does not place in a layer (add it to LAYER_OF)`);
      continue;
    }
    for (const { specifier, line } of importsOf(fs.readFileSync(file, 'utf8'))) {
      imports++;
      const why = judge(from.layer, specifier, srcDir, file);
      if (why) violations.push(`${shown}:${line} ${why}`);
    }
  }
  return { violations, files, imports };
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const at = process.argv.indexOf('--root');
  const root = at > 0 ? path.resolve(process.argv[at + 1] ?? '.') : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  let result;
  try {
    result = checkImports(root);
  } catch (err) {
    console.error(`check-imports: cannot read ${path.join(root, 'src')}: ${err.message}`);
    process.exit(2);
  }
  if (result.violations.length > 0) {
    console.error(`check-imports: ${result.violations.length} import(s) break the layer rules (/work/shared/STYLE.md, "Which layer may import which"):`);
    for (const v of result.violations) console.error(`  ${v}`);
    process.exit(1);
  }
  console.log(`check-imports: ${result.imports} imports in ${result.files} files follow the layer rules`);
}
