/**
 * The fake Discord client: the parent page that iframes the Activity and answers the Embedded App
 * SDK's postMessage RPC, served by the fake proxy on the Activity's own origin (the SDK accepts
 * messages from `window.location.origin`; reference §7.5). It implements the SDK side of
 * @discord/embedded-app-sdk 2.5 (`output/Discord.mjs`, `schema/*.mjs`):
 * - messages are `[opcode, payload]`: HANDSHAKE 0, FRAME 1, CLOSE 2;
 * - HANDSHAKE `{v, encoding, client_id, frame_id}` → DISPATCH READY (`user.avatar` a string or absent:
 *   `null` fails the SDK's schema and `ready()` never resolves); a wrong client id → CLOSE 4000;
 * - FRAME `{cmd, args, nonce, evt?}` → `{cmd, nonce, evt: null, data}`, or
 *   `{cmd, nonce, evt: 'ERROR', data: {code, message}}` (RPC error codes: 4002 invalid command,
 *   4007 invalid client id, 4009 invalid token, 5000 OAuth2 error — developers/topics/opcodes-and-status-codes#rpc);
 * - a member who declines the consent (`consent: 'deny'`) gets AUTHORIZE → ERROR 5000 `access_denied`
 *   (RFC 6749 §4.1.2.1);
 * - ACTIVITY_INSTANCE_PARTICIPANTS_UPDATE is dispatched to a subscribed Activity whenever the
 *   instance's users change (checked every 250 ms).
 * AUTHORIZE, AUTHENTICATE, participants and OPEN_EXTERNAL_LINK are answered by the proxy process
 * (POST /__fake-discord/rpc) against the fake Discord. Test hooks: `window.__fakeDiscord`
 * `{ rpc: string[], logs: unknown[] }`.
 */

export interface ClientPageContext {
  readonly applicationId: string;
  readonly userId: string;
  readonly username: string;
  readonly globalName?: string;
  readonly instanceId: string;
  readonly guildId?: string;
  readonly channelId?: string;
  readonly platform: 'desktop' | 'mobile';
  /** Whether the member accepts the OAuth2 consent that `authorize` shows. */
  readonly consent: 'allow' | 'deny';
  /** The Activity's URL (root-relative), with the SDK's query parameters. */
  readonly activitySrc: string;
}

const escapeJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');

export function clientPageHtml(ctx: ClientPageContext): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Fake Discord client</title><link rel="icon" href="data:,">
<script type="application/json" id="fake-discord-context">${escapeJson(ctx)}</script>
<script src="/__fake-discord/client.js" defer></script>
<link rel="stylesheet" href="/__fake-discord/client.css"></head>
<body><iframe id="activity" title="Activity" allow="autoplay; fullscreen"></iframe></body></html>`;
}

export const CLIENT_CSS = 'html,body{margin:0;height:100%;background:#313338}iframe{border:0;width:100%;height:100%;display:block}';

export const CLIENT_SCRIPT = String.raw`(() => {
  'use strict';
  const ctx = JSON.parse(document.getElementById('fake-discord-context').textContent);
  const frame = document.getElementById('activity');
  const hooks = (window.__fakeDiscord = { rpc: [], logs: [], context: ctx });
  const subscriptions = new Set();
  let lastParticipants = '';
  let poller;
  const post = (message) => frame.contentWindow && frame.contentWindow.postMessage(message, location.origin);
  const reply = (payload) => post([1, payload]);
  const ask = async (cmd, args) => {
    const res = await fetch('/__fake-discord/rpc', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: ctx.userId, instanceId: ctx.instanceId, cmd, args: args || {} }),
    });
    const body = await res.json();
    if (body.error) throw body.error;
    return body.data;
  };
  const pollParticipants = async () => {
    if (!subscriptions.has('ACTIVITY_INSTANCE_PARTICIPANTS_UPDATE')) return;
    try {
      const data = await ask('GET_ACTIVITY_INSTANCE_CONNECTED_PARTICIPANTS');
      const key = JSON.stringify(data.participants.map((p) => p.id));
      if (key !== lastParticipants) {
        lastParticipants = key;
        post([1, { cmd: 'DISPATCH', evt: 'ACTIVITY_INSTANCE_PARTICIPANTS_UPDATE', nonce: null, data }]);
      }
    } catch (e) { hooks.logs.push({ level: 'error', message: 'participants poll failed: ' + (e && e.message) }); }
  };
  window.addEventListener('message', async (ev) => {
    if (ev.source !== frame.contentWindow || ev.origin !== location.origin || !Array.isArray(ev.data)) return;
    const [op, payload] = ev.data;
    if (op === 0) {
      hooks.rpc.push('HANDSHAKE ' + JSON.stringify(payload));
      if (!payload || payload.client_id !== ctx.applicationId) return post([2, { code: 4000, message: 'Invalid Client ID', nonce: null }]);
      const user = { id: ctx.userId, username: ctx.username, discriminator: '0' };
      return reply({ cmd: 'DISPATCH', evt: 'READY', nonce: null, data: { v: 1,
        config: { api_endpoint: '//discord.com/api', environment: 'production', cdn_host: 'cdn.discordapp.com' }, user } });
    }
    if (op === 2) return void hooks.rpc.push('CLOSE ' + JSON.stringify(payload));
    if (op !== 1 || !payload) return;
    const { cmd, nonce, args, evt } = payload;
    hooks.rpc.push(cmd + (evt ? ' ' + evt : ''));
    try {
      let data;
      switch (cmd) {
        case 'SUBSCRIBE':
          subscriptions.add(evt);
          if (evt === 'ACTIVITY_INSTANCE_PARTICIPANTS_UPDATE' && !poller) { lastParticipants = ''; poller = setInterval(pollParticipants, 250); }
          data = { evt };
          break;
        case 'UNSUBSCRIBE':
          subscriptions.delete(evt);
          data = { evt };
          break;
        case 'CAPTURE_LOG':
          hooks.logs.push(args);
          data = null;
          break;
        case 'AUTHORIZE':
          if (ctx.consent === 'deny') throw { code: 5000, message: 'OAuth2 Error: access_denied: The resource owner or authorization server denied the request' };
          data = await ask(cmd, args);
          break;
        case 'AUTHENTICATE':
        case 'GET_ACTIVITY_INSTANCE_CONNECTED_PARTICIPANTS':
        case 'OPEN_EXTERNAL_LINK':
          data = await ask(cmd, args);
          break;
        default:
          throw { code: 4002, message: 'fake Discord client: command ' + cmd + ' is not modelled' };
      }
      reply({ cmd, nonce, evt: null, data });
    } catch (e) {
      reply({ cmd, nonce, evt: 'ERROR', data: { code: typeof e.code === 'number' ? e.code : 4000, message: String(e.message || e) } });
    }
  });
  frame.src = ctx.activitySrc;
})();
`;
