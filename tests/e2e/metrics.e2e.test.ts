import { afterEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../helpers/temp-dir';
import { parseExposition, sample, sum, type Exposition } from '../unit/metrics/exposition';
import { IDS, linkButtonUrl, members, startHarness, type Harness } from './meeting-harness';

const TOKEN = 'e2e-scrape-token-0123456789';

describe('metrics end to end: /metrics on the real app moves with what happens', () => {
  const tempDir = useTempDirs();
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  async function scrape(): Promise<Exposition> {
    const res = await fetch(`${h!.publicUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    return parseExposition(await res.text());
  }

  /** Scrapes until `probe` holds: some counters move just after the answer the test waited for. */
  async function scrapeUntil(what: string, probe: (e: Exposition) => boolean): Promise<Exposition> {
    for (let i = 0; ; i++) {
      const e = await scrape();
      if (probe(e)) return e;
      if (i > 200) throw new Error(`metrics never showed ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  it('a start, a redeemed and a reused link, webhooks and a Discord 429 all show up in the counters', async () => {
    h = await startHarness(tempDir(), { extraYaml: `metrics:\n  token: ${TOKEN}\n` });
    const { discord, kaltura } = h;

    expect((await fetch(`${h.publicUrl}/metrics`)).status).toBe(401);
    const before = await scrapeUntil('the gateway ready', (e) => sample(e, 'kaltura_discord_gateway_state', { state: 'ready' }) === 1);
    expect(before.type.get('process_resident_memory_bytes')).toBe('gauge');

    // The card is posted through the bot's REST client; its first attempt gets a 429.
    discord.rateLimitNext({ method: 'POST', path: new RegExp(`/channels/${IDS.channel}/messages$`) }, { count: 1, retryAfterMs: 50 });
    const resourcesBefore = new Set(kaltura.store.resources.keys());
    const started = await discord.invokeCommand({ guildId: IDS.guild, channelId: IDS.channel, member: members.host, name: 'kaltura', subcommand: 'start', options: { title: 'Metrics 101' } }).reply();
    expect(started.content).toMatch(/is live/);
    const link = linkButtonUrl(started);
    expect(discord.requests.some((r) => r.method === 'POST' && r.status === 429)).toBe(true);

    expect((await fetch(link, { redirect: 'manual' })).status).toBe(302);
    expect((await fetch(link, { redirect: 'manual' })).status).toBe(410); // used up

    const resourceId = [...kaltura.store.resources.keys()].find((k) => !resourcesBefore.has(k))!;
    const entry = kaltura.addRecording(resourceId);
    const url = `${h.publicUrl}/webhooks/kaltura`;
    const first = await kaltura.emitWebhook(url, { entry, eventType: 3, jobId: 880001 }, { algo: 'sha256' });
    const again = await kaltura.emitWebhook(url, { entry, eventType: 3, jobId: 880001 }, { algo: 'sha256' });
    const unsigned = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect([first.status, again.status, unsigned.status]).toEqual([200, 200, 401]);
    expect(JSON.parse(again.body).status).toBe('duplicate');

    const delta = (e: Exposition, name: string, labels: Record<string, string> = {}) => sum(e, name, labels) - sum(before, name, labels);
    const after = await scrapeUntil('the start command finished', (e) => delta(e, 'kaltura_discord_commands_total', { command: 'kaltura start', outcome: 'ok' }) === 1);

    expect(delta(after, 'kaltura_discord_interaction_ack_seconds_count', { route: 'kaltura start' })).toBe(1);
    expect(delta(after, 'kaltura_discord_interaction_ack_seconds_bucket', { route: 'kaltura start', le: '+Inf' })).toBe(1);
    expect(delta(after, 'kaltura_discord_join_links_issued_total')).toBeGreaterThanOrEqual(1);
    expect(delta(after, 'kaltura_discord_join_links_redeemed_total')).toBe(1);
    expect(delta(after, 'kaltura_discord_join_links_refused_total', { reason: 'used' })).toBe(1);
    expect(delta(after, 'kaltura_discord_webhooks_received_total')).toBe(3);
    expect(delta(after, 'kaltura_discord_webhooks_duplicate_total')).toBe(1);
    expect(delta(after, 'kaltura_discord_webhooks_rejected_total', { reason: 'MISSING_SIGNATURE' })).toBe(1);
    expect(delta(after, 'kaltura_discord_discord_rate_limited_total', { method: 'POST', route: '/channels/:id/messages' })).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'kaltura_discord_gateway_state', { state: 'ready' })).toBe(1);
    expect(sum(after, 'kaltura_discord_gateway_state')).toBe(1);
    // Gauges read at scrape time exist (their values depend on how far delivery got).
    for (const g of ['outbox_pending', 'outbox_dead', 'outbox_oldest_pending_age_seconds', 'inbox_pending', 'inbox_dead']) {
      expect(after.samples.has(`kaltura_discord_${g}`), g).toBe(true);
    }
    // No id of a user, guild, channel or meeting is ever a label.
    const text = [...after.samples.keys()].join('\n');
    for (const id of [IDS.guild, IDS.channel, IDS.host]) expect(text).not.toContain(id);
  });

  it('metrics.enabled: false leaves /metrics unserved', async () => {
    h = await startHarness(tempDir(), { extraYaml: 'metrics:\n  enabled: false\n' });
    expect((await fetch(`${h.publicUrl}/metrics`)).status).toBe(404);
    expect((await fetch(`${h.publicUrl}/healthz`)).status).toBe(200);
  });
});
