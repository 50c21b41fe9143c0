#!/usr/bin/env node
// Builds the Watch Together Activity's web client (src/activity-client/) for the browser:
//   node scripts/build-activity.mjs [--quiet] [--out dist/activity]
// Writes <out>/index.html, <out>/assets/<name>-<hash>.{js,css} (content-hashed, so the server may
// cache them for ever) and <out>/manifest.json (every file, root-relative) that
// src/http/activity-assets.ts and scripts/package.mjs read. All URLs in index.html are relative
// (`assets/…`), so the same build works behind Discord's proxy (served at `/`) and at `/activity/`.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src/activity-client');

/** Builds into `out` (replaced as a whole); returns the root-relative file list. */
export async function buildActivity({ out = path.join(root, 'dist/activity'), quiet = false } = {}) {
  const result = await build({
    entryPoints: [path.join(src, 'main.ts'), path.join(src, 'styles.css')],
    outdir: path.join(out, 'assets'),
    entryNames: '[name]-[hash]',
    bundle: true,
    format: 'esm',
    platform: 'browser',
    // Discord's desktop client is Electron (Chromium); its mobile apps use the system web views.
    target: ['chrome110', 'safari16', 'firefox115'],
    minify: true,
    legalComments: 'none',
    // The SDK's own log override is disabled in main.ts; nothing else reads NODE_ENV at run time.
    define: { 'process.env.NODE_ENV': '"production"' },
    write: false,
    metafile: true,
    logLevel: 'warning',
  });
  const files = new Map();
  for (const f of result.outputFiles) files.set(path.relative(out, f.path).split(path.sep).join('/'), f.contents);
  const pick = (ext) => {
    const found = [...files.keys()].filter((k) => k.endsWith(ext));
    if (found.length !== 1) throw new Error(`expected one ${ext} output, got ${found.join(', ') || 'none'}`);
    return found[0];
  };
  const template = fs.readFileSync(path.join(src, 'index.html'), 'utf8');
  if (!template.includes('%SCRIPT%') || !template.includes('%STYLES%')) throw new Error('src/activity-client/index.html lost its %SCRIPT%/%STYLES% placeholders');
  const html = template.replace('%SCRIPT%', pick('.js')).replace('%STYLES%', pick('.css'));
  files.set('index.html', Buffer.from(html, 'utf8'));
  const list = [...files.keys()].sort();
  files.set('manifest.json', Buffer.from(`${JSON.stringify({ files: list }, null, 2)}\n`, 'utf8'));

  // Write to a fresh folder, then swap, so a reader never sees half a build.
  const tmp = `${out}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  for (const [key, bytes] of files) {
    const file = path.join(tmp, key);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, bytes);
  }
  fs.rmSync(out, { recursive: true, force: true });
  fs.renameSync(tmp, out);
  if (!quiet) {
    const bytes = [...files.values()].reduce((n, b) => n + b.byteLength, 0);
    console.error(`built ${path.relative(root, out) || out} (${list.length} files, ${(bytes / 1024).toFixed(0)} KiB)`);
  }
  return list;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const out = args.includes('--out') ? path.resolve(root, args[args.indexOf('--out') + 1]) : undefined;
  await buildActivity({ ...(out ? { out } : {}), quiet: args.includes('--quiet') });
}
