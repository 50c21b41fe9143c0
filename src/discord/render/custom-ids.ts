/**
 * Button custom ids carry the only state a click brings back: `kaltura:<action>:<meetingId>`.
 * Meeting ids are `m_` + 16 base32 characters, far below Discord's 100-character limit.
 */
export const customId = {
  join: (meetingId: string) => `kaltura:join:${meetingId}`,
  end: (meetingId: string) => `kaltura:end:${meetingId}`,
};

const PATTERN = /^kaltura:(join|end):(m_[a-z0-9]{16})$/;

export function parseCustomId(id: string | undefined): { action: 'join' | 'end'; meetingId: string } | undefined {
  const m = id ? PATTERN.exec(id) : null;
  return m ? { action: m[1] as 'join' | 'end', meetingId: m[2]! } : undefined;
}
