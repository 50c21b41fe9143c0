import { PERMISSION } from '../../../src/core/meetings/actor';
import type { ChannelAccess } from '../../../src/core/ports/channel-access';

/**
 * The ChannelAccess port for core-level tests (the Discord adapter's own computation is proven
 * end to end against the fake Discord): every channel is open to everyone unless listed in
 * `privateChannels` (channel id -> the member ids who can view it); `gone` channels are unknown.
 * `extra`: member id -> permissions they hold (as well as View Channel) wherever they can view.
 */
export interface TestChannelAccess extends ChannelAccess {
  readonly privateChannels: Map<string, Set<string>>;
  readonly gone: Set<string>;
  readonly extra: Map<string, bigint>;
}

export function testChannelAccess(): TestChannelAccess {
  const privateChannels = new Map<string, Set<string>>();
  const gone = new Set<string>();
  const extra = new Map<string, bigint>();
  return {
    privateChannels,
    gone,
    extra,
    permissionsIn(_guildId, channelId, member) {
      if (gone.has(channelId)) return undefined;
      const allowed = privateChannels.get(channelId);
      return !allowed || allowed.has(member.id) ? PERMISSION.viewChannel | (extra.get(member.id) ?? 0n) : 0n;
    },
  };
}
