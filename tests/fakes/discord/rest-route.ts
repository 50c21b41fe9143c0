import type { IncomingHttpHeaders } from 'node:http';
import type { FakeState } from './fake-state';
import type { UploadedFile } from './message-store';
import type { RecordedRequest } from './types';

/** The shape of one REST route of the fake; route modules export arrays of these. */

export interface RestRequest {
  method: string;
  /** Decoded path after `/api/v10`. */
  path: string;
  /** Values of the template's `:name` segments. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body (or multipart `payload_json`, or the fields of a form), `null` when empty. */
  body: unknown;
  headers: IncomingHttpHeaders;
  files: UploadedFile[];
  record: RecordedRequest;
}

export interface RestReply {
  status: number;
  /** Omitted for 204. */
  body?: unknown;
  /** Extra response headers (e.g. `WWW-Authenticate`). */
  headers?: Record<string, string>;
}

export interface RestRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** e.g. `/channels/:channel/messages/:message`; each `:name` matches one segment. */
  template: string;
  /**
   * Bot routes need `Authorization: Bot <token>`; interaction routes are authenticated by their token;
   * OAuth2 routes (client credentials, Bearer tokens) check their own and are `none` here.
   */
  auth: 'bot' | 'none';
  handle(state: FakeState, req: RestRequest): RestReply | Promise<RestReply>;
}

export function matchTemplate(template: string, path: string): Record<string, string> | undefined {
  const want = template.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? '';
    const g = got[i] ?? '';
    if (w.startsWith(':')) {
      if (g === '') return undefined;
      params[w.slice(1)] = g;
    } else if (w !== g) {
      return undefined;
    }
  }
  return params;
}

/** The top-level resource a rate limit is counted per (reference §4.1). */
export function majorParameter(params: Record<string, string>): string {
  if (params.channel) return params.channel;
  if (params.guild) return params.guild;
  if (params.webhook) return `${params.webhook}/${params.token ?? ''}`;
  return params.interaction ?? 'global';
}

export const ok = (body?: unknown): RestReply => (body === undefined ? { status: 204 } : { status: 200, body });
