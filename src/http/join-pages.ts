/**
 * The small pages a browser sees when a join link does not lead straight into the meeting.
 * Static text with inline CSS and no scripts; the only dynamic values (a duration, a
 * reference id) are escaped anyway. Nothing from the token is ever echoed.
 */
import type { JoinFailure } from '../core/meetings/meeting-service';

export type JoinPageKind = JoinFailure | 'unavailable' | 'preview';

export interface JoinPage {
  readonly title: string;
  readonly lines: readonly string[];
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** `5 minutes`, `90 seconds`, `1 hour`. */
export function describeDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s % 3600 === 0) return s === 3600 ? '1 hour' : `${s / 3600} hours`;
  if (s % 60 === 0) return s === 60 ? '1 minute' : `${s / 60} minutes`;
  return `${s} seconds`;
}

const AGAIN = 'Go back to Discord and click Join on the meeting card again to get a new link.';

export function joinPage(kind: JoinPageKind, context: { linkTtlMs: number; reference?: string }): JoinPage {
  switch (kind) {
    case 'expired':
      return { title: 'This join link has expired', lines: [`Join links work for ${describeDuration(context.linkTtlMs)} after you click Join.`, AGAIN] };
    case 'used':
      return { title: 'This join link was already used', lines: ['Each join link works once, for the person it was made for.', AGAIN] };
    case 'ended':
      return { title: 'This meeting has ended', lines: ['It can no longer be joined. If it is starting again, a new meeting card will appear in Discord.'] };
    case 'unknown-meeting':
      return { title: 'This meeting does not exist', lines: ['The link points to a meeting this bot does not know. Check the meeting card in Discord and click Join there.'] };
    case 'malformed':
      return { title: 'This join link is incomplete', lines: ['Part of the link is missing or damaged. Copy the whole link, or go back to Discord and click Join again.'] };
    case 'bad-signature':
      return { title: 'This join link is not valid', lines: ['It was not made by this bot, or it was changed. Copy the whole link, or go back to Discord and click Join again.'] };
    case 'unavailable':
      return {
        title: 'Could not reach Kaltura',
        lines: [
          'The video service did not answer, so you could not be let in.',
          `Wait a minute, then ${AGAIN.charAt(0).toLowerCase()}${AGAIN.slice(1)}`,
          ...(context.reference ? [`If it keeps happening, give the server's admins this reference: ${context.reference}`] : []),
        ],
      };
    case 'preview':
      return {
        title: 'Personal meeting link',
        lines: ['This link lets one person join a Kaltura meeting started from Discord. It works once and only for a few minutes.', 'Open it in your browser to join.'],
      };
  }
}

export function renderJoinPage(page: JoinPage): string {
  const paragraphs = page.lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n    ');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex, nofollow">
  <title>${escapeHtml(page.title)}</title>
  <style>
    body { margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center; background: #f2f3f5; color: #1e1f22; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
    main { max-width: 32rem; margin: 1rem; padding: 2rem; background: #fff; border-radius: 12px; box-shadow: 0 2px 12px rgba(0, 0, 0, .08); }
    h1 { margin: 0 0 1rem; font-size: 1.35rem; }
    p { margin: .5rem 0; }
    @media (prefers-color-scheme: dark) { body { background: #1e1f22; color: #f2f3f5; } main { background: #2b2d31; } }
  </style>
</head>
<body>
  <main>
    <h1>${escapeHtml(page.title)}</h1>
    ${paragraphs}
  </main>
</body>
</html>
`;
}
