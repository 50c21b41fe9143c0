import { describe, expect, it } from 'vitest';
import { VERSION } from '../../../src/version';
import { runCli } from '../../helpers/run-cli';
import { spawnCli } from '../../helpers/spawn-serve';
import { useTempDirs } from '../../helpers/temp-dir';

async function spawned(args: string[], cwd: string): Promise<{ code: number | null; stdout: string }> {
  const child = spawnCli(args, { cwd });
  let stdout = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stdout };
}

describe('kaltura-discord version', () => {
  const tempDir = useTempDirs();
  const expected = (commit: string) => `kaltura-discord ${VERSION} (commit ${commit})\nNode.js ${process.version} on ${process.platform}-${process.arch}\n`;

  it('the bundle prints the version, the commit embedded at build time, Node.js and the platform', async () => {
    const cwd = tempDir();
    const a = await spawned(['version'], cwd);
    const b = await spawned(['--version'], cwd);
    expect(a.code).toBe(0);
    const commit = /\(commit ([0-9a-f]{4,40})\)/.exec(a.stdout)?.[1];
    expect(commit, a.stdout).toBeDefined();
    expect(a.stdout).toBe(expected(commit!));
    expect(b).toEqual(a);
  });

  it('from source, the commit is "unknown" rather than a guess', async () => {
    const r = await runCli(['version'], { cwd: tempDir() });
    expect(r).toMatchObject({ code: 0, stdout: expected('unknown') });
  });
});
