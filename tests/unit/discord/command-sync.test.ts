import { describe, expect, it } from 'vitest';
import type { APIApplicationCommand } from 'discord-api-types/v10';
import { kalturaCommand } from '../../../src/discord/commands/kaltura-command';
import { planCommandSync } from '../../../src/discord/command-sync';

/** What Discord echoes for a registered command: ids, version, and its defaults filled in. */
function asRegistered(cmd: Record<string, unknown>, extra: Record<string, unknown> = {}): APIApplicationCommand {
  const fill = (o: Record<string, unknown>): Record<string, unknown> => ({
    ...o,
    ...(o.type === 1 || o.type === 2 ? {} : { required: o.required ?? false }),
    ...(Array.isArray(o.options) ? { options: o.options.map((x) => fill(x as Record<string, unknown>)) } : {}),
  });
  return { id: '1800000000000000001', application_id: '1100000000000000001', version: '1800000000000000002', default_member_permissions: null, nsfw: false, ...fill(cmd), ...extra } as unknown as APIApplicationCommand;
}

describe('planning command registration', () => {
  it('adds what Discord does not have', () => {
    const plan = planCommandSync([kalturaCommand], []);
    expect(plan).toMatchObject({ added: ['kaltura'], changed: [], removed: [], needsWrite: true });
  });

  it('writes nothing when Discord already has the same commands (with its defaults filled in)', () => {
    const plan = planCommandSync([kalturaCommand], [asRegistered(kalturaCommand)]);
    expect(plan).toMatchObject({ added: [], changed: [], removed: [], unchanged: ['kaltura'], needsWrite: false });
  });

  it('names each difference by path', () => {
    const old = JSON.parse(JSON.stringify(kalturaCommand));
    old.options[0].options[0].max_length = 80;
    old.options = old.options.filter((o: { name: string }) => o.name !== 'end');
    const plan = planCommandSync([kalturaCommand], [asRegistered(old)]);
    expect(plan.changed).toEqual([{ name: 'kaltura', differences: ['options[start].options[title].max_length: 80 → 100', 'options[end]: added'] }]);
  });

  it('removes commands no longer defined but keeps an Activity entry point in the bulk body', () => {
    const entry = asRegistered({ name: 'launch', description: 'Launch', type: 4, handler: 2, contexts: [0, 1, 2], integration_types: [0, 1] });
    const stale = asRegistered({ name: 'meet', description: 'old', type: 1 }, { id: '1800000000000000009' });
    const plan = planCommandSync([kalturaCommand], [asRegistered(kalturaCommand), entry, stale]);
    expect(plan).toMatchObject({ removed: ['meet'], kept: ['launch'], needsWrite: true });
    expect(plan.body.map((c) => c.name)).toEqual(['kaltura', 'launch']);
    expect(plan.body[1]).toMatchObject({ type: 4, handler: 2 });
    expect(plan.body[1]).not.toHaveProperty('id');
  });
});
