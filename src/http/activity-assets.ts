/**
 * The Watch Together Activity's web client (built by scripts/build-activity.mjs into dist/activity/)
 * as bytes the HTTP server can answer with. Inside the single executable the files are SEA assets
 * (scripts/package.mjs embeds them, like the SQLite addon); otherwise they are read from
 * dist/activity next to the bundle (dist/app.cjs) or, when running from source, under the repo.
 * Everything is read once, synchronously, at start: a missing build is a start-up error with the
 * command that fixes it, never a 404 a member discovers inside Discord.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as sea from 'node:sea';
import { fileURLToPath } from 'node:url';

export interface ActivityAsset {
  readonly body: Buffer;
  readonly contentType: string;
  /** Content-hashed file (assets/…): may be cached for ever. index.html is not. */
  readonly immutable: boolean;
}

/** The client build is missing or incomplete; the message says what to run. */
export class ActivityAssetsError extends Error {
  override readonly name = 'ActivityAssetsError';
}

/** Written by scripts/build-activity.mjs; lists every file of the build, root-relative. */
export const ACTIVITY_MANIFEST = 'manifest.json';
/** SEA asset names are `activity/<key>` (scripts/package.mjs). */
export const ACTIVITY_SEA_PREFIX = 'activity/';
/** The placeholder build-activity.mjs leaves in index.html's `<meta name="kd-client-id">`. */
export const CLIENT_ID_PLACEHOLDER = '__KD_CLIENT_ID__';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

const REBUILD = 'run `npm run build` (node scripts/bundle.mjs builds the Activity client into dist/activity/), or use a release executable, which embeds it';

function isSingleExecutable(): boolean {
  try {
    return sea.isSea();
  } catch {
    return false;
  }
}

/** Keys must stay inside the build: `assets/x-HASH.js`, `index.html`; nothing with `..`, no absolute paths. */
function checkKey(key: unknown): string {
  if (typeof key !== 'string' || !/^(?:assets\/)?[A-Za-z0-9][A-Za-z0-9._-]*$/.test(key) || key.includes('..')) {
    throw new ActivityAssetsError(`the Activity client's manifest lists an unexpected file name (${JSON.stringify(String(key).slice(0, 80))}); ${REBUILD}`);
  }
  return key;
}

function parseManifest(text: string, where: string): string[] {
  let files: unknown;
  try {
    files = (JSON.parse(text) as { files?: unknown }).files;
  } catch {
    throw new ActivityAssetsError(`the Activity client's manifest in ${where} is not valid JSON; ${REBUILD}`);
  }
  if (!Array.isArray(files) || !files.includes('index.html')) {
    throw new ActivityAssetsError(`the Activity client's manifest in ${where} does not list index.html; ${REBUILD}`);
  }
  return files.map(checkKey);
}

function asset(key: string, body: Buffer): ActivityAsset {
  return {
    body,
    contentType: CONTENT_TYPES[path.extname(key)] ?? 'application/octet-stream',
    immutable: key.startsWith('assets/'),
  };
}

function fromSea(): Map<string, ActivityAsset> | undefined {
  let manifest: string;
  try {
    manifest = sea.getAsset(`${ACTIVITY_SEA_PREFIX}${ACTIVITY_MANIFEST}`, 'utf8');
  } catch {
    return undefined; // an executable built without the client: fall back to a folder beside it
  }
  const out = new Map<string, ActivityAsset>();
  for (const key of parseManifest(manifest, 'this executable')) {
    try {
      out.set(key, asset(key, Buffer.from(sea.getAsset(`${ACTIVITY_SEA_PREFIX}${key}`))));
    } catch {
      throw new ActivityAssetsError(`this executable lists the Activity file ${key} but does not contain it: the build is damaged; ${REBUILD}`);
    }
  }
  return out;
}

function fromDir(dir: string): Map<string, ActivityAsset> {
  const manifestFile = path.join(dir, ACTIVITY_MANIFEST);
  if (!fs.existsSync(manifestFile)) throw new ActivityAssetsError(`the Activity client is not built (${manifestFile} is missing); ${REBUILD}`);
  const out = new Map<string, ActivityAsset>();
  for (const key of parseManifest(fs.readFileSync(manifestFile, 'utf8'), dir)) {
    const file = path.join(dir, key);
    if (!fs.existsSync(file)) throw new ActivityAssetsError(`the Activity client build in ${dir} is incomplete (${key} is missing); ${REBUILD}`);
    out.set(key, asset(key, fs.readFileSync(file)));
  }
  return out;
}

/** dist/activity beside the bundle (dist/app.cjs), else <repo>/dist/activity when this file runs from src/http/. */
function defaultDirs(): string[] {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const dirs = [path.join(here, 'activity'), path.resolve(here, '../../dist/activity')];
  if (isSingleExecutable()) dirs.unshift(path.join(path.dirname(process.execPath), 'activity'));
  return dirs;
}

/**
 * Every file of the Activity client, keyed root-relative ('index.html', 'assets/main-3F2A9C1B.js').
 * `dir` (tests) reads that build folder only. Throws ActivityAssetsError when missing or incomplete.
 */
export function loadActivityAssets(options: { readonly dir?: string } = {}): ReadonlyMap<string, ActivityAsset> {
  if (options.dir !== undefined) return fromDir(options.dir);
  if (isSingleExecutable()) {
    const embedded = fromSea();
    if (embedded) return embedded;
  }
  const dirs = defaultDirs();
  const found = dirs.find((d) => fs.existsSync(path.join(d, ACTIVITY_MANIFEST)));
  if (!found) throw new ActivityAssetsError(`the Activity client is not built (looked in ${dirs.join(', ')}); ${REBUILD}`);
  return fromDir(found);
}

/** A Discord application id is a snowflake: digits only, so it can go into HTML without escaping. */
const SNOWFLAKE = /^[0-9]{17,20}$/;

/** index.html with the Discord application (client) id in its `<meta name="kd-client-id">`; the client reads it from there. */
export function activityIndexHtml(index: ActivityAsset, clientId: string): Buffer {
  if (!SNOWFLAKE.test(clientId)) throw new ActivityAssetsError('the Discord application id must be a snowflake (17–20 digits)');
  const html = index.body.toString('utf8');
  if (!html.includes(CLIENT_ID_PLACEHOLDER)) throw new ActivityAssetsError(`the Activity client's index.html has no client-id placeholder; ${REBUILD}`);
  return Buffer.from(html.replace(CLIENT_ID_PLACEHOLDER, clientId), 'utf8');
}
