import { PERMISSION } from '../../../src/core/meetings/actor';
import type { ChannelAccess } from '../../../src/core/ports/channel-access';

/**
 * The ChannelAccess port for core-level tests (the Discord adapter's own computation is proven
 * end to end against the fake Discord): every channel is open to everyone unless listed in
 * `privateChannels` (channel id -> the member ids who can view it); `gone` channels are unknown.
 * `extra`: member id -> permissions they hold (as well as View Channel) wherever they can view.
 * `load` makes a `gone` channel listed in `loadable` known again (an archived thread fetched back).
 */
export interface TestChannelAccess extends ChannelAccess {
  readonly privateChannels: Map<string, Set<string>>;
  readonly gone: Set<string>;
  readonly extra: Map<string, bigint>;
  readonly loadable: Set<string>;
  readonly loads: string[];
}

export function testChannelAccess(): TestChannelAccess {
  const privateChannels = new Map<string, Set<string>>();
  const gone = new Set<string>();
  const extra = new Map<string, bigint>();
  const loadable = new Set<string>();
  const loads: string[] = [];
  return {
    privateChannels,
    gone,
    extra,
    loadable,
    loads,
    async load(_guildId, channelId) {
      loads.push(channelId);
      if (loadable.has(channelId)) gone.delete(channelId);
    },
    permissionsIn(_guildId, channelId, member) {
      if (gone.has(channelId)) return undefined;
      const allowed = privateChannels.get(channelId);
      return !allowed || allowed.has(member.id) ? PERMISSION.viewChannel | (extra.get(member.id) ?? 0n) : 0n;
    },
  };
}
