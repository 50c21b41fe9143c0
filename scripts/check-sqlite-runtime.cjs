// Run by scripts/package.mjs with the embedded node and --expose-gc: loads the SQLite driver and addon
// that go into the executable, prepares many statements and collects them. better-sqlite3 12 aborts the
// process here on Node >= 24.19 (Assertion failed: (env) != nullptr in RemoveEnvironmentCleanupHook);
// a build that would crash in production fails at packaging time instead.
'use strict';
const [, , packageDir, addonFile] = process.argv;
const Database = require(packageDir);
const mod = { exports: {} };
process.dlopen(mod, addonFile);
const db = new Database(':memory:', { nativeBinding: mod.exports });
db.exec('CREATE TABLE t (n INTEGER)');
for (let i = 0; i < 20000; i++) db.prepare(`INSERT INTO t VALUES (${i})`).run();
global.gc();
setTimeout(() => {
  global.gc();
  const { n } = db.prepare('SELECT count(*) AS n FROM t').get();
  db.close();
  if (n !== 20000) throw new Error(`expected 20000 rows, found ${n}`);
  console.log(`sqlite runtime check: 20000 statements collected under ${process.version}, ok`);
}, 50);
