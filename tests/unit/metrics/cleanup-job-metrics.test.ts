import { describe, expect, it } from 'vitest';
import { createAppMetrics } from '../../../src/metrics/create-app-metrics';

const value = (body: string, series: string): number | undefined => {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
};

describe('Kaltura cleanup job gauges', () => {
  it('read the queue at scrape time', async () => {
    let counts = { pending: 5, failing: 2 };
    const m = createAppMetrics({ version: 'x', processMetrics: false, sources: { cleanupJobs: () => counts } });
    let body = (await m.render()).body;
    expect(body).toContain('# TYPE kaltura_discord_kaltura_cleanup_jobs_pending gauge');
    expect(value(body, 'kaltura_discord_kaltura_cleanup_jobs_pending')).toBe(5);
    expect(value(body, 'kaltura_discord_kaltura_cleanup_jobs_failing')).toBe(2);
    counts = { pending: 0, failing: 0 };
    body = (await m.render()).body;
    expect(value(body, 'kaltura_discord_kaltura_cleanup_jobs_pending')).toBe(0);
    expect(value(body, 'kaltura_discord_kaltura_cleanup_jobs_failing')).toBe(0);
  });
});
