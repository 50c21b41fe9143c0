import type { Command } from 'commander';
import { createApp } from '../app';
import { loadConfig } from '../config/load-config';
import { createLogger } from '../logging/create-logger';
import { loadSqliteBinding } from '../native/sqlite-binding';
import { createSystemdNotifier } from '../systemd/systemd-notifier';
import { secretsOf } from './secrets-of';
import type { CommandContext } from './command-context';

/** How long a stop may take before we give up waiting for in-flight work. */
const STOP_TIMEOUT_MS = 15_000;

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
      const systemd = createSystemdNotifier({ env: io.env, onError: (err, state) => logger.warn({ err, state }, 'could not notify systemd') });
      // Listen for the stop signal before anything starts: a SIGTERM during start-up (or right after the
      // READY notification) must shut down cleanly, not kill the process with the default action.
      const signalled = io.waitForSignal(['SIGINT', 'SIGTERM']);
      const app = await createApp({ config, logger, sqliteBinding: loadSqliteBinding(io.env) });
      let url: string;
      try {
        ({ url } = await app.start());
      } catch (err) {
        await app.stop();
        throw err;
      }
      await systemd.ready(`listening on ${url}`);
      const signal = await signalled;
      logger.info({ signal }, 'shutting down');
      await systemd.stopping(`shutting down (${signal})`);
      const timer = setTimeout(() => logger.warn('shutdown is taking long; still waiting for in-flight work'), STOP_TIMEOUT_MS);
      timer.unref();
      await app.stop();
      clearTimeout(timer);
      logger.info('stopped cleanly');
    });
}
