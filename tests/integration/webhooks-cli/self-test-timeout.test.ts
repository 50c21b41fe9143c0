import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWebhookSelfTest, SELF_TEST_MAX_TIMEOUT_MS } from '../../../src/cli/webhooks-self-test';
import { GOOD } from '../../helpers/config-fixtures';

describe('webhook self-test timeouts', () => {
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    server = http.createServer(() => undefined); // accepts, never answers (a proxy waiting on a dead upstream)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/kaltura`;
  });
  afterAll(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );

  it('gives up after the timeout with the reachability fix', async () => {
    const started = Date.now();
    const r = await runWebhookSelfTest({ url, adminSecret: GOOD.adminSecret, listen: '127.0.0.1:8080', timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(r).toMatchObject({ id: 'webhooks.self-test', status: 'fail', detail: `POST ${url} failed: no answer in time (waited 0.3 s)` });
    expect(r.fix).toMatch(/^The public URL does not reach the bot\./);
    expect(JSON.stringify(r)).not.toContain(GOOD.adminSecret);
  });

  it('never waits longer than 10 s', () => {
    expect(SELF_TEST_MAX_TIMEOUT_MS).toBeLessThanOrEqual(10_000);
  });
});
