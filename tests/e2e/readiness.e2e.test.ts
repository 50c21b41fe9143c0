import { afterEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../helpers/temp-dir';
import { startHarness, type Harness } from './meeting-harness';

/**
 * What a load balancer asks (`/readyz`) as the composition root wires it: the store's ping, plus the
 * gateway in gateway mode only. In `discord.mode: http` there is no gateway connection to wait for —
 * an instance that waited for one would never be put in rotation.
 */
describe('/readyz of the real app', () => {
  const tempDir = useTempDirs();
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const readyz = async (publicUrl: string) => {
    const res = await fetch(`${publicUrl}/readyz`);
    return { status: res.status, body: (await res.json()) as { status: string; checks: Record<string, { ok: boolean }> } };
  };

  it('in http mode: ready as soon as the database answers, with no gateway check at all', async () => {
    h = await startHarness(tempDir(), { http: true });
    expect(await readyz(h.publicUrl)).toEqual({ status: 200, body: { status: 'ready', checks: { database: { ok: true } } } });
  });

  it('in gateway mode: the database and the gateway, once it is connected', async () => {
    h = await startHarness(tempDir());
    // The harness waited for IDENTIFY; READY may still be on its way: ask again (bounded) until it is.
    let answer = await readyz(h.publicUrl);
    for (let i = 0; i < 50 && answer.status !== 200; i++) {
      expect(answer.body.checks.discord).toMatchObject({ ok: false });
      await new Promise((resolve) => setTimeout(resolve, 100));
      answer = await readyz(h.publicUrl);
    }
    expect(answer).toEqual({ status: 200, body: { status: 'ready', checks: { database: { ok: true }, discord: { ok: true } } } });
  });

  it('when the database stops answering: 503 naming the database but not its whereabouts, and one log line with the detail', async () => {
    h = await startHarness(tempDir(), { http: true });
    h.app.db.close(); // as if the file became unusable under the running bot
    for (let i = 0; i < 2; i++) {
      const { status, body } = await readyz(h.publicUrl);
      expect(status).toBe(503);
      expect(body.status).toBe('not ready');
      expect(body.checks.database).toMatchObject({ ok: false });
      expect(JSON.stringify(body)).not.toContain(h.dir);
    }
    expect(h.logs.lines.filter((l) => l.msg === 'the database does not answer the readiness probe')).toHaveLength(1);
  });
});
