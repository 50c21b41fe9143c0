import { guildOnly, type InteractionRoute } from '../interactions/interaction-route';
import { clip } from '../interactions/reply';
import { customId } from '../render/custom-ids';
import { KIND_LABEL, discordTime, markdownSafe } from '../render/meeting-labels';

/** `/kaltura list`: this server's live sessions, each with a Join button (read from SQLite only). */
export const listRoute: InteractionRoute = {
  name: 'kaltura list',
  matches: (r) => r.kind === 'command' && r.commandName === 'kaltura' && r.subcommand === 'list',
  preconditions: [guildOnly],
  defer: false,
  async run({ request, services }) {
    const live = await services.meetings.listLive(request.actor, request.guildId!); // only those whose channel they can view
    if (live.length === 0) {
      return { ephemeral: true, content: 'No session is live in this server right now. Start one with `/kaltura start`.' };
    }
    const shown = live.slice(0, 5); // five buttons' worth: one row per meeting
    const lines = shown.map(
      (m) => `• **${markdownSafe(clip(m.title, 100))}**: ${KIND_LABEL[m.kind]}, host <@${m.hostId}>, in <#${m.channelId}>, ends ${discordTime(m.endsAt ?? 0, 't')}`,
    );
    const more = live.length > shown.length ? `\n…and ${live.length - shown.length} more: use \`/kaltura join\` and type a title.` : '';
    return {
      ephemeral: true,
      content: `${live.length === 1 ? 'One session is' : `${live.length} sessions are`} live:\n${lines.join('\n')}${more}`,
      components: shown.map((m) => ({
        type: 1 as const,
        components: [{ type: 2 as const, style: 1 as const, label: clip(`Join: ${m.title}`, 80), custom_id: customId.join(m.id) }],
      })),
    };
  },
};
