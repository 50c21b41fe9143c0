import type { MeetingKind } from '../ports/meeting-provider';
import type { GuildPolicy } from './guild-policy';
import { invalidInput } from './meeting-errors';
import type { StartMeetingInput } from './meeting-service';

export interface StartFields {
  readonly kind: MeetingKind;
  readonly title: string;
  readonly description?: string;
  readonly durationMinutes: number;
  readonly record: boolean;
}

const KINDS: readonly MeetingKind[] = ['meeting', 'webinar', 'classroom'];
export const MAX_TITLE_LENGTH = 100;
export const MAX_DESCRIPTION_LENGTH = 1000;
export const MAX_DURATION_MINUTES = 1440;

/** Lengths count code points, as Discord's option limits do (an emoji is one character). */
const length = (s: string): number => [...s].length;

/** The server's defaults filled in, text trimmed, limits checked (UserError `meeting.invalid`). */
export function validateStartInput(input: StartMeetingInput, policy: GuildPolicy): StartFields {
  const kind = input.kind ?? policy.defaultKind;
  if (!KINDS.includes(kind)) throw invalidInput('The meeting type must be meeting, webinar or classroom.');
  const title = input.title.trim();
  if (length(title) < 1 || length(title) > MAX_TITLE_LENGTH) throw invalidInput(`The title must be 1 to ${MAX_TITLE_LENGTH} characters long.`);
  const description = input.description?.trim();
  if (description !== undefined && length(description) > MAX_DESCRIPTION_LENGTH) {
    throw invalidInput(`The description can be at most ${MAX_DESCRIPTION_LENGTH} characters long.`);
  }
  const durationMinutes = input.durationMinutes ?? policy.defaultDurationMinutes;
  if (!Number.isInteger(durationMinutes) || durationMinutes < 1 || durationMinutes > MAX_DURATION_MINUTES) {
    throw invalidInput(`The duration must be a whole number of minutes from 1 to ${MAX_DURATION_MINUTES} (24 hours).`);
  }
  return {
    kind,
    title,
    ...(description ? { description } : {}),
    durationMinutes,
    record: input.record ?? policy.defaultRecord,
  };
}
