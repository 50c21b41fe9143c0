import { describe, expect, it } from 'vitest';
import type { MeetingService } from '../../../src/core/meetings/meeting-service';
import type { MediaEntry } from '../../../src/core/ports/media-library';
import { videoChoices } from '../../../src/discord/commands/video-choices';
import type { VideoCards } from '../../../src/discord/discord-video-cards';
import { DiscordUpstreamError } from '../../../src/discord/discord-upstream-error';
import { createDispatcher } from '../../../src/discord/interactions/create-dispatcher';
import type { InteractionRequest } from '../../../src/discord/interactions/interaction-request';
import type { HandlerServices } from '../../../src/discord/interactions/interaction-route';
import type { InteractionResponder, Reply } from '../../../src/discord/interactions/reply';
import { mediaInteractionRoutes } from '../../../src/modules/media-module';
import { meetingInteractionRoutes } from '../../../src/modules/meetings-module';
import { captureLogger } from '../../helpers/capture-logger';
import { fakeMediaService, videoEntry } from '../../helpers/fake-media-service';

/** The command routes as the app registers them (the meetings and media modules' lists). */
const interactionRoutes = [...meetingInteractionRoutes, ...mediaInteractionRoutes];

const GUILD = '1200000000000000001';
const OTHER_GUILD = '1200000000000000002';
const CHANNEL = '1300000000000000001';
const SEND = 1n << 11n;
const BOT_OK = (1n << 10n) | (1n << 11n) | (1n << 14n) | (1n << 16n);

const library = { [GUILD]: [videoEntry({ id: '1_waves1', name: 'Waves, week 1' }), videoEntry({ id: '1_waves2', name: '**@everyone** <#1> waves' })], [OTHER_GUILD]: [videoEntry({ id: '1_secret', name: 'Other server’s waves' })] };

function request(over: Partial<InteractionRequest> = {}): InteractionRequest {
  return {
    id: '1700000000000000001', kind: 'command', commandName: 'kaltura', options: new Map(), guildId: GUILD, channelId: CHANNEL, appPermissions: BOT_OK,
    actor: { id: '1500000000000000001', displayName: 'Alice', roleIds: [], permissions: SEND, channelId: CHANNEL }, receivedAt: 0, ...over,
  };
}
const command = (subcommand: string, options: Record<string, string | number>, over: Partial<InteractionRequest> = {}) =>
  request({ subcommand, options: new Map(Object.entries(options)), ...over });
const click = (customId: string, over: Partial<InteractionRequest> = {}) => request({ kind: 'component', customId, ...over });

type Call = ['defer', boolean] | ['reply', Reply] | ['autocomplete', unknown];
function recorder() {
  const calls: Call[] = [];
  const responder: InteractionResponder = {
    defer: async ({ ephemeral }) => void calls.push(['defer', ephemeral]),
    reply: async (r) => void calls.push(['reply', r]),
    autocomplete: async (c) => void calls.push(['autocomplete', c]),
  };
  return { calls, responder, reply: () => (calls.find((c) => c[0] === 'reply')?.[1] as Reply | undefined) };
}

function cardsRecorder(fail?: Error) {
  const posted: { channelId: string; entry: MediaEntry; options: Parameters<VideoCards['post']>[2] }[] = [];
  const cards: VideoCards = {
    async post(channelId, entry, options) {
      if (fail) throw fail;
      posted.push({ channelId, entry, options });
      return '1900000000000000001';
    },
  };
  return { posted, cards };
}

async function run(req: InteractionRequest, services: Partial<HandlerServices>) {
  const rec = recorder();
  const d = createDispatcher({ routes: interactionRoutes, services: { meetings: {} as MeetingService, ...services }, logger: captureLogger().logger });
  await d.dispatch(req, rec.responder);
  return rec;
}

describe('/kaltura search through the dispatcher', () => {
  it('defers ephemerally, then lists this server’s matches with Share and Watch together', async () => {
    const media = fakeMediaService(library);
    const { calls, reply } = await run(command('search', { query: '  waves ', limit: 3 }), { media });
    expect(calls[0]).toEqual(['defer', true]);
    expect(media.calls[0]).toMatchObject({ method: 'search', guildId: GUILD, args: [{ query: 'waves', limit: 3 }] });
    expect(reply()!.ephemeral).toBe(true);
    expect(reply()!.embeds).toHaveLength(2);
    expect(JSON.stringify(reply())).not.toContain('1_secret');
    expect(reply()!.components!.flatMap((r) => r.components.map((b) => ('custom_id' in b ? b.custom_id : '')))).toEqual([
      'kaltura:share:1_waves1', 'kaltura:together:1_waves1', 'kaltura:share:1_waves2', 'kaltura:together:1_waves2',
    ]);
  });

  it('refuses an empty or too long query and an out-of-range limit before asking the library', async () => {
    const media = fakeMediaService(library);
    const cases: Record<string, string | number>[] = [{ query: '   ' }, { query: 'x'.repeat(101) }, { query: 'ok', limit: 6 }, { query: 'ok', limit: 2.5 }, { query: 'ok', limit: 0 }];
    for (const options of cases) {
      const { calls } = await run(command('search', options), { media });
      expect(calls).toHaveLength(1);
      expect((calls[0]![1] as Reply)).toMatchObject({ ephemeral: true });
    }
    expect(media.calls).toEqual([]);
  });

  it('answers "not available" when the bot was built without the video library', async () => {
    const { reply } = await run(command('search', { query: 'waves' }), {});
    expect(reply()).toEqual({ content: 'The video library is not available on this bot.', ephemeral: true });
  });
});

describe('/kaltura share and the Share button', () => {
  it('posts the public card in this channel and confirms ephemerally', async () => {
    const media = fakeMediaService(library);
    const { cards, posted } = cardsRecorder();
    for (const req of [command('share', { entry: '1_waves2' }), click('kaltura:share:1_waves2')]) {
      const { calls, reply } = await run(req, { media, videoCards: cards });
      expect(calls[0]).toEqual(['defer', true]);
      expect(reply()).toMatchObject({ ephemeral: true });
      expect(reply()!.content).toMatch(/^Shared \*\*.*\*\* in this channel/);
      expect(reply()!.content).not.toContain('@everyone');
    }
    expect(media.calls.filter((c) => c.method === 'shareable').map((c) => c.args)).toEqual([['1_waves2', CHANNEL], ['1_waves2', CHANNEL]]); // where the card goes decides what may be shown
    expect(posted).toHaveLength(2);
    expect(posted[0]).toMatchObject({ channelId: CHANNEL, entry: { id: '1_waves2' }, options: { sharedBy: 'Alice', watchTogether: true, nonce: 's1700000000000000001' } });
  });

  it('refuses another server’s video as unknown, posting nothing', async () => {
    const media = fakeMediaService(library);
    const { cards, posted } = cardsRecorder();
    const { reply } = await run(command('share', { entry: '1_secret' }), { media, videoCards: cards });
    expect(reply()).toEqual({ content: 'No such video in this server’s library.', ephemeral: true });
    expect(posted).toEqual([]);
  });

  it('refuses typed text that is not a video, a member who may not post here, and a bot that may not', async () => {
    const media = fakeMediaService(library);
    const { cards, posted } = cardsRecorder();
    const refusals = [
      command('share', { entry: 'waves' }),
      command('share', { entry: '1_waves1' }, { actor: { ...request().actor, permissions: 1n << 10n } }),
      command('share', { entry: '1_waves1' }, { actor: { ...request().actor, permissions: 1n << 10n, timedOut: true } }),
      click('kaltura:share:1_waves1', { appPermissions: 1n << 10n }),
    ];
    const answers: string[] = [];
    for (const req of refusals) {
      const { calls, reply } = await run(req, { media, videoCards: cards });
      expect(calls).toHaveLength(1); // refused without a defer
      answers.push(reply()!.content!);
    }
    expect(answers[0]).toMatch(/Pick a video from the list/);
    expect(answers[1]).toMatch(/cannot send messages in this channel/);
    expect(answers[2]).toMatch(/timed out/);
    expect(answers[3]).toMatch(/missing the \*\*Send Messages, Embed Links and Read Message History\*\* permissions/);
    expect(media.calls).toEqual([]);
    expect(posted).toEqual([]);
  });

  it('turns Discord refusing the post into a clear message', async () => {
    const media = fakeMediaService(library);
    const { cards } = cardsRecorder(new DiscordUpstreamError('Discord refused', false, 50013, 403));
    const { reply } = await run(command('share', { entry: '1_waves1' }), { media, videoCards: cards });
    expect(reply()!.content).toMatch(/Discord did not let me post in this channel/);
  });

  it('suggests this server’s videos while typing, and nothing when the library is too slow', async () => {
    const media = fakeMediaService(library);
    const typing = request({ kind: 'autocomplete', subcommand: 'share', options: new Map([['entry', 'wav']]), focused: { name: 'entry', value: 'wav' } });
    const { calls } = await run(typing, { media });
    expect(calls).toEqual([['autocomplete', [{ name: 'Waves, week 1', value: '1_waves1' }, { name: '**@everyone** <#1> waves', value: '1_waves2' }]]]);
    media.hangAutocomplete = true;
    expect(await videoChoices({ meetings: {} as MeetingService, media }, typing, 20)).toEqual([]);
  });
});

describe('Watch and Watch together buttons', () => {
  it('Watch: defers, then gives a personal link button only the clicker sees', async () => {
    const media = fakeMediaService(library);
    const { calls, reply } = await run(click('kaltura:watch:1_waves1'), { media });
    expect(calls[0]).toEqual(['defer', true]);
    expect(reply()).toMatchObject({ ephemeral: true, components: [{ type: 1, components: [{ type: 2, style: 5, url: 'https://bot.example/v/token-1' }] }] });
    expect(reply()!.content).toMatch(/works once and expires <t:1900000000:R>/);
    const other = await run(click('kaltura:watch:1_secret'), { media });
    expect(other.reply()).toEqual({ content: 'No such video in this server’s library.', ephemeral: true });
  });

  it('Watch together: no defer, the intent recorded, then LAUNCH_ACTIVITY', async () => {
    const media = fakeMediaService(library);
    const order: string[] = [];
    const rec = recorder();
    const d = createDispatcher({ routes: interactionRoutes, services: { meetings: {} as MeetingService, media }, logger: captureLogger().logger });
    await d.dispatch(click('kaltura:together:1_waves1'), { ...rec.responder, reply: async (r) => { order.push(`reply:${media.launches.length}`); await rec.responder.reply(r); } });
    expect(rec.calls).toEqual([['reply', { launchActivity: true }]]);
    expect(order).toEqual(['reply:1']); // remembered before answering
    expect(media.launches).toEqual([{ userId: '1500000000000000001', guildId: GUILD, channelId: CHANNEL, entryId: '1_waves1' }]);
  });

  it('Watch together without the Activity set up: an ephemeral explanation, nothing recorded', async () => {
    const media = fakeMediaService(library, { activityEnabled: false });
    const { calls, reply } = await run(click('kaltura:together:1_waves1'), { media });
    expect(calls).toHaveLength(1);
    expect(reply()).toMatchObject({ ephemeral: true });
    expect(reply()!.content).toMatch(/not set up.*docs\/activity\.md/);
    expect(media.launches).toEqual([]);
  });

  it('a malformed video button is answered as unknown, and never reaches the library', async () => {
    const media = fakeMediaService(library);
    for (const id of ['kaltura:together:1_waves1/../../x', 'kaltura:watch:', 'kaltura:share:DROP TABLE']) {
      const { reply } = await run(click(id), { media });
      expect(reply()!.content).toMatch(/I do not know this command/);
    }
    expect(media.calls).toEqual([]);
  });
});
