/**
 * The library: a search box over this server's Kaltura category (GET api/library) and result
 * tiles. Clicking a tile is the host's "load this for everyone"; others can browse but not pick.
 */
import type { Api, LibraryEntry } from '../api-client.js';
import { el, replaceChildren } from '../dom.js';
import { formatDuration } from '../format.js';

export interface LibraryView {
  /** Whether this member may pick (host) and who may (shown to the others). */
  setHost(isHost: boolean, hostLine: string): void;
  /** Runs the first search (all videos) once the session exists. */
  start(): void;
}

const DEBOUNCE_MS = 300;

export function createLibraryView(root: HTMLElement, deps: { readonly api: Api; readonly onPick: (entry: LibraryEntry) => void }): LibraryView {
  const input = el('input', { attrs: { type: 'search', placeholder: 'Search this server’s videos', 'aria-label': 'Search videos', maxlength: '100', id: 'library-search' } });
  const hint = el('p', { className: 'muted', attrs: { id: 'library-hint' } });
  const message = el('p', { className: 'message', attrs: { role: 'status', id: 'library-message' } });
  const grid = el('ul', { className: 'tiles', attrs: { id: 'library-results' } });
  replaceChildren(root, [el('div', { className: 'search' }, [input]), hint, message, grid]);

  let host = false;
  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  function thumbnail(url: string | undefined): HTMLElement {
    if (!url) return el('div', { className: 'thumb-missing' });
    const img = el('img', { attrs: { src: url, alt: '', loading: 'lazy', width: '240', height: '135' } });
    // A thumbnail that cannot load (unmapped host, deleted entry) leaves a plain frame, not a broken-image icon.
    img.addEventListener('error', () => img.replaceWith(el('div', { className: 'thumb-missing' })), { once: true });
    return img;
  }

  function tile(entry: LibraryEntry): HTMLLIElement {
    const button = el('button', { className: 'tile', attrs: { type: 'button', 'data-entry-id': entry.id } }, [
      thumbnail(entry.thumbnailUrl),
      el('span', { className: 'title', text: entry.name }),
      el('span', { className: 'duration', text: formatDuration(entry.durationSeconds) }),
    ]);
    button.disabled = !host;
    button.title = host ? `Watch “${entry.name}” together` : entry.name;
    button.addEventListener('click', () => {
      if (host) deps.onPick(entry);
    });
    return el('li', {}, [button]);
  }

  async function search(query: string): Promise<void> {
    const mine = ++generation;
    message.textContent = 'Searching…';
    try {
      const { entries, totalCount } = await deps.api.library(query);
      if (mine !== generation) return; // a newer search is on its way
      replaceChildren(grid, entries.map(tile));
      message.textContent = entries.length === 0
        ? query ? `No videos match “${query}”.` : 'This server’s library has no videos yet.'
        : totalCount > entries.length ? `Showing ${entries.length} of ${totalCount}.` : '';
    } catch (err) {
      if (mine !== generation) return;
      replaceChildren(grid, []);
      message.textContent = err instanceof Error ? err.message : 'The search failed.';
    }
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void search(input.value.trim()), DEBOUNCE_MS);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    clearTimeout(timer);
    void search(input.value.trim());
  });

  return {
    setHost(isHost, hostLine) {
      host = isHost;
      hint.textContent = isHost ? 'Pick a video to play it for everyone.' : hostLine.startsWith('host: (') ? 'Joining the watch party…' : `Only the host picks the video (${hostLine}).`;
      for (const b of grid.querySelectorAll('button')) b.disabled = !isHost;
    },
    start: () => void search(''),
  };
}
