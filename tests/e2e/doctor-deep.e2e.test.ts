import { afterEach, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/index';
import { startFakeKaltura, type FakeKaltura, type FakeKalturaOptions } from '../fakes/kaltura/index';
import { GOOD } from '../helpers/config-fixtures';
import { useTempDirs } from '../helpers/temp-dir';
import { cli, writeConfig } from '../integration/webhooks-cli/helpers';

interface Check { id: string; status: 'ok' | 'warn' | 'fail'; detail: string; fix?: string }

/** Issue 9 §7 through the real CLI: `doctor --deep` names what the account lacks, and only runs when asked. */
describe('kaltura-discord doctor --deep', () => {
  const tempDir = useTempDirs();
  const open: Array<FakeDiscord | FakeKaltura> = [];
  afterEach(async () => {
    for (const f of open.splice(0)) await f.close();
  });

  async function doctor(args: string[], kalturaOpts: FakeKalturaOptions = {}) {
    const discord = await startFakeDiscord({ applicationId: GOOD.applicationId, token: GOOD.token });
    const kaltura = await startFakeKaltura({ adminSecret: GOOD.adminSecret, ...kalturaOpts });
    open.push(discord, kaltura);
    const r = await cli(['doctor', '--json', '--timeout', '5', ...args], writeConfig(tempDir(), { kaltura, discordApiBaseUrl: discord.apiBaseUrl }));
    const checks = (JSON.parse(r.stdout) as { checks: Check[] }).checks;
    return { r, kaltura, deep: checks.filter((c) => c.id.startsWith('kaltura.deep')) };
  }

  it('names the missing permission, fails, and leaves the account as it was', async () => {
    const { r, kaltura, deep } = await doctor(['--deep'], { missingPermissions: ['CONTENT_MANAGE_EDIT_CATEGORIES'] });
    expect(r.code).not.toBe(0);
    const category = deep.find((c) => c.id === 'kaltura.deep.category')!;
    expect(category).toMatchObject({ status: 'fail', detail: expect.stringContaining('category.add is refused: SERVICE_FORBIDDEN') });
    expect(category.fix).toContain('CONTENT_MANAGE_EDIT_CATEGORIES');
    expect(deep.find((c) => c.id === 'kaltura.deep.rooms')!.status).toBe('ok');
    expect(deep.find((c) => c.id === 'kaltura.deep.cleanup')!.status).toBe('ok');
    expect([...kaltura.store.resources.values()].filter((x) => x.status !== 3)).toEqual([]);
    expect([...kaltura.store.entries.values()].filter((x) => x.status !== 3)).toEqual([]);
    expect(r.stderr).toContain('probing the Kaltura account');
  });

  it('is green on a full account', async () => {
    const { deep } = await doctor(['--deep']);
    expect(deep.map((c) => [c.id, c.status])).toEqual([
      ['kaltura.deep.category', 'ok'],
      ['kaltura.deep.template-entry', 'ok'],
      ['kaltura.deep.rooms', 'ok'],
      ['kaltura.deep.kaf-launch', 'ok'],
      ['kaltura.deep.notification-templates', 'ok'],
      ['kaltura.deep.cleanup', 'ok'],
    ]);
  });

  it('writes nothing without --deep', async () => {
    const { kaltura, deep } = await doctor([]);
    expect(deep).toEqual([]);
    expect(kaltura.requests.filter((q) => ['add', 'clone', 'update', 'updatestatus', 'delete', 'cancel'].includes(q.action.toLowerCase()))).toEqual([]);
  });
});
