/**
 * The player: the <video> the sync client drives, the title, the host's controls and who is
 * watching. HTML5 video on the proxy-relative source our server resolved (docs/activity.md, "Player").
 */
import type { PlaybackInfo } from '../api-client.js';
import { el, replaceChildren } from '../dom.js';
import { controlsModel, type RoomFacts } from '../room-view-model.js';
import { createHostControls, type HostActions, type HostControls } from './host-controls.js';
import { renderPresence } from './presence-view.js';

export interface PlayerView {
  readonly video: HTMLVideoElement;
  readonly controls: HostControls;
  showEntry(info: PlaybackInfo | undefined): void;
  /** The browser wants a click before it plays sound: show a button that calls `onClick` once. */
  askForClick(onClick: () => void): void;
  setRoom(room: RoomFacts): void;
  setMessage(text: string): void;
}

export function createPlayerView(root: HTMLElement, actions: HostActions): PlayerView {
  const video = el('video', { attrs: { id: 'player-video', playsinline: '', preload: 'auto' } });
  // Playback is the group's: the member's own clicks on the picture must not start or stop it.
  video.controls = false;
  const title = el('h2', { className: 'title', text: 'Nothing playing yet', attrs: { id: 'player-title' } });
  const message = el('p', { className: 'message', attrs: { role: 'status', id: 'player-message' } });
  const controls = createHostControls(actions);
  const join = el('button', { className: 'join', text: '▶ Join the playback', attrs: { type: 'button', id: 'player-join', hidden: '' } });
  // Volume is each member's own (never synced).
  const mute = el('button', { text: 'Mute', attrs: { type: 'button', id: 'player-mute' } });
  const volume = el('input', { attrs: { type: 'range', min: '0', max: '1', step: '0.05', value: '1', id: 'player-volume', 'aria-label': 'Volume' } });
  mute.addEventListener('click', () => (video.muted = !video.muted));
  volume.addEventListener('input', () => {
    video.volume = Number(volume.value);
    if (video.volume > 0) video.muted = false;
  });
  video.addEventListener('volumechange', () => (mute.textContent = video.muted ? 'Unmute' : 'Mute'));
  const presence = el('ul', { className: 'presence', attrs: { id: 'presence-list', 'aria-label': 'Watching' } });
  replaceChildren(root, [
    el('div', { className: 'stage' }, [title, el('div', { className: 'screen' }, [video, join]), controls.element, el('div', { className: 'audio' }, [mute, volume]), message]),
    el('aside', { className: 'side' }, [el('h3', { text: 'Watching' }), presence]),
  ]);
  return {
    video,
    controls,
    showEntry(info) {
      title.textContent = info ? info.name : 'Nothing playing yet';
    },
    askForClick(onClick) {
      join.hidden = false;
      join.onclick = () => {
        join.hidden = true;
        onClick();
      };
    },
    setRoom(room) {
      renderPresence(presence, room);
      controls.setModel(controlsModel(room), room.wait);
    },
    setMessage(text) {
      message.textContent = text;
    },
  };
}
