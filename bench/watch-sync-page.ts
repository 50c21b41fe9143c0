/**
 * The benchmark's minimal Watch Together page (browser entry, bundled by watch-sync-server.ts):
 * a muted <video> on the fixture and the real sync client (src/activity-client/sync/) talking to
 * the real rooms. Used when the full Activity stack is not measured: same engine, no Discord frame.
 *   /?user=<id>&instance=<id>&mode=synced|naive&skew=<ms>
 */
import { createSyncClient, kdWatchHook } from '../src/activity-client/sync/sync-client.js';
import { browserEnv, type MediaLike } from '../src/activity-client/sync/sync-env.js';

// The repository's typecheck of bench/ has no DOM lib (node code); the little DOM used here is typed by hand.
interface VideoElement extends MediaLike { muted: boolean; preload: string; playsInline: boolean; src: string }
const { location, document } = globalThis as unknown as {
  location: { search: string; href: string };
  document: { createElement(tag: 'video'): VideoElement; body: { append(el: VideoElement): void } };
};

const q = new URLSearchParams(location.search);
const user = q.get('user') ?? 'anon';
const instance = q.get('instance') ?? 'bench';
const mode = q.get('mode') === 'naive' ? 'naive' : 'synced';
/** A device whose clock is off by this many ms (phones and laptops often are): the engine must not care. */
const skewMs = Number(q.get('skew') ?? 0) || 0;
const real = browserEnv();
const env = { ...real, now: () => real.now() + skewMs };
const video = document.createElement('video');
video.muted = true;
video.preload = 'auto';
video.playsInline = true;
video.src = '/video.mp4';
document.body.append(video);

const url = new URL(`ws?u=${encodeURIComponent(user)}&i=${encodeURIComponent(instance)}`, location.href);
url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
const client = createSyncClient({ url: url.href, session: () => `bench-${user}`, media: video, mode, env });
client.start();
(globalThis as unknown as { kdWatch: unknown }).kdWatch = kdWatchHook(client);
