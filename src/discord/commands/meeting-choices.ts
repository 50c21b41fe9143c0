import type { MeetingService } from '../../core/meetings/meeting-service';
import type { InteractionRequest } from '../interactions/interaction-request';
import { clip, type AutocompleteChoice } from '../interactions/reply';
import { KIND_LABEL } from '../render/meeting-labels';

/** Autocomplete for a `meeting` option: this server's live sessions matching what was typed. */
export async function meetingChoices(meetings: MeetingService, request: InteractionRequest): Promise<AutocompleteChoice[]> {
  if (!request.guildId) return [];
  return (await meetings.suggestLive(request.actor, request.guildId, request.focused?.value ?? ''))
    .map((m) => ({ name: clip(`${m.title} (${KIND_LABEL[m.kind]}, host ${m.hostName})`, 100), value: m.id }));
}
