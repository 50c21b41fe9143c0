import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadActivityAssets } from '../../../src/http/activity-assets';
import { useTempDirs } from '../../helpers/temp-dir';

const root = path.resolve(__dirname, '../../..');
const run = promisify(execFile);
const tempDir = useTempDirs();

/**
 * Absolute URLs allowed to appear in the client's JavaScript: the Embedded App SDK's list of
 * Discord origins it accepts postMessage from, and a URL inside one of its error messages. None of
 * them is loaded; anything else (a CDN script, an analytics host) would be blocked by Discord's
 * CSP inside the Activity (discord-api.md §7.2), so the build must not contain it.
 */
const SDK_ORIGINS = new Set([
  'https://discord.com', 'https://discordapp.com', 'https://ptb.discord.com', 'https://ptb.discordapp.com',
  'https://canary.discord.com', 'https://canary.discordapp.com', 'https://staging.discord.co', 'https://pax.discord.com',
  'http://localhost:3333', 'https://github.com/uuidjs/uuid',
]);

describe('scripts/build-activity.mjs', () => {
  let out: string;
  let files: Map<string, string>;
  beforeAll(async () => {
    out = path.join(tempDir(), 'activity');
    await run(process.execPath, [path.join(root, 'scripts/build-activity.mjs'), '--quiet', '--out', out], { cwd: root });
    files = new Map([...loadActivityAssets({ dir: out })].map(([k, v]) => [k, v.body.toString('utf8')]));
  }, 60_000);

  it('index.html loads content-hashed script and stylesheet that exist in the build, by relative URL', () => {
    const html = files.get('index.html')!;
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs).toHaveLength(2);
    for (const ref of refs) {
      expect(ref).toMatch(/^assets\/(main|styles)-[A-Z0-9]{8}\.(js|css)$/);
      expect(files.has(ref)).toBe(true);
    }
    expect(html).toContain('<meta name="kd-client-id" content="__KD_CLIENT_ID__">');
  });

  it('has no inline script or style (the page is served with script-src/style-src \'self\')', () => {
    const html = files.get('index.html')!;
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
  });

  it('references no external host: everything is served through the Activity\'s own origin', () => {
    for (const [key, text] of files) {
      const urls = [...text.matchAll(/\b(?:https?|wss?):\/\/[A-Za-z0-9.:-]+(?:\/[A-Za-z0-9._\/-]*)?/g)].map((m) => m[0]);
      const foreign = urls.filter((u) => !SDK_ORIGINS.has(u));
      expect(foreign, `${key} mentions ${foreign.join(', ')}`).toEqual([]);
      if (key.endsWith('.css')) expect(text).not.toMatch(/@import|url\((?!data:)/);
    }
  });

  it('is minified and rebuilt identically from the same sources (content hashes are stable)', async () => {
    const js = [...files.keys()].find((k) => k.endsWith('.js'))!;
    expect(files.get(js)!.split('\n').length).toBeLessThan(20);
    const again = path.join(tempDir(), 'activity');
    await run(process.execPath, [path.join(root, 'scripts/build-activity.mjs'), '--quiet', '--out', again], { cwd: root });
    expect(JSON.parse(fs.readFileSync(path.join(again, 'manifest.json'), 'utf8')).files).toEqual([...files.keys()].sort());
  }, 60_000);
});
