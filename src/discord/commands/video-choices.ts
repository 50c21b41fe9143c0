import type { InteractionRequest } from '../interactions/interaction-request';
import type { HandlerServices } from '../interactions/interaction-route';
import { clip, type AutocompleteChoice } from '../interactions/reply';
import { isEntryId } from '../render/custom-ids';

/**
 * Autocomplete has no defer: Discord drops an answer sent after 3 seconds. The library asks
 * Kaltura, so suggestions that are not ready in time are given up (nothing is shown rather than
 * an error the member cannot see anyway).
 */
export const AUTOCOMPLETE_BUDGET_MS = 2_000;

/** Suggestions for the `entry` option: this server's videos the member may see, matching what was typed. */
export async function videoChoices(services: HandlerServices, request: InteractionRequest, budgetMs = AUTOCOMPLETE_BUDGET_MS): Promise<AutocompleteChoice[]> {
  const media = services.media;
  if (!media || !request.guildId) return [];
  const typed = (request.focused?.value ?? '').trim().slice(0, 100);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(resolve, budgetMs, undefined);
  });
  try {
    const choices = await Promise.race([media.autocomplete(request.actor, request.guildId, typed).catch(() => undefined), late]);
    return (choices ?? [])
      .filter((c) => isEntryId(c.value))
      .slice(0, 25)
      // Choice names are plain text (no markdown), 1..100 characters.
      .map((c) => ({ name: clip(c.name.replace(/\s+/g, ' ').trim() || c.value, 100), value: c.value }));
  } finally {
    clearTimeout(timer);
  }
}
