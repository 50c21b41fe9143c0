import { categoryRootPath, createGuildCategories } from '../core/categories/create-guild-categories';
import type { GuildCategories } from '../core/ports/guild-categories';
import { createGuildSettings, type GuildSettings } from '../core/settings/create-guild-settings';
import { adminSettingsRoutes } from '../discord/commands/admin-settings-routes';
import type { AppContext } from './app-context';
import type { FeatureModule } from './feature-module';

export interface SettingsServices {
  /** Per-server settings over the YAML defaults: the one source of the meeting and notification policies. */
  readonly settings: GuildSettings;
  /** Each server's Kaltura category (the admin's setting, else found or created under the root). */
  readonly categories: GuildCategories;
}

/** `/kaltura-admin settings …` and `audit`, the settings they change, and each server's Kaltura category. */
export async function createSettingsModule(ctx: AppContext): Promise<FeatureModule<SettingsServices>> {
  const { config, clock, store } = ctx;
  const settings = createGuildSettings({ store, defaults: config.defaults, clock, changes: ctx.changes, logger: ctx.logger.child({ component: 'settings' }) });
  const categories = createGuildCategories({
    directory: ctx.kaltura.categories,
    store,
    rootPath: categoryRootPath(config.kaltura.categoryRoot ?? 'kaltura-discord'),
    settingFor: async (guildId) => (await settings.get(guildId, 'kaltura.categoryId')).value as number | undefined,
    clock,
    logger: ctx.logger.child({ component: 'categories' }),
  });
  return {
    name: 'settings',
    services: { settings, categories },
    interactionRoutes: adminSettingsRoutes(settings, categories, ctx.botChannels),
    httpRoutes: [],
    // Not a timer: stopping it stops listening to other instances' invalidations.
    jobs: [{ name: 'settings-cache', leaderOnly: false, start: () => undefined, stop: async () => settings.close() }],
  };
}
