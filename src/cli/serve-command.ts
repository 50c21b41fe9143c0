import type { Command } from 'commander';
import { createApp } from '../app';
import { loadConfig } from '../config/load-config';
import { installCrashHandlers } from '../logging/crash-handlers';
import { createLogger } from '../logging/create-logger';
import { loadSqliteBinding } from '../native/sqlite-binding';
import { createSystemdNotifier } from '../systemd/systemd-notifier';
import { EXIT } from './cli-error';
import { serveWarnings } from './config-warnings';
import { secretsOf } from './secrets-of';
import type { CommandContext } from './command-context';

/**
 * docs/operations.md promises an exit within 5 s of SIGTERM/SIGINT. `App.stop()` is bounded well
 * below that; past this, the database is checkpointed and the process exits anyway.
 */
const STOP_WATCHDOG_MS = 4_500;
/** After a clean stop, how long a leftover socket or timer of a library may keep the process up. */
const EXIT_LINGER_MS = 300;

export function registerServeCommand(program: Command, ctx: CommandContext): void {
  program
    .command('serve')
    .description('run the bot: HTTP server (health, join links, webhooks) and the Discord gateway')
    .action(async () => {
      const { io } = ctx;
      const config = loadConfig(ctx.configPath(), io.env);
      // Under journald (JOURNAL_STREAM set) log JSON lines, never colours, unless the file says otherwise.
      const format = config.logging.format ?? (io.env.JOURNAL_STREAM ? 'json' : undefined);
      const logger = createLogger({ level: config.logging.level, format, secrets: secretsOf(config), destination: io.stderr === process.stderr ? undefined : io.stderr });
      for (const warning of serveWarnings(config)) logger.warn(`warning: ${warning}`);
      const systemd = createSystemdNotifier({ env: io.env, onError: (err, state) => logger.warn({ err, state }, 'could not notify systemd') });
      // Listen for the stop signal before anything starts: a SIGTERM during start-up (or right after the
      // READY notification) must shut down cleanly, not kill the process with the default action.
      const signalled = io.waitForSignal(['SIGINT', 'SIGTERM']);
      // On PostgreSQL the SQLite addon is never extracted or loaded: serve starts without it.
      const sqliteBinding = config.storage.driver === 'postgres' ? undefined : loadSqliteBinding(io.env);
      const app = await createApp({ config, logger, sqliteBinding });
      const uninstall = installCrashHandlers(process, {
        exitCode: EXIT.crashed,
        exit: (code) => process.exit(code),
        report: (summary, err) => logger.fatal({ err }, summary),
        cleanup: () => app.closeStoreNow(), // checkpoint what was committed (SQLite)
      });
      // A stop may come while Discord or Kaltura are still not answering: it must not wait for them.
      const starting = app.start();
      starting.catch(() => undefined); // when a signal wins the race, stop() settles it
      const first = await Promise.race([starting.then(({ url }) => ({ url }) as const), signalled.then((signal) => ({ signal }) as const)]).catch(async (err: unknown) => {
        await app.stop();
        uninstall();
        throw err;
      });
      let signal: NodeJS.Signals;
      if ('url' in first) {
        // systemd-notify waits for systemd to take the message (up to 5 s): a stop signal must not wait for it.
        await Promise.race([systemd.ready(`listening on ${first.url}`), signalled]);
        signal = await signalled;
      } else {
        signal = first.signal;
      }
      logger.info({ signal }, 'shutting down');
      void systemd.stopping(`shutting down (${signal})`); // told, not waited for: it must not eat the 5 s
      const watchdog = setTimeout(() => {
        logger.warn('stopping is taking too long; checkpointed the database and exiting without waiting for the rest');
        app.closeStoreNow();
        process.exit(EXIT.ok);
      }, STOP_WATCHDOG_MS);
      watchdog.unref();
      await app.stop();
      clearTimeout(watchdog);
      uninstall();
      logger.info('stopped cleanly');
      // The database is closed; a library's forgotten socket or timer must not keep the process up.
      setTimeout(() => process.exit(process.exitCode ?? EXIT.ok), EXIT_LINGER_MS).unref();
    });
}
