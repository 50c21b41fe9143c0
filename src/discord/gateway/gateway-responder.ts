import { MessageFlags, type InteractionEditReplyOptions, type InteractionReplyOptions } from 'discord.js';
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
        await interaction.launchActivity();
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
