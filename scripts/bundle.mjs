#!/usr/bin/env node
// Bundles the CLI into one CommonJS file with esbuild.
//   node scripts/bundle.mjs [--quiet] [--sea --addon-sha256 <hex>] [--out dist/app.cjs]
// Default (development, `npm start`): better-sqlite3 stays external and loads from node_modules.
// --sea: everything is bundled; the SQLite addon is provided at run time from the executable's assets.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildActivity } from './build-activity.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const value = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const sea = flag('--sea');
const outfile = path.resolve(root, value('--out', 'dist/app.cjs'));

/** The commit this build comes from, for `kaltura-discord version`; "unknown" outside a git checkout. */
function gitCommit() {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return /^[0-9a-f]{4,40}$/.test(commit) ? commit : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** discord.js and ws try optional native modules inside try/catch; make them fail the same way, quietly. */
function optionalNativeStub(names) {
  const filter = new RegExp(`^(${names.join('|')})$`);
  return {
    name: 'optional-native-stub',
    setup(b) {
      b.onResolve({ filter }, (a) => ({ path: a.path, namespace: 'optional-native-stub' }));
      b.onLoad({ filter: /.*/, namespace: 'optional-native-stub' }, (a) => ({
        loader: 'js',
        contents: `const e = new Error("Cannot find module '${a.path}' (not bundled)"); e.code = 'MODULE_NOT_FOUND'; throw e;`,
      }));
    },
  };
}

const result = await build({
  entryPoints: [path.join(root, 'bin/kaltura-discord.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: sea ? [] : ['better-sqlite3'],
  // The executable's SQLite driver (better-sqlite3 13, see scripts/package.mjs) replaces the development one.
  ...(sea && args.includes('--sqlite-package') ? { alias: { 'better-sqlite3': value('--sqlite-package') } } : {}),
  plugins: [optionalNativeStub(['zlib-sync', 'bufferutil', 'utf-8-validate', 'erlpack'])],
  define: {
    ...(sea ? { __SQLITE_ADDON_SHA256__: JSON.stringify(value('--addon-sha256', '')) } : {}),
    __KALTURA_DISCORD_COMMIT__: JSON.stringify(value('--commit', gitCommit())),
    'import.meta.url': '__import_meta_url',
  },
  banner: { js: 'const __import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
  keepNames: true,
  legalComments: 'none',
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
});
// The Watch Together Activity's web client, beside the bundle (dist/activity/): src/http/activity-assets.ts
// reads it from there, and scripts/package.mjs embeds it in the executable.
await buildActivity({ out: path.join(path.dirname(outfile), 'activity'), quiet: flag('--quiet') });
if (!flag('--quiet')) {
  const bytes = Object.values(result.metafile.outputs).find((o) => o.entryPoint)?.bytes ?? 0;
  console.error(`bundled ${path.relative(root, outfile)} (${(bytes / 1048576).toFixed(1)} MiB)${sea ? ' for the single executable' : ''}`);
}
