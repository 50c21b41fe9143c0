/**
 * The personal player page behind `/v/<token>`: one HTML5 `<video>` on the resolved source, no
 * script at all. Its CSP allows media and images only from the origins this very page uses, so
 * nothing else can load even if a title held markup (it is escaped anyway). Refusals reuse the
 * join pages' look.
 */
import { escapeHtml, renderJoinPage, describeDuration, type JoinPage } from './join-pages';

export interface WatchPageInput {
  readonly title: string;
  readonly description?: string;
  readonly sources: readonly { readonly url: string; readonly mimeType: string }[];
  readonly posterUrl?: string;
}

export type WatchRefusal = 'invalid' | 'expired' | 'used' | 'gone' | 'unavailable' | 'preview';

const AGAIN = 'Go back to Discord and click Watch on the video card again to get a new link.';

export function watchRefusalPage(kind: WatchRefusal, context: { linkTtlMs: number; reference?: string }): JoinPage {
  switch (kind) {
    case 'invalid':
      return { title: 'This video link is not valid', lines: ['Part of it is missing or was changed. Copy the whole link, or go back to Discord and click Watch again.'] };
    case 'expired':
      return { title: 'This video link has expired', lines: [`Video links work for ${describeDuration(context.linkTtlMs)} after you click Watch.`, AGAIN] };
    case 'used':
      return { title: 'This video link was already used', lines: ['Each video link works once, for the person it was made for.', AGAIN] };
    case 'gone':
      return { title: 'This video is no longer available', lines: ['It was removed from the server’s library, or you can no longer see it.'] };
    case 'unavailable':
      return {
        title: 'Could not reach Kaltura',
        lines: [
          'The video service did not answer, so the video could not be opened.',
          `Wait a minute, then ${AGAIN.charAt(0).toLowerCase()}${AGAIN.slice(1)}`,
          ...(context.reference ? [`If it keeps happening, give the server's admins this reference: ${context.reference}`] : []),
        ],
      };
    case 'preview':
      return { title: 'Personal video link', lines: ['This link plays one video for one person. It works once and only for a while.', 'Open it in your browser to watch.'] };
  }
}

export const renderWatchRefusal = renderJoinPage;

/** `scheme://host[:port]` of each URL, once each, for the CSP; unparsable ones are left out. */
function originsOf(urls: readonly string[]): string[] {
  const origins = new Set<string>();
  for (const u of urls) {
    try {
      const { protocol, origin } = new URL(u);
      if (protocol === 'https:' || protocol === 'http:') origins.add(origin);
    } catch {
      // not a URL: no source, no origin
    }
  }
  return [...origins];
}

/** The page's own CSP: media and images from exactly the source and poster origins. */
export function watchPageCsp(input: WatchPageInput): string {
  const media = originsOf(input.sources.map((s) => s.url));
  const images = originsOf(input.posterUrl ? [input.posterUrl] : []);
  return [
    "default-src 'none'",
    `media-src ${media.length ? media.join(' ') : "'none'"}`,
    `img-src ${images.length ? images.join(' ') : "'none'"}`,
    "style-src 'unsafe-inline'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function renderWatchPage(input: WatchPageInput): string {
  const sources = input.sources.map((s) => `<source src="${escapeHtml(s.url)}" type="${escapeHtml(s.mimeType)}">`).join('\n      ');
  const poster = input.posterUrl ? ` poster="${escapeHtml(input.posterUrl)}"` : '';
  const description = input.description ? `\n    <p>${escapeHtml(input.description)}</p>` : '';
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex, nofollow">
  <meta name="referrer" content="no-referrer">
  <title>${escapeHtml(input.title)}</title>
  <style>
    body { margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center; background: #111214; color: #f2f3f5; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
    main { width: min(100%, 72rem); margin: 1rem; }
    video { display: block; width: 100%; max-height: 80vh; background: #000; border-radius: 8px; }
    h1 { margin: 1rem 0 .25rem; font-size: 1.25rem; overflow-wrap: anywhere; }
    p { margin: .25rem 0; color: #b5bac1; white-space: pre-line; overflow-wrap: anywhere; }
  </style>
</head>
<body>
  <main>
    <video controls playsinline preload="metadata"${poster}>
      ${sources}
      Your browser cannot play this video.
    </video>
    <h1>${escapeHtml(input.title)}</h1>${description}
  </main>
</body>
</html>
`;
}
