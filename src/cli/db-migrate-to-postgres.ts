/**
 * `kaltura-discord db migrate-to-postgres`: moves the SQLite database into PostgreSQL (see
 * store/copy-sqlite-to-postgres.ts), prints each table's row count as verified on both sides, and
 * says what to change in the configuration. Never prints the URL's password.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { envVarFor } from '../config/config-keys';
import { loadConfig } from '../config/load-config';
import { loadSqliteBinding } from '../native/sqlite-binding';
import { migrateDatabase } from '../store/migrate-database';
import { migrations } from '../store/migrations/index';
import { closeDatabase, openDatabase } from '../store/open-database';
import { redactStorageUrl } from '../store/redact-storage-url';
import { withTimeout } from '../store/with-timeout';
import { CliError, EXIT } from './cli-error';
import type { CommandContext } from './command-context';

const URL_ENV = envVarFor(['storage', 'url']);

export function registerMigrateToPostgres(db: Command, ctx: CommandContext): void {
  db.command('migrate-to-postgres')
    .description(`copy the SQLite database (storage.path) into an empty PostgreSQL database, verifying every table's row count; stop \`serve\` first`)
    .option('--url <url>', `the PostgreSQL database (postgres://user:password@host:5432/db); default: $${URL_ENV}, which keeps the password out of the process list`)
    .option('-f, --force', 'replace what the PostgreSQL database already holds')
    .action(async (opts: { url?: string; force?: boolean }) => {
      const { io } = ctx;
      const url = opts.url ?? io.env[URL_ENV];
      if (!url) throw new CliError(`give the PostgreSQL database with --url or ${URL_ENV}`, EXIT.usage);
      if (!/^postgres(ql)?:\/\//.test(url)) throw new CliError('--url must be a PostgreSQL URL: postgres://user:password@host:5432/database', EXIT.usage);
      const where = redactStorageUrl(url);
      // The URL is for the target only: the configuration is read as the SQLite one it still is.
      const config = loadConfig(ctx.configPath(), { ...io.env, [URL_ENV]: undefined });
      if (config.storage.driver === 'postgres') throw new CliError('storage.driver is already postgres: this command reads the SQLite file of a sqlite configuration');
      const file = config.storage.path;
      if (!fs.existsSync(file)) throw new CliError(`no database at ${file} (nothing to copy)`);

      // pg and the copier load only for this command (every CLI start registers it).
      const [{ copySqliteToPostgres }, { migratePostgres }, { createPostgresPool }] = await Promise.all([
        import('../store/copy-sqlite-to-postgres'),
        import('../store/migrate-postgres'),
        import('../store/sql/create-postgres-pool'),
      ]);
      const sqlite = openDatabase(file, { nativeBinding: loadSqliteBinding(io.env) });
      // The copy's statements may take long on a big file (the copy sets statement_timeout 30min itself).
      const pool = createPostgresPool(url, { poolSize: 2, logger: { warn: () => undefined }, queryTimeoutMs: 31 * 60_000 });
      try {
        // Both sides at this release's schema first (what `serve` would do on start).
        const source = migrateDatabase(sqlite, migrations, file);
        if (source.from !== source.to) io.stdout.write(`${file}: brought from schema ${source.from} to ${source.to}\n`);
        await migratePostgres(pool, migrations, where);
        io.stdout.write(`copying ${file} to ${where}\n`);
        const copied = await copySqliteToPostgres(sqlite, pool, {
          replace: opts.force ?? false,
          onTable: ({ table, rows }) => io.stdout.write(`  ${table.padEnd(22)} ${rows} rows (same count on both sides)\n`),
        });
        const total = copied.reduce((sum, t) => sum + t.rows, 0);
        io.stdout.write(
          `done: ${copied.length} tables, ${total} rows, in one transaction.\n` +
            `next: set storage.driver: postgres, give the URL as ${URL_ENV}, and start serve; keep ${file} as a backup.\n`,
        );
      } catch (err) {
        if (err instanceof CliError) throw err;
        // A driver message names hosts and users, never the password; say which database it is about.
        throw new CliError(`migrate-to-postgres (${where}): ${(err as Error).message}`, EXIT.failure, { cause: err });
      } finally {
        closeDatabase(sqlite);
        await withTimeout(pool.end(), 5_000, 'closing the PostgreSQL pool').catch(() => undefined);
      }
    });
}
