import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config/load-config';
import { captureLogger } from '../helpers/capture-logger';
import { freePort } from '../helpers/free-port';
import { createTestPostgresDatabase } from '../helpers/stores';
import { useTempDirs } from '../helpers/temp-dir';
import { startHarness, type Harness } from './meeting-harness';

/**
 * discord.mode gateway on PostgreSQL: each gateway session would receive every interaction, so a
 * second instance on the same database must refuse to start instead of answering every command twice.
 */
describe('one gateway instance per PostgreSQL database', () => {
  const tempDir = useTempDirs();
  let h: Harness | undefined;
  let second: App | undefined;
  let drop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await second?.stop();
    await h?.close();
    await drop?.();
    h = second = drop = undefined;
  });

  it('a second gateway instance refuses to start with the fix; once the first stops, it may start', async () => {
    const db = await createTestPostgresDatabase();
    drop = db.drop;
    h = await startHarness(tempDir(), { postgresUrl: db.url });
    const file = path.join(h.dir, 'kaltura-discord.yaml');

    const logs = captureLogger([]);
    const elsewhere = { KALTURA_DISCORD_HTTP__LISTEN: `127.0.0.1:${await freePort()}` }; // its own port, as on another host
    second = await createApp({ config: loadConfig(file, elsewhere), logger: logs.logger });
    await expect(second.start()).rejects.toThrow(/another instance already runs the Discord gateway on this database.*discord\.mode: http/);
    await second.stop();
    expect(h.discord.gateway.identifies).toHaveLength(1); // the refused instance never logged in

    await h.app.stop();
    second = await createApp({ config: loadConfig(file, elsewhere), logger: logs.logger });
    await second.start();
    await h.discord.waitForIdentify({ count: 2 });
  });
});
