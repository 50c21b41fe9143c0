import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { activityIndexHtml, ActivityAssetsError, loadActivityAssets } from '../../../src/http/activity-assets';
import { useTempDirs } from '../../helpers/temp-dir';

const tempDir = useTempDirs();

function writeBuild(files: Record<string, string>, manifest: unknown = { files: Object.keys(files) }): string {
  const dir = tempDir();
  for (const [key, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, key)), { recursive: true });
    fs.writeFileSync(path.join(dir, key), text);
  }
  fs.writeFileSync(path.join(dir, 'manifest.json'), typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
  return dir;
}

const INDEX = '<!doctype html><meta name="kd-client-id" content="__KD_CLIENT_ID__"><script type="module" src="assets/main-AB12.js"></script>';

describe('loadActivityAssets', () => {
  it('reads every file the manifest lists, with its content type; hashed assets are immutable, index.html is not', () => {
    const dir = writeBuild({ 'index.html': INDEX, 'assets/main-AB12.js': 'console.log(1)', 'assets/styles-CD34.css': 'body{}' });
    const assets = loadActivityAssets({ dir });
    expect([...assets.keys()].sort()).toEqual(['assets/main-AB12.js', 'assets/styles-CD34.css', 'index.html']);
    expect(assets.get('index.html')).toMatchObject({ contentType: 'text/html; charset=utf-8', immutable: false });
    expect(assets.get('assets/main-AB12.js')).toMatchObject({ contentType: 'text/javascript; charset=utf-8', immutable: true });
    expect(assets.get('assets/styles-CD34.css')?.body.toString()).toBe('body{}');
    expect(assets.has('manifest.json')).toBe(false);
  });

  it('a folder without a build is a clear error naming the command that builds it', () => {
    const dir = tempDir();
    expect(() => loadActivityAssets({ dir })).toThrow(ActivityAssetsError);
    expect(() => loadActivityAssets({ dir })).toThrow(/not built.*npm run build/);
  });

  it('a build missing a listed file is refused as incomplete', () => {
    const dir = writeBuild({ 'index.html': INDEX }, { files: ['index.html', 'assets/main-AB12.js'] });
    expect(() => loadActivityAssets({ dir })).toThrow(/incomplete \(assets\/main-AB12\.js is missing\)/);
  });

  it('a manifest naming a file outside the build (or not JSON) is refused', () => {
    const outside = writeBuild({ 'index.html': INDEX }, { files: ['index.html', '../secret.txt'] });
    expect(() => loadActivityAssets({ dir: outside })).toThrow(/unexpected file name/);
    const garbage = writeBuild({ 'index.html': INDEX }, '{not json');
    expect(() => loadActivityAssets({ dir: garbage })).toThrow(/not valid JSON/);
  });
});

describe('activityIndexHtml', () => {
  const index = { body: Buffer.from(INDEX), contentType: 'text/html; charset=utf-8', immutable: false };

  it('puts the Discord application id into the page for the client to read', () => {
    const html = activityIndexHtml(index, '1100000000000000001').toString();
    expect(html).toContain('<meta name="kd-client-id" content="1100000000000000001">');
    expect(html).not.toContain('__KD_CLIENT_ID__');
  });

  it('refuses anything but a snowflake (nothing else may reach the HTML)', () => {
    expect(() => activityIndexHtml(index, '"><script>alert(1)</script>')).toThrow(/snowflake/);
    expect(() => activityIndexHtml(index, '')).toThrow(/snowflake/);
  });
});
