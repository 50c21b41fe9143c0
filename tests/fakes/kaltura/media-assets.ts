import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FakeState } from './fake-state';

/**
 * The files behind the fake's delivery routes (media-delivery.ts): every entry with `video`
 * has one READY MP4 flavor; every entry shows the same JPEG thumbnail. The fixtures are
 * committed (tests/fixtures/media/README.md says how they were made).
 */

export const FIXTURE_VIDEO = fileURLToPath(new URL('../../fixtures/media/test-pattern-180s.mp4', import.meta.url));
export const FIXTURE_THUMBNAIL = fileURLToPath(new URL('../../fixtures/media/thumbnail.jpg', import.meta.url));
/** Length of FIXTURE_VIDEO in seconds (ffprobe: duration=180.000000). */
export const FIXTURE_VIDEO_SECONDS = 180;

export function attachVideo(state: FakeState, entryId: string, file: string): void {
  if (!existsSync(file)) throw new Error(`fake Kaltura: no video file at ${file}`);
  // flavor asset ids look like entry ids (`0_` + base36)
  state.flavors.set(entryId, { id: `0_${randomBytes(6).toString('hex')}`, entryId, file });
}
