/** Who is watching: one row per member (name, status), the host marked. Names as plain text. */
import { el, replaceChildren } from '../dom.js';
import { presenceRows, type RoomFacts } from '../room-view-model.js';

export function renderPresence(list: HTMLElement, room: RoomFacts): void {
  replaceChildren(
    list,
    presenceRows(room).map((r) =>
      el('li', { className: `member status-${r.status}`, attrs: { 'data-member-id': r.id, 'data-status': r.status } }, [
        el('span', { className: 'name', text: r.name, attrs: { title: r.name } }),
        r.you && el('span', { className: 'muted', text: ' (you)' }),
        r.host && el('span', { className: 'badge', text: 'host' }),
        el('span', { className: 'state', text: r.label }),
      ]),
    ),
  );
}
