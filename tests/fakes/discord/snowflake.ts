/** Discord's epoch (2015-01-01T00:00:00Z) in ms; snowflakes carry ms since then in their top 42 bits. */
const DISCORD_EPOCH = 1_420_070_400_000n;

/**
 * Makes increasing snowflakes from the clock, as Discord does, so they are 18-19 digits long:
 * @discordjs/rest recognises only 17-19 digit ids as major parameters (reference §5.1).
 * @see https://discord.com/developers/docs/reference#snowflakes
 */
export function createSnowflakeFactory(now: () => number = Date.now): () => string {
  let last = 0n;
  return () => {
    const fromClock = (BigInt(now()) - DISCORD_EPOCH) << 22n;
    last = fromClock > last ? fromClock : last + 1n;
    return last.toString();
  };
}

export function isSnowflake(value: unknown): value is string {
  return typeof value === 'string' && /^\d{17,20}$/.test(value);
}
