/**
 * The Activity's calls to our server (src/http/activity-routes.ts). URLs are RELATIVE to the page
 * (`api/token`, …): behind Discord's proxy the page is served at `/`, directly at `/activity/`,
 * and both resolve the same way. No DOM here (unit-tested under node with a fake fetch).
 */

/** A refusal from our server (`{error, message}`) or a transport failure (status 0). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface LibraryEntry {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly durationSeconds: number;
  readonly thumbnailUrl?: string;
}
export interface PlaybackInfo {
  readonly entryId: string;
  readonly name: string;
  readonly durationSeconds: number;
  readonly sources: readonly { readonly src: string; readonly type: string }[];
  readonly poster?: string;
  readonly expiresAt: string | number;
}
export interface SessionInfo {
  readonly session: string;
  readonly expiresAt: string | number;
  readonly user: { readonly id: string; readonly name: string };
  readonly guildId: string;
  readonly channelId?: string;
  readonly instanceId: string;
  readonly launchedEntryId?: string;
}
export interface LiveMeeting {
  readonly id: string;
  readonly title: string;
  readonly kind: string;
  readonly startedAt?: number;
}

export interface ApiOptions {
  /** The page's URL (location.href); relative paths resolve against it. */
  readonly base: string;
  readonly fetch: typeof fetch;
  /** Each request is bounded (default 10 s). */
  readonly timeoutMs?: number;
  /**
   * Called once when a request with a session is answered 401 (the 1-hour session expired during a
   * long watch): sign in again (it calls setSession) and resolve true to retry the request once.
   */
  readonly renewSession?: () => Promise<boolean>;
}

type Json = Record<string, unknown>;

const MESSAGES: Record<number, string> = {
  0: 'The server could not be reached. Check your connection and try again.',
  401: 'Your session has expired.',
  403: 'You cannot do that here.',
  404: 'Not found.',
  429: 'Too many requests; wait a moment and try again.',
};

export interface Api {
  token(code: string): Promise<{ access_token: string }>;
  session(accessToken: string, instanceId: string): Promise<SessionInfo>;
  library(query: string, limit?: number): Promise<{ entries: LibraryEntry[]; totalCount: number }>;
  playback(entryId: string): Promise<PlaybackInfo>;
  meetings(): Promise<{ meetings: LiveMeeting[] }>;
  meetingLink(meetingId: string): Promise<{ url: string }>;
  /** The session token used as `Authorization: Bearer` (and by the sync socket's hello). */
  setSession(token: string | undefined): void;
  getSession(): string | undefined;
}

export function createApi(options: ApiOptions): Api {
  let session: string | undefined;
  const timeoutMs = options.timeoutMs ?? 10_000;

  let renewing: Promise<boolean> | undefined;
  async function renew(): Promise<boolean> {
    renewing ??= (options.renewSession?.() ?? Promise.resolve(false)).catch(() => false).finally(() => (renewing = undefined));
    return renewing;
  }

  /** A call with the session (Bearer); a 401 renews the session once. */
  async function call<T>(method: 'GET' | 'POST', relative: string, body?: Json): Promise<T> {
    try {
      return await once<T>(method, relative, body);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 401 || session === undefined || !options.renewSession) throw err;
      if (!(await renew())) throw err;
      return once<T>(method, relative, body);
    }
  }

  async function once<T>(method: 'GET' | 'POST', relative: string, body?: Json, bearer = true): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (bearer && session !== undefined) headers.authorization = `Bearer ${session}`;
    let res: Response;
    try {
      res = await options.fetch(new URL(relative, options.base).href, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch {
      throw new ApiError(0, 'network', MESSAGES[0]!);
    }
    let data: unknown;
    try {
      data = await res.json();
    } catch {
      data = undefined;
    }
    if (!res.ok) {
      const d = (typeof data === 'object' && data !== null ? data : {}) as Json;
      const code = typeof d.error === 'string' ? d.error : `http-${res.status}`;
      const message = typeof d.message === 'string' && d.message ? d.message : (MESSAGES[res.status] ?? `The server answered ${res.status}.`);
      throw new ApiError(res.status, code, message);
    }
    if (typeof data !== 'object' || data === null) throw new ApiError(res.status, 'bad-response', 'The server sent an answer this page cannot read.');
    return data as T;
  }

  const enc = encodeURIComponent;
  return {
    // Sign-in calls carry no session and never trigger a renewal (they ARE the renewal).
    token: (code) => once('POST', 'api/token', { code }, false),
    session: (accessToken, instanceId) => once('POST', 'api/session', { access_token: accessToken, instance_id: instanceId }, false),
    library: async (query, limit = 24) => {
      const r = await call<{ entries?: unknown; totalCount?: unknown }>('GET', `api/library?q=${enc(query)}&limit=${limit}`);
      return { entries: Array.isArray(r.entries) ? (r.entries as LibraryEntry[]) : [], totalCount: typeof r.totalCount === 'number' ? r.totalCount : 0 };
    },
    playback: (entryId) => call('POST', 'api/playback', { entryId }),
    meetings: async () => {
      const r = await call<{ meetings?: unknown }>('GET', 'api/meetings');
      return { meetings: Array.isArray(r.meetings) ? (r.meetings as LiveMeeting[]) : [] };
    },
    meetingLink: (meetingId) => call('POST', `api/meetings/${enc(meetingId)}/link`, {}),
    setSession: (token) => {
      session = token;
    },
    getSession: () => session,
  };
}
