/**
 * The feature module factories, in one module so the composition root loads them (and, through
 * them, discord.js and kaltura-client) with one lazy import.
 */
export { createMetricsModule } from './metrics-module';
export { createSettingsModule } from './settings-module';
export { createNotificationsModule } from './notifications-module';
export { createMeetingsModule } from './meetings-module';
export { createMediaModule } from './media-module';
export { createStatusModule } from './status-module';
