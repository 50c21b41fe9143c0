import { DiscordAPIError, MessageFlags, type InteractionEditReplyOptions, type InteractionReplyOptions } from 'discord.js';
import { UserError } from '../../core/user-error';
import type { InteractionResponder, Reply } from '../interactions/reply';
import type { SupportedInteraction } from './to-interaction-request';

function toOptions(reply: Reply): InteractionEditReplyOptions & InteractionReplyOptions {
  return {
    ...(reply.content !== undefined ? { content: reply.content } : {}),
    embeds: [...(reply.embeds ?? [])],
    components: [...(reply.components ?? [])],
    allowedMentions: { parse: [] }, // replies echo member-written titles: never ping anyone
  };
}

const INVALID_FORM_BODY = 50035;
const ACTIVITY_REFUSED =
  'Discord would not open the Activity for this bot: its operator has to enable Activities for the application in the Discord developer portal (see docs/activity.md).';

/** Answers through discord.js (interaction callback and webhook edits over REST). */
export function gatewayResponder(interaction: SupportedInteraction): InteractionResponder {
  return {
    async defer({ ephemeral }) {
      if (interaction.isAutocomplete()) return;
      await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
    },
    async reply(reply) {
      if (interaction.isAutocomplete()) return;
      if (reply.launchActivity) {
        // Callback type 12; discord.js refuses (InteractionAlreadyReplied) after a defer, as Discord would.
        await interaction.launchActivity().catch((err: unknown) => {
          // Discord refuses type 12 (50035 on `type`) for an app without Activities enabled in the portal.
          if (err instanceof DiscordAPIError && err.code === INVALID_FORM_BODY) throw new UserError('activity.launch-refused', ACTIVITY_REFUSED, { cause: err });
          throw err;
        });
        return;
      }
      if (interaction.deferred || interaction.replied) {
        await interaction.editReply(toOptions(reply));
        return;
      }
      await interaction.reply({ ...toOptions(reply), flags: reply.ephemeral !== false ? MessageFlags.Ephemeral : undefined });
    },
    async autocomplete(choices) {
      if (interaction.isAutocomplete()) await interaction.respond(choices.map((c) => ({ name: c.name, value: c.value })));
    },
  };
}
