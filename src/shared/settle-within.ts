/**
 * Waits for `work` to settle, but no longer than `ms`: true if it settled (fulfilled or rejected),
 * false if the time ran out. Never rejects, so one stuck or failing stop step cannot hold or
 * break the ones after it.
 */
export async function settleWithin(work: Promise<unknown> | undefined, ms: number): Promise<boolean> {
  if (!work) return true;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, ms));
  });
  try {
    return await Promise.race([work.then(() => true, () => true), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
