import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backupDatabase } from '../../../src/store/backup-database';
import { closeDatabase, openDatabase } from '../../../src/store/open-database';
import { useTempDirs } from '../../helpers/temp-dir';

describe('db backup: the copy is private from its first byte', () => {
  const tempDir = useTempDirs();
  const umask = process.umask();
  afterEach(() => void process.umask(umask));

  it('the temporary file and its journal are 0600 while being written, even under a permissive umask', async () => {
    process.umask(0o000); // a permissive umask must not matter
    const dir = tempDir();
    const db = openDatabase(path.join(dir, 'state.db'));
    db.exec('CREATE TABLE t (s TEXT)');
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 3000; i++) insert.run(`row ${i} `.repeat(20));
    })();
    const seen: { file: string; mode: number; size: number }[] = [];
    const result = await backupDatabase(db, path.join(dir, 'backup.db'), {
      onProgress: ({ partialFile, remainingPages }) => {
        if (remainingPages === 0) return;
        for (const f of fs.readdirSync(dir).filter((n) => n.includes('.partial'))) {
          const st = fs.statSync(path.join(dir, f));
          seen.push({ file: f, mode: st.mode & 0o777, size: st.size });
        }
        expect(fs.existsSync(partialFile)).toBe(true);
      },
    });
    closeDatabase(db);
    expect(seen.filter((s) => s.size > 0).length).toBeGreaterThan(0); // observed mid-copy, with data in it
    for (const s of seen) expect(s, s.file).toMatchObject({ mode: 0o600 });
    expect(fs.statSync(result.file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('a leftover partial file of a crashed backup (with loose permissions) is replaced, not reused', async () => {
    const dir = tempDir();
    const db = openDatabase(path.join(dir, 'state.db'));
    const leftover = path.join(dir, `.backup.db.${process.pid}.partial`);
    fs.writeFileSync(leftover, 'junk', { mode: 0o644 });
    fs.chmodSync(leftover, 0o644);
    const modes: number[] = [];
    await backupDatabase(db, path.join(dir, 'backup.db'), { onProgress: ({ partialFile }) => void modes.push(fs.statSync(partialFile).mode & 0o777) });
    closeDatabase(db);
    expect(modes.every((m) => m === 0o600)).toBe(true);
    const copy = openDatabase(path.join(dir, 'backup.db'), { readonly: true });
    expect(copy.prepare('SELECT 1 AS ok').get()).toEqual({ ok: 1 });
    closeDatabase(copy);
  });
});
