import type { ServerResponse } from 'node:http';
import type { FakeState } from './fake-state';
import { findSetRole } from './partner-account';
import type { KafLaunch } from './types';
import { verifyKs } from './verify-ks';

/**
 * Simulated KAF `GET /virtualEvent/launch?ks=…` (§2.3, §2.4, §7.11), served under `/kaf` on the
 * same server. It checks only what the room needs from the KS: a valid, unexpired signature,
 * `role` of viewerRole/adminRole, and an `eventId` or `resourceId`. Query parsing follows
 * PHP's `$_GET`, so an unencoded `+` in a KS arrives as a space, as it would for real.
 */

const ROLES = ['viewerRole', 'adminRole'];

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(res: ServerResponse, status: number, title: string, body: string): void {
  const html = `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body>\n${body}\n</body></html>\n`;
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html) });
  res.end(html);
}

function errorPage(res: ServerResponse, status: number, reason: string): void {
  page(res, status, 'Kaltura virtual event', `<h1>Unable to join</h1>\n<p id="error" data-reason="${escapeHtml(reason)}">${escapeHtml(reason)}</p>`);
}

export function handleKafRequest(state: FakeState, url: URL, method: string, res: ServerResponse): void {
  // the KAF base answers with its own (home) page, unlike a launch without a session [unverified:
  // what a real KAF home shows; only that it differs from the launch refusal matters here]
  if (/^\/kaf\/?$/.test(url.pathname) && (method === 'GET' || method === 'HEAD')) {
    page(res, 200, 'Kaltura Application Framework', '<h1>KAF</h1>');
    return;
  }
  if (!/^\/kaf\/virtualEvent\/launch\/?$/.test(url.pathname) || (method !== 'GET' && method !== 'HEAD')) {
    errorPage(res, 404, 'NOT_FOUND');
    return;
  }
  const ks = url.searchParams.get('ks');
  if (!ks) {
    errorPage(res, 401, 'MISSING_KS');
    return;
  }
  const check = verifyKs(state, ks);
  if (!check.ok) {
    errorPage(res, 401, check.reason === 'EXPIRED' ? 'EXPIRED_KS' : 'INVALID_KS');
    return;
  }
  const privileges = Object.fromEntries(check.ks.privilegeMap);
  const role = privileges.role ?? '';
  if (!ROLES.includes(role)) {
    errorPage(res, 400, 'INVALID_ROLE');
    return;
  }
  if (!privileges.eventId && !privileges.resourceId) {
    errorPage(res, 400, 'MISSING_EVENT_OR_RESOURCE');
    return;
  }
  // KAF works with the member's KS, and the API refuses every call of a KS whose setrole names
  // no role (kPermissionManager::getRoleIds → UNKNOWN_ROLE_ID); the stricter reading is that the
  // launch fails too
  if (privileges.setrole !== undefined && !findSetRole(state.account, privileges.setrole)) {
    errorPage(res, 403, 'UNKNOWN_ROLE_ID');
    return;
  }
  const launch: KafLaunch = {
    userId: check.ks.userId,
    role,
    userContextualRole: privileges.userContextualRole ?? '',
    privileges,
    type: check.ks.type,
    ks,
    ...(privileges.eventId ? { eventId: privileges.eventId } : {}),
    ...(privileges.resourceId ? { resourceId: privileges.resourceId } : {}),
    ...(privileges.firstName !== undefined ? { firstName: privileges.firstName } : {}),
    ...(privileges.lastName !== undefined ? { lastName: privileges.lastName } : {}),
  };
  state.launches.push(launch);
  const fields: Array<[string, string | undefined]> = [
    ['userId', launch.userId],
    ['role', launch.role],
    ['userContextualRole', launch.userContextualRole],
    ['eventId', launch.eventId],
    ['resourceId', launch.resourceId],
    ['firstName', launch.firstName],
    ['lastName', launch.lastName],
  ];
  const rows = fields
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `  <dt>${name}</dt><dd data-field="${name}">${escapeHtml(value ?? '')}</dd>`)
    .join('\n');
  page(res, 200, 'Kaltura virtual event', `<h1>Virtual event room</h1>\n<dl id="launch">\n${rows}\n</dl>`);
}
