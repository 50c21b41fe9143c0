import { PERMISSION } from '../../../src/core/meetings/actor';
import type { ChannelAccess } from '../../../src/core/ports/channel-access';

/**
 * The ChannelAccess port for core-level tests (the Discord adapter's own computation is proven
 * end to end against the fake Discord): every channel is open to everyone unless listed in
 * `privateChannels` (channel id -> the member ids who can view it); `gone` channels are unknown.
 */
export interface TestChannelAccess extends ChannelAccess {
  readonly privateChannels: Map<string, Set<string>>;
  readonly gone: Set<string>;
}

export function testChannelAccess(): TestChannelAccess {
  const privateChannels = new Map<string, Set<string>>();
  const gone = new Set<string>();
  return {
    privateChannels,
    gone,
    permissionsIn(_guildId, channelId, member) {
      if (gone.has(channelId)) return undefined;
      const allowed = privateChannels.get(channelId);
      return !allowed || allowed.has(member.id) ? PERMISSION.viewChannel : 0n;
    },
  };
}
