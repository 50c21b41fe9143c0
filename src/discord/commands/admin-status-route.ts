import type { APIEmbed } from 'discord-api-types/v10';
import type { ServerStatus, StatusRequest } from '../../core/status/server-status';
import { missingPermissions, requiredPermissions } from '../bot-channel-access';
import { guildOnly, type InteractionRoute } from '../interactions/interaction-route';
import { clip } from '../interactions/reply';
import { manageServer } from './admin-settings-routes';
import { adminCommand } from './admin-command';

const MARK = { ok: '✅', warn: '⚠️', fail: '❌' } as const;

/**
 * The status as one embed: a field per check, its fix under it when not ok. Discord's limits
 * (25 fields, 256-character names, 1024-character values, 6000 in all) are kept by clipping.
 * @see https://discord.com/developers/docs/resources/message#embed-object-embed-limits
 */
export function statusEmbed(status: ServerStatus): APIEmbed {
  const problems = status.checks.filter((c) => c.status !== 'ok').length;
  const fields = status.checks.slice(0, 25).map((c) => ({
    name: clip(`${MARK[c.status]} ${c.title}`, 256),
    value: clip(`${c.detail}${c.fix && c.status !== 'ok' ? `\n**Fix:** ${c.fix}` : ''}`, 1024),
  }));
  let total = 0;
  const kept = fields.filter((f) => (total += f.name.length + f.value.length) <= 5600);
  return {
    title: problems === 0 ? 'Kaltura bot: all good' : `Kaltura bot: ${problems} problem${problems === 1 ? '' : 's'} to fix`,
    color: problems === 0 ? 0x2ecc71 : status.checks.some((c) => c.status === 'fail') ? 0xe74c3c : 0xf1c40f,
    fields: kept,
    footer: { text: `kaltura-discord ${status.version}` },
  };
}

/**
 * `/kaltura-admin status`: an ephemeral health view for this server's admins. It asks Kaltura and
 * Discord, so it defers first; the bot's permissions where it is run come with the interaction.
 */
export function adminStatusRoute(status: (request: StatusRequest) => Promise<ServerStatus>): InteractionRoute {
  return {
    name: 'kaltura-admin status',
    matches: (r) => r.kind !== 'component' && r.commandName === adminCommand.name && r.subcommand === 'status',
    preconditions: [guildOnly, manageServer],
    defer: { ephemeral: true },
    async run({ request }) {
      const missing = request.appPermissions === undefined ? [] : missingPermissions(request.appPermissions, requiredPermissions(request.inThread === true));
      const result = await status({ guildId: request.guildId!, here: { channelId: request.channelId!, missing } });
      return { ephemeral: true, embeds: [statusEmbed(result)] };
    },
  };
}

