import { once } from 'node:events';
import { Client, Events, GatewayIntentBits, type ClientOptions } from 'discord.js';
import type { FakeDiscord } from './types';

/** A real discord.js Client logged in to a fake Discord, with its `error` events collected. */

export interface TestClient {
  client: Client<true>;
  /** Client `error` events (an unhandled one would kill the test process; reference §5.7). */
  errors: Error[];
  destroy(): Promise<void>;
}

export async function loginTestClient(discord: FakeDiscord, options: Partial<ClientOptions> = {}): Promise<TestClient> {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], ...options, rest: { ...options.rest, api: discord.apiBaseUrl } });
  const errors: Error[] = [];
  client.on(Events.Error, (error) => errors.push(error));
  const ready = once(client, Events.ClientReady);
  try {
    await client.login(discord.token);
    await ready;
  } catch (error) {
    await client.destroy();
    throw error;
  }
  return { client: client as Client<true>, errors, destroy: () => client.destroy() };
}
