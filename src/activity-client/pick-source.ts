/** Which of the server's sources this browser plays. Pure (unit-tested under node). */
export interface MediaSource {
  readonly src: string;
  readonly type: string;
}

/**
 * The first source the browser says it can play ('probably' beats 'maybe'); undefined when none.
 * Sources must be page-relative or same-origin paths: the Activity's CSP (Discord's proxy) blocks any
 * other host, so an absolute URL here is a server bug we refuse to follow rather than a CSP error.
 */
export function pickSource(sources: readonly MediaSource[], canPlayType: (type: string) => string): MediaSource | undefined {
  const usable = sources.filter((s) => typeof s.src === 'string' && !/^[a-z][a-z0-9+.-]*:|^\/\//i.test(s.src));
  return usable.find((s) => canPlayType(s.type) === 'probably') ?? usable.find((s) => canPlayType(s.type) === 'maybe');
}
