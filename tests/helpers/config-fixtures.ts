/** Values that pass validation; tests change one thing at a time. */
export const GOOD = {
  token: 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.GhIjKl.abcdefghijklmnopqrstuvwxyz0123',
  applicationId: '1100000000000000001',
  adminSecret: 'abcdef0123456789abcdef0123456789',
  linkSecret: 'link-signing-secret-0123456789abcdef0123456789',
} as const;

/** The environment that makes kaltura-discord.example.yaml complete. */
export const EXAMPLE_ENV = {
  DISCORD_TOKEN: GOOD.token,
  KALTURA_ADMIN_SECRET: GOOD.adminSecret,
  LINK_SIGNING_SECRET: GOOD.linkSecret,
};

/** A small commented config, as an operator would keep it. */
export function commentedConfig(overrides: { listen?: string; storage?: string } = {}): string {
  return `# My bot, edited by hand.
discord:
  token: ${GOOD.token}   # from the portal
  applicationId: "${GOOD.applicationId}"

# Kaltura account
kaltura:
  partnerId: 1234567    # our partner
  adminSecret: ${GOOD.adminSecret}
  serviceUrl: https://www.kaltura.com

http:
  listen: ${overrides.listen ?? '127.0.0.1:8080'}
  publicUrl: https://bot.example.org   # behind caddy

links:
  secret: ${GOOD.linkSecret}
  ttl: 5m

storage:
  path: ${overrides.storage ?? './data/kd.db'}
`;
}
