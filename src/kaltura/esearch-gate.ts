/**
 * Whether to try eSearch: always on `esearch`, never on `list`, and on `auto` until the
 * account turns out not to have it (then every search uses `media.list` from that moment on).
 * Shared by the library-wide and the per-category search so one refusal switches both.
 */
import type { SearchMode } from '../config/config-types';
import type { Logger } from '../core/logger';
import { isApiError } from './errors';

/** Answers meaning "this account has no eSearch" (plugin missing or not permitted). */
const ESEARCH_UNAVAILABLE = ['SERVICE_FORBIDDEN', 'SERVICE_DOES_NOT_EXISTS', 'FEATURE_FORBIDDEN', 'ACTION_DOES_NOT_EXISTS'];

export interface EsearchGate {
  usable(): boolean;
  /** Rethrows `err` unless it means "no eSearch here" on `auto`; then remembers that and returns. */
  fellBack(err: unknown): void;
}

export function createEsearchGate(mode: SearchMode, logger: Logger): EsearchGate {
  let unavailable = mode === 'list';
  return {
    usable: () => !unavailable,
    fellBack(err) {
      if (mode !== 'auto' || !isApiError(err, ...ESEARCH_UNAVAILABLE)) throw err;
      if (!unavailable) logger.info({ code: err.code }, 'eSearch is not available on this account; searching with media.list from now on');
      unavailable = true;
    },
  };
}
