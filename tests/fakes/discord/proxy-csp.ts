/**
 * The Content-Security-Policy the fake proxy puts on every answer, modelling Discord's sandbox:
 * only the Activity's own origin (everything URL-mapped) plus Discord's documented exceptions
 * (`https://discord.com/api/` and the canary/ptb hosts; `cdn.discordapp.com` and
 * `media.discordapp.net` under /attachments/, /avatars/, /icons/). Anything else — an absolute URL
 * to a Kaltura host, a redirect to one — fails with `blocked:csp` in Chromium as it does in Discord.
 * Discord does not publish its exact header; where unknown this takes the stricter reading: no
 * inline scripts or styles, no eval, media only from the origin or blob:.
 * @see https://discord.com/developers/docs/activities/development-guides/local-development#exceptions
 * @see https://discord.com/developers/docs/activities/development-guides/networking#using-external-resources
 * @see /work/shared/reference/discord-api.md §7.2
 */

const DISCORD_API = ['https://discord.com/api/', 'https://canary.discord.com/api/', 'https://ptb.discord.com/api/'];
const DISCORD_CDN = ['cdn.discordapp.com', 'media.discordapp.net'].flatMap((host) => ['attachments', 'avatars', 'icons'].map((dir) => `https://${host}/${dir}/`));

/** `host` is the proxy's own `host:port` (the Activity's `<app_id>.discordsays.com`). */
export function activityCsp(host: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' data: blob: ${DISCORD_CDN.join(' ')}`,
    "media-src 'self' blob:",
    `connect-src 'self' ws://${host} wss://${host} ${DISCORD_API.join(' ')}`,
    "font-src 'self' data:",
    "frame-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
  ].join('; ');
}
