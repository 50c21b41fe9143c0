/**
 * The Watch Together Activity: sign in through Discord, then the library, the synced player and
 * the server's live meetings. Runs inside Discord's iframe (served by our h3 server under the
 * portal's root URL mapping); every URL it uses is relative to the page.
 */
import { DiscordSDK } from '@discord/embedded-app-sdk';
import { createApi, type SessionInfo } from './api-client.js';
import { connectSync } from './connect-sync.js';
import { byId } from './dom.js';
import { createMediaLoader } from './media-loader.js';
import { openSession, StartError, type SdkLike } from './open-session.js';
import { controlsModel, type RoomFacts } from './room-view-model.js';
import { createSessionRenewal } from './session-renewal.js';
import { createLibraryView } from './views/library-view.js';
import { createMeetingsView } from './views/meetings-view.js';
import { createPlayerView } from './views/player-view.js';
import type { GroupPlayback, WatchSync } from './watch-sync.js';

type ViewName = 'library' | 'player' | 'meetings';

const status = byId('status');
function showStatus(text: string, error = false): void {
  status.textContent = text;
  status.classList.toggle('error', error);
}

function clientIdFromPage(): string | undefined {
  const id = document.querySelector<HTMLMetaElement>('meta[name="kd-client-id"]')?.content ?? '';
  return /^[0-9]{17,20}$/.test(id) ? id : undefined;
}

function showView(name: ViewName): void {
  for (const v of ['library', 'player', 'meetings'] as const) {
    byId(`view-${v}`).hidden = v !== name;
    byId(`tab-${v}`).setAttribute('aria-current', v === name ? 'page' : 'false');
  }
}

async function start(): Promise<void> {
  const clientId = clientIdFromPage();
  if (!clientId) return showStatus('This page was served without the Discord application id; the bot’s configuration is incomplete (discord.applicationId).', true);
  let sdk: DiscordSDK;
  try {
    sdk = new DiscordSDK(clientId, { disableConsoleLogOverride: true });
  } catch {
    return showStatus('This page only works inside Discord: start it with “Watch together” or from the App Launcher.', true);
  }
  const sdkLike: SdkLike = sdk;
  let renew: () => Promise<boolean> = async () => false;
  const api = createApi({ base: location.href, fetch: (input, init) => fetch(input, init), renewSession: () => renew() });
  let info: SessionInfo;
  try {
    info = await openSession({ sdk: sdkLike, api, clientId });
  } catch (err) {
    return showStatus(err instanceof StartError ? err.message : 'The Activity could not start. Close it and start it again.', true);
  }
  // The session lasts an hour; a longer watch signs in again silently (authorize with prompt:none),
  // before it expires, and whenever the API (401) or the sync socket (4003) finds it refused.
  const renewal = createSessionRenewal({
    signIn: () => openSession({ sdk: sdkLike, api, clientId, readyTimeoutMs: 1 }),
    onSession: (next) => (info = next),
  });
  renewal.track(info);
  renew = () => renewal.renew();
  showStatus('');
  byId('whoami').textContent = `Signed in as ${info.user.name}`;

  let room: RoomFacts = { members: [], wait: false };
  let group: GroupPlayback | undefined;
  let sync: WatchSync | undefined;

  const player = createPlayerView(byId('view-player'), {
    play: () => sync?.play(),
    pause: () => sync?.pause(),
    seek: (s) => sync?.seek(s),
    rate: (r) => sync?.rate(r),
    setWait: (on) => sync?.setWait(on),
  });
  const media = createMediaLoader({
    video: player.video,
    api,
    onEntry: (e) => {
      player.showEntry(e);
      // The element now holds this entry: the sync engine may steer it (seek to the group, play).
      sync?.setMediaEntry(e.entryId);
    },
    onMessage: (text) => player.setMessage(text),
  });
  const library = createLibraryView(byId('view-library'), {
    api,
    onPick: (entry) => {
      sync?.load(entry.id);
      showView('player');
    },
  });
  const meetings = createMeetingsView(byId('view-meetings'), {
    api,
    openExternal: async (url) => (await sdk.commands.openExternalLink({ url })).opened !== false,
  });

  const renderRoom = () => {
    const model = controlsModel(room);
    player.setRoom(room);
    library.setHost(model.isHost, model.hostLine);
  };
  const renderPlayback = () => {
    const p = group ?? { playing: false, rate: 1, position: 0 };
    const position = sync?.groupPosition() ?? p.position;
    player.controls.setPlayback({ playing: p.playing, rate: p.rate, position, duration: player.video.duration || media.current()?.durationSeconds || 0 });
  };
  player.video.addEventListener('timeupdate', renderPlayback);
  player.video.addEventListener('durationchange', renderPlayback);

  sync = connectSync({
    url: wsUrl(info.instanceId),
    session: () => api.getSession() ?? info.session,
    renewSession: () => renew(),
    video: player.video,
    ...(info.launchedEntryId === undefined ? {} : { launchedEntryId: info.launchedEntryId }),
    events: {
      onRoom(next) {
        room = next;
        renderRoom();
        // An empty room (welcome without a video): say who picks one.
        if (group && !group.entryId && room.you !== undefined) {
          player.setMessage(controlsModel(room).isHost ? 'Pick a video in the Library to start watching together.' : 'The host has not picked a video yet.');
        }
      },
      onEntry(entryId) {
        // A welcome after a reconnect repeats the entry the element already holds: keep steering it.
        if (entryId !== undefined && media.current()?.entryId === entryId) return sync?.setMediaEntry(entryId);
        // Until the new source is in, the element holds the old video: the engine must not steer it.
        sync?.setMediaEntry(undefined);
        if (entryId === undefined) return player.showEntry(undefined);
        void media.load(entryId);
        showView('player'); // a new video for everyone: bring everyone to the player
      },
      onTimeline(next) {
        group = next;
        renderPlayback();
      },
      onConnection(state, detail) {
        if (state === 'reconnecting') {
          player.setMessage(detail === 'served elsewhere'
            ? 'This watch party runs on another server of this bot and this connection reached the wrong one; retrying… (tell the bot’s operator: docs/scaling.md, sync routing)'
            : detail === 'moving' ? 'The watch party is moving to another server of this bot; reconnecting…' : 'Connection lost; reconnecting…');
        }
        else if (state === 'open') player.setMessage('');
        else if (state === 'closed') {
          player.setMessage(detail === 'opened elsewhere'
            ? 'You opened this Activity in another window; it continues there.'
            : 'Disconnected from the watch party. Close the Activity and start it again.');
        }
      },
      onError: (message) => player.setMessage(message),
      onAutoplayBlocked: () => player.askForClick(() => sync?.resumePlayback()),
    },
  });

  for (const name of ['library', 'player', 'meetings'] as const) {
    byId(`tab-${name}`).addEventListener('click', () => {
      showView(name);
      if (name === 'meetings') void meetings.refresh();
    });
  }
  renderRoom();
  library.start();
  showView(info.launchedEntryId ? 'player' : 'library');
}

/**
 * ws(s)://<same host>/<page dir>/ws?instance=<Activity instance id> — through Discord's proxy that is the
 * root mapping; directly, /activity/ws. With several bot instances the load balancer hashes on `instance`,
 * so every member of one watch party reaches the instance that holds its room (docs/scaling.md).
 */
function wsUrl(instanceId: string): string {
  const url = new URL('ws', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = '';
  url.searchParams.set('instance', instanceId);
  url.hash = '';
  return url.href;
}

start().catch(() => showStatus('The Activity could not start. Close it and start it again.', true));
