import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadActivityFiles } from '../../../src/http/activity-files';
import { CLIENT_ID_PLACEHOLDER } from '../../../src/http/activity-assets';
import { captureLogger } from '../../helpers/capture-logger';

describe('loadActivityFiles: the client build as the /activity routes serve it', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  function build(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kd-activity-'));
    dirs.push(dir);
    fs.mkdirSync(path.join(dir, 'assets'));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ files: Object.keys(files) }));
    return dir;
  }

  it('fills the application id into index.html and keeps the hashed assets', () => {
    const dir = build({ 'index.html': `<meta name="kd-client-id" content="${CLIENT_ID_PLACEHOLDER}">`, 'assets/main-AB12.js': 'x' });
    const files = loadActivityFiles('123456789012345678', captureLogger().logger, { dir });
    if (!(files instanceof Map)) throw new Error(`not loaded: ${JSON.stringify(files)}`);
    expect(Buffer.from(files.get('index.html')!.body).toString()).toBe('<meta name="kd-client-id" content="123456789012345678">');
    expect(files.get('assets/main-AB12.js')).toMatchObject({ immutable: true });
  });

  it('a missing build (or a bad application id) is reported once in the log, not a crash', () => {
    const log = captureLogger();
    const missing = loadActivityFiles('123456789012345678', log.logger, { dir: path.join(os.tmpdir(), 'kd-no-such-build') });
    expect(missing).toMatchObject({ missing: expect.stringContaining('not built') });
    expect(log.lines.filter((l) => l.level === 40)).toHaveLength(1);
    const dir = build({ 'index.html': CLIENT_ID_PLACEHOLDER });
    expect(loadActivityFiles('not-a-snowflake', log.logger, { dir })).toMatchObject({ missing: expect.stringContaining('snowflake') });
  });

  it('a build that cannot be read (a file the bot may not read, or a folder where a file should be) is reported, not a failed start', () => {
    const log = captureLogger();
    const dir = build({ 'index.html': CLIENT_ID_PLACEHOLDER });
    fs.mkdirSync(path.join(dir, 'assets', 'main-AB12.js'));
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ files: ['index.html', 'assets/main-AB12.js'] }));
    expect(loadActivityFiles('123456789012345678', log.logger, { dir })).toMatchObject({ missing: expect.stringContaining('could not be read') });
    expect(log.lines.filter((l) => l.level === 40)).toHaveLength(1);
  });
});
