/**
 * The permissions the bot asks for when invited, and nothing more:
 * VIEW_CHANNEL (1<<10) to see the channels it posts in, SEND_MESSAGES (1<<11) for meeting
 * cards and notifications, EMBED_LINKS (1<<14) because cards are embeds,
 * READ_MESSAGE_HISTORY (1<<16) to reply to a card when its recording is ready, and
 * SEND_MESSAGES_IN_THREADS (1<<38) because Send Messages "does not allow sending messages in
 * threads": meetings started in a thread post their card there.
 * @see https://discord.com/developers/docs/topics/permissions#permissions-bitwise-permission-flags
 */
export const BOT_PERMISSIONS = (1n << 10n) | (1n << 11n) | (1n << 14n) | (1n << 16n) | (1n << 38n);

/** @see https://discord.com/developers/docs/topics/oauth2#bot-authorization-flow */
export function buildInviteUrl(applicationId: string, permissions: bigint = BOT_PERMISSIONS): string {
  const url = new URL('https://discord.com/oauth2/authorize');
  url.searchParams.set('client_id', applicationId);
  url.searchParams.set('scope', 'bot applications.commands');
  url.searchParams.set('permissions', permissions.toString());
  return url.toString();
}
