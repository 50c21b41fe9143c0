/**
 * Live meetings of this server. An Activity cannot use the microphone or camera (Discord's proxy
 * carries no WebRTC, discord-api.md §7.2), so each meeting opens in the member's browser with a
 * fresh personal join link (POST api/meetings/:id/link → sdk.commands.openExternalLink).
 */
import type { Api, LiveMeeting } from '../api-client.js';
import { el, replaceChildren } from '../dom.js';

export interface MeetingsView {
  refresh(): Promise<void>;
}

export interface MeetingsDeps {
  readonly api: Api;
  /** sdk.commands.openExternalLink; resolves false when the member declined Discord's "leaving Discord" prompt. */
  readonly openExternal: (url: string) => Promise<boolean>;
}

function startedText(m: LiveMeeting): string {
  if (typeof m.startedAt !== 'number' || !Number.isFinite(m.startedAt)) return m.kind;
  const minutes = Math.max(0, Math.round((Date.now() - m.startedAt) / 60_000));
  return `${m.kind} · started ${minutes < 1 ? 'just now' : `${minutes} min ago`}`;
}

export function createMeetingsView(root: HTMLElement, deps: MeetingsDeps): MeetingsView {
  const refreshButton = el('button', { text: 'Refresh', attrs: { type: 'button', id: 'meetings-refresh' } });
  const note = el('p', { className: 'muted', text: 'Meetings use your camera and microphone, which an Activity cannot: they open in your browser.' });
  const message = el('p', { className: 'message', attrs: { role: 'status', id: 'meetings-message' } });
  const list = el('ul', { className: 'meetings', attrs: { id: 'meetings-list' } });
  replaceChildren(root, [el('div', { className: 'row' }, [refreshButton]), note, message, list]);

  async function open(m: LiveMeeting, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    message.textContent = `Opening “${m.title}”…`;
    try {
      const { url } = await deps.api.meetingLink(m.id);
      const opened = await deps.openExternal(url);
      message.textContent = opened ? `“${m.title}” opened in your browser.` : 'Opening the browser was cancelled.';
    } catch (err) {
      message.textContent = err instanceof Error && err.message ? err.message : 'The meeting could not be opened.';
    } finally {
      button.disabled = false;
    }
  }

  function row(m: LiveMeeting): HTMLLIElement {
    const button = el('button', { text: 'Open in browser', attrs: { type: 'button', 'data-meeting-id': m.id } });
    button.addEventListener('click', () => void open(m, button));
    return el('li', {}, [el('span', { className: 'title', text: m.title }), el('span', { className: 'muted', text: startedText(m) }), button]);
  }

  async function refresh(): Promise<void> {
    message.textContent = 'Loading…';
    try {
      const { meetings } = await deps.api.meetings();
      replaceChildren(list, meetings.map(row));
      message.textContent = meetings.length === 0 ? 'No live meetings in this server right now.' : '';
    } catch (err) {
      replaceChildren(list, []);
      message.textContent = err instanceof Error && err.message ? err.message : 'The meetings could not be loaded.';
    }
  }
  refreshButton.addEventListener('click', () => void refresh());
  return { refresh };
}
