import { describe, expect, it } from 'vitest';
import type { MeetingService } from '../../../src/core/meetings/meeting-service';
import { UserError } from '../../../src/core/user-error';
import { createDispatcher } from '../../../src/discord/interactions/create-dispatcher';
import type { InteractionRequest } from '../../../src/discord/interactions/interaction-request';
import { guildOnly, type InteractionRoute } from '../../../src/discord/interactions/interaction-route';
import type { InteractionResponder, Reply } from '../../../src/discord/interactions/reply';
import { captureLogger } from '../../helpers/capture-logger';

function request(over: Partial<InteractionRequest> = {}): InteractionRequest {
  return {
    id: '1700000000000000001', kind: 'command', commandName: 'kaltura', subcommand: 'start', options: new Map(),
    guildId: '1200000000000000001', channelId: '1300000000000000001',
    actor: { id: '1500000000000000001', displayName: 'Alice', roleIds: [], permissions: 0n }, receivedAt: 0, ...over,
  };
}

function recorder() {
  const calls: (['defer', boolean] | ['reply', Reply] | ['autocomplete', unknown])[] = [];
  const responder: InteractionResponder = {
    defer: async ({ ephemeral }) => void calls.push(['defer', ephemeral]),
    reply: async (r) => void calls.push(['reply', r]),
    autocomplete: async (c) => void calls.push(['autocomplete', c]),
  };
  return { calls, responder };
}

const services = { meetings: {} as MeetingService };
const route = (over: Partial<InteractionRoute>): InteractionRoute => ({
  name: 'test', matches: () => true, preconditions: [guildOnly], defer: { ephemeral: true }, run: async () => ({ content: 'done', ephemeral: true }), ...over,
});

describe('the interaction dispatcher', () => {
  it('defers before running a handler that may call the network, then edits in the reply', async () => {
    const order: string[] = [];
    const { calls, responder } = recorder();
    const d = createDispatcher({
      routes: [route({ run: async () => { order.push('run'); return { content: 'ok' }; } })],
      services, logger: captureLogger().logger,
    });
    const deferThenRun: InteractionResponder = { ...responder, defer: async (o) => { order.push('defer'); await responder.defer(o); } };
    await d.dispatch(request(), deferThenRun);
    expect(order).toEqual(['defer', 'run']);
    expect(calls).toEqual([['defer', true], ['reply', { content: 'ok' }]]);
  });

  it('refuses through a precondition without running the handler', async () => {
    const { calls, responder } = recorder();
    let ran = false;
    const d = createDispatcher({ routes: [route({ run: async () => { ran = true; return {}; } })], services, logger: captureLogger().logger });
    await d.dispatch(request({ guildId: undefined }), responder);
    expect(ran).toBe(false);
    expect(calls).toEqual([['reply', { content: 'This command works in a server channel, not in direct messages.', ephemeral: true }]]);
  });

  it('shows a UserError message as is, ephemerally', async () => {
    const { calls, responder } = recorder();
    const d = createDispatcher({ routes: [route({ run: async () => { throw new UserError('meeting.ended', 'This meeting has ended.'); } })], services, logger: captureLogger().logger });
    await d.dispatch(request(), responder);
    expect(calls.at(-1)).toEqual(['reply', { content: 'This meeting has ended.', ephemeral: true }]);
  });

  it('answers an unexpected error with an apology and a reference that is in the log, never the error text', async () => {
    const { calls, responder } = recorder();
    const cap = captureLogger();
    const d = createDispatcher({ routes: [route({ run: async () => { throw new Error('SQLITE_BUSY: internal detail'); } })], services, logger: cap.logger });
    await d.dispatch(request(), responder);
    const reply = calls.at(-1)![1] as Reply;
    expect(reply.content).not.toContain('SQLITE_BUSY');
    const ref = /`([0-9a-f]{8})`/.exec(reply.content!)![1];
    const logged = cap.lines.find((l) => l.ref === ref);
    expect(logged).toMatchObject({ msg: 'interaction handler failed', route: 'test' });
    expect(JSON.stringify(logged)).toContain('SQLITE_BUSY');
  });

  it('answers autocomplete with at most 25 choices, and with none when the handler fails', async () => {
    const { calls, responder } = recorder();
    const many = Array.from({ length: 40 }, (_, i) => ({ name: `m${i}`, value: `v${i}` }));
    const d = createDispatcher({ routes: [route({ autocomplete: async () => many })], services, logger: captureLogger().logger });
    await d.dispatch(request({ kind: 'autocomplete', focused: { name: 'meeting', value: '' } }), responder);
    expect((calls[0]![1] as unknown[]).length).toBe(25);
    const failing = recorder();
    const d2 = createDispatcher({ routes: [route({ autocomplete: async () => { throw new Error('boom'); } })], services, logger: captureLogger().logger });
    await d2.dispatch(request({ kind: 'autocomplete' }), failing.responder);
    expect(failing.calls).toEqual([['autocomplete', []]]);
  });

  it('tells the member about a command this release does not know', async () => {
    const { calls, responder } = recorder();
    const d = createDispatcher({ routes: [route({ matches: () => false })], services, logger: captureLogger().logger });
    await d.dispatch(request({ commandName: 'old' }), responder);
    expect((calls[0]![1] as Reply).content).toMatch(/register-commands/);
  });
});
