import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '../../..');
const script = path.join(repo, 'scripts/check-imports.mjs');
const fixtures = path.join(repo, 'tests/fixtures/import-boundaries');

/** Runs the check as `npm test` does; resolves with its exit code and output instead of throwing. */
async function check(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [script, ...args], { cwd: repo });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the import-boundary check (STYLE.md layer table)', () => {
  it('passes on the real source tree', async () => {
    const result = await check();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^check-imports: \d+ imports in \d+ files follow the layer rules/);
  });

  it('names every import that breaks a rule, with file and line, and fails', async () => {
    const result = await check('--root', path.join(fixtures, 'violations'));
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n').slice(1).map((l) => l.trim());
    expect(lines).toEqual([
      "src/core/meeting-service.ts:4 imports '../store/meeting-rows': core must not import store",
      "src/core/meeting-service.ts:5 imports 'better-sqlite3': core must not load an adapter's or outer layer's library",
      "src/core/meeting-service.ts:6 imports '../config/load-config': core may import only configuration types from src/config",
      "src/discord/start-route.ts:2 imports '../kaltura/meetings': discord must not import kaltura",
      "src/http/join-routes.ts:2 imports '../store/meeting-rows': http must not import store",
      "src/store/meeting-rows.ts:3 imports 'discord.js': store must not load discord's library",
      'src/widgets/widget.ts: is in a part of src/ that scripts/check-imports.mjs does not place in a layer (add it to LAYER_OF)',
    ]);
    // The commented-out import and the one inside a string literal in the same file are not imports.
    expect(result.stderr).not.toContain('../http/routes');
    expect(result.stderr).not.toContain("meeting-service.ts:1 ");
  });

  it('allows what the table allows: core ports and config types, adapters over core, modules and app over everything', async () => {
    const result = await check('--root', path.join(fixtures, 'clean'));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('says so, with exit code 2, when there is no source tree to check', async () => {
    const result = await check('--root', path.join(fixtures, 'no-such-tree'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot read');
  });
});
