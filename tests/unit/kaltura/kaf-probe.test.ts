import { describe, expect, it } from 'vitest';
import { judgeKafLaunch, kafHostPartner, type KafAnswer } from '../../../src/kaltura/kaf-probe';

const page = (status: number, bodyHash: string, location?: string): KafAnswer => ({ status, bodyHash, ...(location !== undefined && { location }) });
const W = 'https://1.kaf.kaltura.com/virtualEvent/launch';

describe('judgeKafLaunch: behaves like an authenticating launch endpoint', () => {
  it.each([
    ['room page vs. refusal', page(200, 'room'), page(401, 'err')],
    ['redirect into the room vs. error page', page(302, 'x', 'https://room.example/r/1'), page(200, 'login')],
    ['two redirects to different places', page(302, 'x', 'https://room.example/r/1'), page(302, 'x', '/user/login')],
    ['two 200 pages with different content', page(200, 'room'), page(200, 'error')],
  ])('accepts %s', (_label, withSession, without) => {
    expect(judgeKafLaunch(W, withSession, without).ok).toBe(true);
  });

  it.each([
    ['the same page for both (catch-all site)', page(200, 'same'), page(200, 'same')],
    ['the same redirect for both', page(302, 'a', '/home'), page(302, 'b', '/home')],
    ['a 404 for the valid session', page(404, 'nf'), page(404, 'nf')],
    ['a 500 for the valid session', page(500, 'x'), page(401, 'y')],
  ])('refuses %s', (_label, withSession, without) => {
    const verdict = judgeKafLaunch(W, withSession, without);
    expect(verdict.ok).toBe(false);
    expect(verdict.detail).toContain(W);
  });
});

describe('kafHostPartner', () => {
  it('reads the partner id of a Kaltura-hosted KAF, and nothing from other hosts', () => {
    expect(kafHostPartner('https://1234567.kaf.kaltura.com')).toBe(1234567);
    expect(kafHostPartner('https://1234567.KAF.kaltura.com/path')).toBe(1234567);
    expect(kafHostPartner('https://kaf.example.edu')).toBeUndefined();
    expect(kafHostPartner('https://1234567.kaf.kaltura.com.evil.example')).toBeUndefined();
    expect(kafHostPartner('not a url')).toBeUndefined();
  });
});

describe('fetchKaf', () => {
  it('judges a page whose body never ends by its first 256 KiB instead of calling the KAF URL unreachable', async () => {
    const { createServer } = await import('node:http');
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      const timer = setInterval(() => res.write(chunk), 5);
      res.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const { fetchKaf } = await import('../../../src/kaltura/kaf-probe');
      const answer = await fetchKaf(`http://127.0.0.1:${port}/virtualEvent/launch`, fetch, 3_000);
      expect(answer.status).toBe(200);
      expect(answer.bodyHash).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
