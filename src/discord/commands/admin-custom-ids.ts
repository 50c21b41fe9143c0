/**
 * The reset confirmation's buttons carry the whole request: `kadmin:reset:<userId>:<key|all>`
 * and `kadmin:cancel:<userId>`. The longest key is 38 characters, well under Discord's 100.
 */
export const adminCustomId = {
  reset: (userId: string, key: string) => `kadmin:reset:${userId}:${key}`,
  cancel: (userId: string) => `kadmin:cancel:${userId}`,
};

const PATTERN = /^kadmin:(reset|cancel):([0-9]{17,20})(?::([A-Za-z.]{1,80}))?$/;

export function parseAdminCustomId(id: string | undefined): { action: 'reset' | 'cancel'; userId: string; key?: string } | undefined {
  const m = id ? PATTERN.exec(id) : null;
  if (!m || (m[1] === 'reset') !== (m[3] !== undefined)) return undefined;
  return { action: m[1] as 'reset' | 'cancel', userId: m[2]!, ...(m[3] !== undefined && { key: m[3] }) };
}
