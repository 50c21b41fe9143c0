import { afterAll, beforeAll } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/index';
import { startFakeKaltura, type FakeKaltura } from '../fakes/kaltura/index';
import { GOOD } from './config-fixtures';

/** A fake Discord (no guilds) and a fake Kaltura for the whole file, for tests that spawn `serve`. */
export function useFakeServices(): { readonly discord: FakeDiscord; readonly kaltura: FakeKaltura } {
  const fakes = {} as { discord: FakeDiscord; kaltura: FakeKaltura };
  beforeAll(async () => {
    fakes.discord = await startFakeDiscord({ applicationId: GOOD.applicationId, token: GOOD.token, guilds: [] });
    fakes.kaltura = await startFakeKaltura({ adminSecret: GOOD.adminSecret });
  });
  afterAll(async () => {
    await fakes.discord.close();
    await fakes.kaltura.close();
  });
  return fakes;
}
