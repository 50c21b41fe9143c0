import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeKaltura, type FakeKaltura } from '../../fakes/kaltura/index';
import { GOOD } from '../../helpers/config-fixtures';
import { useTempDirs } from '../../helpers/temp-dir';
import { cli, ourTemplates, templateCalls, writeConfig } from './helpers';

/** Issue 9 §6: the system template list is paged; setup must not assume one page holds it. */
describe('kaltura-discord webhooks setup on a server with many system templates', () => {
  const tempDir = useTempDirs();
  let fake: FakeKaltura;
  beforeEach(async () => {
    // 1200 other system templates come first: HTTP_ENTRY_STATUS_EQUALS is on page 3 of 500 (page 41 of 30)
    fake = await startFakeKaltura({ adminSecret: GOOD.adminSecret, extraSystemTemplates: 1200 });
  });
  afterEach(() => fake.close());

  it('finds HTTP_ENTRY_STATUS_EQUALS by systemNameEqual and clones it', async () => {
    const r = await cli(['webhooks', 'setup'], writeConfig(tempDir(), { kaltura: fake }));
    expect(r.code).toBe(0);
    const [t] = ourTemplates(fake);
    expect(t).toMatchObject({ systemName: 'kaltura_discord_recording_ready', status: 2, eventType: '3', eventObjectType: '1' });
    const byName = templateCalls(fake).find((c) => c.action === 'listTemplates' && c.params.filter?.systemNameEqual === 'HTTP_ENTRY_STATUS_EQUALS');
    expect(byName).toBeDefined();
    const clone = templateCalls(fake).find((c) => c.action === 'clone')!;
    expect(clone.params.id).toBe(101 + 1200);
    expect(r.stdout).toMatch(/created +kaltura_discord_recording_ready .*cloned from HTTP_ENTRY_STATUS_EQUALS/);
  });

  it('the fake pages as the server does: 30 by default, 500 at most', async () => {
    const list = async (pager?: Record<string, number>) => {
      const res = await fetch(`${fake.url}/api_v3/service/eventnotification_eventnotificationtemplate/action/listTemplates`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ks: fake.mintKs(), format: 1, ...(pager && { pager: { objectType: 'KalturaFilterPager', ...pager } }) }),
      });
      return (await res.json()) as { objects: unknown[]; totalCount: number };
    };
    expect((await list()).objects).toHaveLength(30);
    const big = await list({ pageSize: 1000, pageIndex: 1 });
    expect(big.objects).toHaveLength(500);
    expect(big.totalCount).toBe(1200 + 4);
  });
});

describe('kaltura-discord webhooks setup with a secondary admin secret', () => {
  const tempDir = useTempDirs();
  let fake: FakeKaltura;
  afterEach(() => fake.close());

  it('sets the templates up, and warns that every notification would be refused', async () => {
    // the configured secret (GOOD.adminSecret) is an additional one; the primary is another
    fake = await startFakeKaltura({ adminSecret: 'primary0123456789primary01234567', additionalAdminSecrets: [GOOD.adminSecret] });
    const r = await cli(['webhooks', 'setup'], writeConfig(tempDir(), { kaltura: fake }));
    expect(r.code).toBe(0);
    expect(ourTemplates(fake)).toHaveLength(1);
    expect(r.stderr).toMatch(/not partner \d+'s primary admin secret.*primary Administrator Secret/s);
    expect(r.stderr).not.toContain('primary0123456789primary01234567');
  });
});
