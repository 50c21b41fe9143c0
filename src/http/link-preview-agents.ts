/**
 * User agents of link-preview fetchers (chat apps unfurling a pasted URL, search crawlers).
 * They must not use up a join link: a member pasting theirs in a channel would otherwise
 * find it "already used". Matched case-insensitively as substrings.
 */
const PREVIEW_AGENTS = [
  'Discordbot',
  'Slackbot',
  'Slack-ImgProxy',
  'facebookexternalhit',
  'Facebot',
  'Twitterbot',
  'WhatsApp',
  'TelegramBot',
  'LinkedInBot',
  'Googlebot',
  'bingbot',
  'Applebot',
  'redditbot',
  'SkypeUriPreview',
  'Embedly',
  'Iframely',
  'Mastodon',
  'Pinterestbot',
  'vkShare',
  'Bytespider',
];

const PATTERN = new RegExp(PREVIEW_AGENTS.map((a) => a.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')).join('|'), 'i');

export const isLinkPreviewAgent = (userAgent: string | null): boolean => userAgent !== null && PATTERN.test(userAgent);
