// A trivial Activity for the fake proxy's self-test (bundled with esbuild, run in Chromium inside
// the fake Discord client): the real @discord/embedded-app-sdk handshake and commands, a WebSocket,
// a mapped fetch, an unmapped one and a redirect, each result in `window.__probe`.
// Plain JS: the repository's tsconfig has no DOM library (the Activity client has its own).
import { DiscordSDK, Events } from '@discord/embedded-app-sdk';

const probe = (window.__probe = { violations: [] });
document.addEventListener('securitypolicyviolation', (e) => probe.violations.push(`${e.violatedDirective} ${e.blockedURI}`));

const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.content ?? '';
const outcome = (p) => p.then((r) => `${r.status}`, () => 'blocked');
const codeOf = (p) => p.then(() => 'answered', (e) => e.code);

function echo() {
  return new Promise((resolve) => {
    const ws = new WebSocket(new URL('ws', location.href).href.replace(/^http/, 'ws'));
    ws.onopen = () => ws.send('ping');
    ws.onmessage = (m) => {
      resolve(String(m.data));
      ws.close();
    };
    ws.onerror = () => resolve('error');
  });
}

async function main() {
  const clientId = meta('client-id');
  const sdk = new DiscordSDK(clientId, { disableConsoleLogOverride: true });
  await sdk.ready();
  Object.assign(probe, { ready: true, instanceId: sdk.instanceId, guildId: sdk.guildId, channelId: sdk.channelId });
  const { code } = await sdk.commands.authorize({ client_id: clientId, response_type: 'code', state: '', prompt: 'none', scope: ['identify'] });
  const token = await (await fetch('api/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })).json();
  const auth = await sdk.commands.authenticate({ access_token: token.access_token });
  Object.assign(probe, { user: auth.user.username, scopes: auth.scopes, application: auth.application.id });
  probe.forged = await codeOf(sdk.commands.authenticate({ access_token: 'forged' }));
  probe.participants = (await sdk.commands.getInstanceConnectedParticipants()).participants.map((p) => p.username);
  probe.opened = (await sdk.commands.openExternalLink({ url: 'https://kaltura.example/join/abc' })).opened;
  probe.unmodelled = await codeOf(sdk.commands.getChannel({ channel_id: '1' }));
  probe.echo = await echo();
  probe.mapped = await fetch('/kaltura-cdn/p/1/thumb.txt').then((r) => r.text(), () => 'blocked');
  probe.dotProxy = await fetch('/.proxy/kaltura-cdn/p/1/thumb.txt').then((r) => r.text(), () => 'blocked');
  probe.direct = await outcome(fetch(meta('direct-url')));
  probe.redirected = await outcome(fetch('api/redirect'));
  await sdk.subscribe(Events.ACTIVITY_INSTANCE_PARTICIPANTS_UPDATE, (d) => {
    probe.update = d.participants.map((p) => p.username);
  });
  probe.done = true;
}

main().catch((e) => {
  probe.error = e instanceof Error ? e.message : JSON.stringify(e);
  probe.done = true;
});
