import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config/load-config';
import { loadSqliteBinding } from '../native/sqlite-binding';
import { backupDatabase } from '../store/backup-database';
import { closeDatabase, openDatabase } from '../store/open-database';
import { CliError } from './cli-error';
import type { CommandContext } from './command-context';
import { registerMigrateToPostgres } from './db-migrate-to-postgres';

export function registerDbCommand(program: Command, ctx: CommandContext): void {
  const db = program.command('db').description('maintain the database (backup of SQLite, move to PostgreSQL)');
  db.command('backup <file>')
    .description('write a consistent copy of the live database (safe while `serve` runs)')
    .option('-f, --force', 'overwrite the target file if it exists')
    .action(async (target: string, opts: { force?: boolean }) => {
      const config = loadConfig(ctx.configPath(), ctx.io.env);
      if (config.storage.driver === 'postgres') {
        throw new CliError("db backup copies the SQLite file; with storage.driver postgres, back up with PostgreSQL's own tools (pg_dump, or your provider's snapshots)");
      }
      if (!fs.existsSync(config.storage.path)) {
        throw new CliError(`no database at ${config.storage.path} yet (\`kaltura-discord serve\` creates it)`);
      }
      const handle = openDatabase(config.storage.path, { nativeBinding: loadSqliteBinding(ctx.io.env) });
      try {
        const result = await backupDatabase(handle, path.resolve(ctx.io.cwd, target), { overwrite: opts.force ?? false });
        ctx.io.stdout.write(`backed up ${config.storage.path} to ${result.file} (${result.bytes} bytes)\n`);
      } finally {
        closeDatabase(handle);
      }
    });
  registerMigrateToPostgres(db, ctx);
}
