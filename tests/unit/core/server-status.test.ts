import { describe, expect, it } from 'vitest';
import { createServerStatus, type ServerStatusDeps } from '../../../src/core/status/server-status';
import { notificationPolicyFromConfig } from '../../../src/core/notifications/notification-policy';
import { captureLogger } from '../../helpers/capture-logger';

const G = '1200000000000000001';
const HERE = '1300000000000000001';
const ROUTED = '1300000000000000002';
const GONE = '1300000000000000003';

function deps(overrides: Partial<ServerStatusDeps> = {}): ServerStatusDeps {
  const template = '{title}';
  return {
    version: '9.9.9',
    kaltura: async () => [{ id: 'kaltura.service-url', title: 'Kaltura API reachable', status: 'ok', detail: 'answers' }],
    channels: { problemIn: async (id) => (id === GONE ? { kind: 'unknown-channel', detail: 'does not exist (Unknown Channel)' } : undefined) },
    notificationPolicyFor: notificationPolicyFromConfig({
      recordingReady: { enabled: true, channelId: ROUTED, template },
      sessionStarted: { enabled: true, channelId: GONE, template },
      sessionEnded: { enabled: false, channelId: GONE, template },
      memberJoined: { enabled: false, template },
    }),
    liveMeetingChannels: async () => [HERE],
    notificationStats: async () => ({ outbox: { pending: 0, dead: 2 }, inbox: { pending: 0, dead: 0 } }),
    lastRecording: async () => ({ channelId: '1300000000000000001', endedAt: 1_700_000_000_000 }),
    logger: captureLogger().logger,
    now: () => 1_700_000_100_000,
    ...overrides,
  };
}

describe('server status (the /kaltura-admin status use case)', () => {
  it('checks the channels this server uses (enabled notifications, live meetings, here once) and gives each problem its fix', async () => {
    const checked: string[] = [];
    const status = await createServerStatus(deps({ channels: { problemIn: async (id) => (checked.push(id), id === GONE ? { kind: 'unknown-channel', detail: 'does not exist (Unknown Channel)' } : undefined) } }))({ guildId: G, here: { channelId: HERE, missing: [] } });
    expect(checked.sort()).toEqual([ROUTED, GONE].sort()); // "here" comes from the interaction; a disabled kind is not checked
    const channels = status.checks.find((c) => c.id === 'discord.channels')!;
    expect(channels.status).toBe('fail');
    expect(channels.detail).toContain(`<#${GONE}> (sessionStarted notifications): does not exist`);
    expect(channels.fix).toContain('/kaltura-admin settings set-channel');
    expect(status.checks.find((c) => c.id === 'notifications')).toMatchObject({ status: 'fail' });
    expect(status.checks.find((c) => c.id === 'recordings.last')!.detail).toBe('a meeting in <#1300000000000000001> (meeting ended <t:1700000000:R>)');
    expect(status.checks.at(-1)).toMatchObject({ id: 'version', detail: '9.9.9' });
  });

  it('a probe that throws becomes a failed line with a fix; the others still answer', async () => {
    const status = await createServerStatus(deps({ kaltura: async () => { throw new Error('socket hang up'); }, channels: { problemIn: async () => { throw new Error('Discord down'); } } }))({ guildId: G, here: { channelId: HERE, missing: ['Embed Links'] } });
    expect(status.checks.find((c) => c.id === 'kaltura')).toMatchObject({ status: 'fail', detail: 'could not be checked (see the bot log)' });
    const channels = status.checks.find((c) => c.id === 'discord.channels')!;
    expect(channels.detail).toContain(`<#${HERE}> (here): missing Embed Links`);
    expect(channels.detail).toContain(`<#${ROUTED}> (recordingReady notifications): could not be checked`);
    expect(channels.status).toBe('fail');
    expect(status.checks.some((c) => c.id === 'version')).toBe(true);
  });

  it('a database that does not answer (PostgreSQL restarting) fails the notification and recording lines, not the command', async () => {
    const down = async () => {
      throw new Error('connection terminated');
    };
    const status = await createServerStatus(deps({ notificationStats: down, lastRecording: down }))({ guildId: G, here: { channelId: HERE, missing: [] } });
    expect(status.checks.find((c) => c.id === 'notifications')).toMatchObject({ status: 'fail', detail: 'could not be checked (see the bot log)' });
    expect(status.checks.find((c) => c.id === 'recordings.last')).toMatchObject({ status: 'fail', detail: 'could not be checked (see the bot log)' });
    expect(status.checks.find((c) => c.id === 'kaltura.service-url')).toMatchObject({ status: 'ok' });
    expect(status.checks.at(-1)).toMatchObject({ id: 'version', detail: '9.9.9' });
  });
});
