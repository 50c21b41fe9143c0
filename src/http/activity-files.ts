/**
 * The Activity client's files as the routes serve them: E7's build (embedded in the executable, or
 * dist/activity) with the Discord application id filled into index.html once, at start. A missing
 * or broken build does not stop the bot (meetings and videos work without the Activity): it is
 * said once in the log, and `/activity/` answers 503 until the operator rebuilds.
 */
import type { Logger } from '../core/logger';
import { ActivityAssetsError, activityIndexHtml, loadActivityAssets } from './activity-assets';
import type { ActivityFile } from './activity-routes';

export function loadActivityFiles(clientId: string, logger: Logger, options: { readonly dir?: string } = {}): ReadonlyMap<string, ActivityFile> | { readonly missing: string } {
  try {
    const assets = loadActivityAssets(options);
    const index = assets.get('index.html');
    if (!index) throw new ActivityAssetsError('the Activity client build has no index.html; rebuild it (npm run build)');
    const files = new Map<string, ActivityFile>(assets);
    files.set('index.html', { ...index, body: activityIndexHtml(index, clientId) });
    return files;
  } catch (err) {
    // an unreadable build (permissions, a folder where a file should be) must not stop the bot either
    const reason = err instanceof ActivityAssetsError
      ? err.message
      : `the Activity client could not be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); check the files' permissions or rebuild it (npm run build)`;
    logger.warn({ reason }, `Watch together is unavailable: ${reason}`);
    return { missing: reason };
  }
}
