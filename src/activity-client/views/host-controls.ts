/**
 * The host's controls: play/pause, a seek bar, the rate (0.5–2×) and "wait for everyone".
 * Everyone else sees them disabled with "host: <name>". The controls only SEND commands; what
 * the <video> does is decided by the sync server's timeline (sync client), for the host too.
 */
import { el, replaceChildren } from '../dom.js';
import { formatDuration, formatRate, RATE_CHOICES } from '../format.js';
import type { ControlsModel } from '../room-view-model.js';

export interface HostActions {
  play(): void;
  pause(): void;
  seek(seconds: number): void;
  rate(rate: number): void;
  setWait(on: boolean): void;
}

export interface HostControls {
  readonly element: HTMLElement;
  /** Who may use them, and whom the room waits for. */
  setModel(model: ControlsModel, wait: boolean): void;
  /** The group's state: playing, rate, position/duration for the seek bar. */
  setPlayback(p: { readonly playing: boolean; readonly rate: number; readonly position: number; readonly duration: number }): void;
}

export function createHostControls(actions: HostActions): HostControls {
  const playPause = el('button', { text: 'Play', attrs: { type: 'button', id: 'ctl-play' } });
  const seek = el('input', { attrs: { type: 'range', min: '0', max: '0', step: '0.1', value: '0', id: 'ctl-seek', 'aria-label': 'Position' } });
  const time = el('span', { className: 'time', text: '0:00 / 0:00', attrs: { id: 'ctl-time' } });
  const rate = el('select', { attrs: { id: 'ctl-rate', 'aria-label': 'Playback speed' } }, RATE_CHOICES.map((r) => el('option', { text: formatRate(r), attrs: { value: String(r) } })));
  rate.value = '1';
  const waitBox = el('input', { attrs: { type: 'checkbox', id: 'ctl-wait' } });
  const waitLabel = el('label', { attrs: { for: 'ctl-wait' } }, [waitBox, ' Wait for everyone']);
  const hostLine = el('span', { className: 'host-line', attrs: { id: 'ctl-host' } });
  const waiting = el('span', { className: 'muted', attrs: { id: 'ctl-waiting' } });
  const element = el('div', { className: 'controls' });
  replaceChildren(element, [playPause, seek, time, rate, waitLabel, hostLine, waiting]);

  let playing = false;
  let dragging = false;
  let duration = 0;

  playPause.addEventListener('click', () => (playing ? actions.pause() : actions.play()));
  seek.addEventListener('input', () => {
    dragging = true;
    time.textContent = `${formatDuration(Number(seek.value))} / ${formatDuration(duration)}`;
  });
  seek.addEventListener('change', () => {
    dragging = false;
    actions.seek(Number(seek.value));
  });
  rate.addEventListener('change', () => actions.rate(Number(rate.value)));
  waitBox.addEventListener('change', () => actions.setWait(waitBox.checked));

  return {
    element,
    setModel(model, wait) {
      for (const c of [playPause, seek, rate, waitBox]) c.disabled = !model.isHost;
      hostLine.textContent = model.hostLine;
      waitBox.checked = wait;
      waiting.textContent = model.waitingFor.length ? `buffering: ${model.waitingFor.join(', ')}` : '';
    },
    setPlayback(p) {
      playing = p.playing;
      playPause.textContent = p.playing ? 'Pause' : 'Play';
      if (document.activeElement !== rate) {
        // A rate outside the menu (the protocol allows 0.25–2) still shows as what it is.
        if (![...rate.options].some((o) => Number(o.value) === p.rate)) rate.append(el('option', { text: formatRate(p.rate), attrs: { value: String(p.rate) } }));
        rate.value = String(p.rate);
      }
      duration = Number.isFinite(p.duration) ? p.duration : 0;
      seek.max = String(duration);
      if (!dragging) {
        seek.value = String(Math.min(p.position, duration));
        time.textContent = `${formatDuration(p.position)} / ${formatDuration(duration)}`;
      }
    },
  };
}
