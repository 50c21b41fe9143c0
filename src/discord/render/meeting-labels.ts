import type { MeetingKind } from '../../core/ports/meeting-provider';

export const KIND_LABEL: Record<MeetingKind, string> = {
  meeting: 'Meeting',
  webinar: 'Webinar',
  classroom: 'Virtual classroom',
};

/** `<t:…:f>` renders in each member's own time zone and language. */
export const discordTime = (ms: number, style: 'f' | 't' | 'R' | 'F' = 'f') => `<t:${Math.floor(ms / 1000)}:${style}>`;

export function formatMinutes(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** A member-written title inside our own bold markdown: formatting characters would break it. */
export const markdownSafe = (text: string) => text.replace(/[*_`~|\\]/g, '');
