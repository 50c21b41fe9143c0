import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeKaltura, type FakeKaltura } from '../fakes/kaltura/index';
import { GOOD } from '../helpers/config-fixtures';
import { startServe, type ServeProcess } from '../helpers/spawn-serve';
import { useTempDirs } from '../helpers/temp-dir';
import { until } from '../helpers/until';
import { closeDatabase, openDatabase } from '../../src/store/open-database';

/** A "Discord" that accepts TCP connections and never says a word: what a dead proxy or a black-holed route looks like. */
async function startSilentServer(): Promise<{ url: string; connections: () => number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let count = 0;
  const server = net.createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('stopping while Discord and Kaltura do not answer (the real serve process)', () => {
  const tempDir = useTempDirs();
  let silentDiscord: Awaited<ReturnType<typeof startSilentServer>>;
  let kaltura: FakeKaltura;
  const running: ServeProcess[] = [];
  beforeAll(async () => {
    silentDiscord = await startSilentServer();
    kaltura = await startFakeKaltura({ adminSecret: GOOD.adminSecret });
    kaltura.inject({ kind: 'hang' }); // every Kaltura call: connection accepted, never answered
  });
  afterAll(async () => {
    await silentDiscord.close();
    await kaltura.close();
  });
  afterEach(async () => {
    for (const p of running.splice(0)) await p.stop('SIGKILL');
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} with a login and a Kaltura call in flight exits 0 within 5 s, accepted work kept and the database checkpointed`, async () => {
      const cwd = tempDir();
      fs.writeFileSync(
        path.join(cwd, 'kaltura-discord.yaml'),
        `discord: {token: ${GOOD.token}, applicationId: "${GOOD.applicationId}", apiBaseUrl: ${silentDiscord.url}/api}
kaltura: {partnerId: ${kaltura.partnerId}, adminSecret: ${GOOD.adminSecret}, serviceUrl: ${kaltura.url}, kafUrl: ${kaltura.kafUrl}}
http: {listen: "127.0.0.1:0", publicUrl: "https://bot.example.org"}
links: {secret: ${GOOD.linkSecret}}
storage: {path: ./data/kd.db}
logging: {format: json, level: info}
`,
        { mode: 0o600 },
      );
      const serve = await startServe([], { cwd });
      running.push(serve);
      const discordBefore = silentDiscord.connections();
      const kalturaBefore = kaltura.requests.length;

      // A signed webhook is accepted (stored, answered 200); it names no entry, so processing asks Kaltura and waits.
      const entry = kaltura.addEntry({ name: 'Lecture 1 (recording)', status: 2 });
      const delivered = await kaltura.emitWebhook(`${serve.url}/webhooks/kaltura`, { entry, eventType: 3, jobId: 4242 }, { algo: 'sha256', variant: 'fields-form', fields: { entry_id: entry.id, entry_status: 2 } });
      expect(delivered.status).toBe(200);
      await until('the gateway login waits on the silent Discord', () => silentDiscord.connections() > discordBefore, 10_000);
      await until('a Kaltura call waits on the hanging Kaltura', () => kaltura.requests.length > kalturaBefore, 10_000);

      const started = performance.now();
      const code = await serve.stop(signal);
      const tookMs = performance.now() - started;
      expect(code).toBe(0);
      expect(tookMs).toBeLessThan(5_000); // docs/operations.md: "exits within 5 s"; it was 56 s

      const db = path.join(cwd, 'data', 'kd.db');
      expect(fs.existsSync(`${db}-wal`) ? fs.statSync(`${db}-wal`).size : 0).toBe(0);
      const handle = openDatabase(db, { readonly: true });
      try {
        expect(handle.prepare('SELECT COUNT(*) AS n FROM webhook_inbox').get()).toEqual({ n: 1 });
      } finally {
        closeDatabase(handle);
      }
      const log = serve.stderr();
      expect(log).toContain('"msg":"stopped cleanly"');
      expect(log).not.toMatch(/DOMException|AbortError|\\n\s+at /);
    }, 40_000);
  }
});
