import { randomBytes } from 'node:crypto';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { ApplicationFlags, GatewayReadyDispatchData } from 'discord-api-types/v10';
import { guildChannels } from './app-routes';
import type { FakeState, GatewayPort } from './fake-state';
import { toGuildCreate } from './guild-objects';
import { asNumber, asObject, asString, isObject } from './json-value';
import type { GatewayLog, IdentifyRecord, ResumeRecord } from './types';

/**
 * The gateway half of the fake: JSON frames over `ws`, no compression (reference §5.3, §5.5).
 * One session at a time receives dispatches; its frames are kept so a RESUME replays what the bot
 * missed while disconnected, as Discord does.
 * @see https://discord.com/developers/docs/events/gateway
 */

interface Frame {
  op: number;
  d: unknown;
  s: number | null;
  t: string | null;
}

interface Session {
  id: string;
  seq: number;
  intents: number;
  frames: Frame[];
  socket?: WebSocket;
}

export interface RunningGateway extends GatewayPort {
  url: string;
  log: GatewayLog;
  waitFor(kind: 'identify', count: number, timeoutMs: number): Promise<IdentifyRecord>;
  waitFor(kind: 'resume', count: number, timeoutMs: number): Promise<ResumeRecord>;
  drop(code?: number): void;
  sendOp(op: 7 | 9, d: unknown): void;
  close(): Promise<void>;
}

const MAX_KEPT_FRAMES = 1000;
const PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15);

export function startGateway(state: FakeState): Promise<RunningGateway> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  // Attached before any await: 'listening' can fire before a later listener is added (reference §5.8).
  const listening = new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  const sessions = new Map<string, Session>();
  let current: Session | undefined;
  const identifies: IdentifyRecord[] = [];
  const resumes: ResumeRecord[] = [];
  const received: GatewayLog['received'][number][] = [];
  const counters = { connections: 0, heartbeats: 0 };
  const waiters = new Set<() => void>();
  const notify = () => [...waiters].forEach((w) => w());

  const send = (socket: WebSocket | undefined, frame: Frame) => {
    if (socket && socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
  };

  function dispatch(session: Session, t: string, d: unknown): void {
    const frame: Frame = { op: 0, t, s: ++session.seq, d };
    session.frames.push(frame);
    if (session.frames.length > MAX_KEPT_FRAMES) session.frames.shift();
    send(session.socket, frame);
  }

  function identify(socket: WebSocket, d: Record<string, unknown>): Session | undefined {
    if (asString(d.token) !== state.token) {
      socket.close(4004, 'Authentication failed.');
      return undefined;
    }
    const intents = asNumber(d.intents);
    if (intents === undefined || !Number.isInteger(intents) || intents < 0) {
      socket.close(4013, 'Invalid intent(s).');
      return undefined;
    }
    if (intents & PRIVILEGED_INTENTS & ~state.settings.privilegedIntents) {
      socket.close(4014, 'Disallowed intent(s).');
      return undefined;
    }
    const shardValue = Array.isArray(d.shard) ? d.shard.map(Number) : [0, 1];
    const shard: [number, number] = [shardValue[0] ?? 0, shardValue[1] ?? 1];
    const session: Session = { id: randomBytes(16).toString('hex'), seq: 0, intents, frames: [], socket };
    sessions.set(session.id, session);
    current = session;
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: state.botUser,
      guilds: [...state.guilds.keys()].map((id) => ({ id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: state.gatewayUrl,
      shard,
      application: { id: state.applicationId, flags: 0 as ApplicationFlags, flags_new: '0' },
    };
    dispatch(session, 'READY', ready);
    for (const guild of state.guilds.values()) {
      const memberCount = [...state.members.keys()].filter((k) => k.startsWith(`${guild.id}:`)).length + 1;
      dispatch(session, 'GUILD_CREATE', toGuildCreate(guild, guildChannels(state, guild.id), memberCount));
    }
    identifies.push({ sessionId: session.id, intents, shard, properties: d.properties ?? null, at: state.now() });
    notify();
    return session;
  }

  function resume(socket: WebSocket, d: Record<string, unknown>): Session | undefined {
    const session = sessions.get(asString(d.session_id) ?? '');
    if (!session || asString(d.token) !== state.token) {
      send(socket, { op: 9, d: false, s: null, t: null });
      return undefined;
    }
    if (session.socket && session.socket !== socket) session.socket.terminate();
    session.socket = socket;
    current = session;
    const seq = asNumber(d.seq) ?? 0;
    const missed = session.frames.filter((f) => (f.s ?? 0) > seq);
    for (const frame of missed) send(socket, frame);
    dispatch(session, 'RESUMED', null);
    resumes.push({ sessionId: session.id, seq, replayed: missed.length, at: state.now() });
    notify();
    return session;
  }

  wss.on('connection', (socket) => {
    counters.connections++;
    let session: Session | undefined;
    send(socket, { op: 10, d: { heartbeat_interval: state.settings.heartbeatIntervalMs }, s: null, t: null });
    socket.on('message', (raw: RawData) => {
      let frame: Record<string, unknown>;
      try {
        frame = asObject(JSON.parse(raw.toString()));
      } catch {
        socket.close(4002, 'Error while decoding payload.');
        return;
      }
      const op = Number(frame.op);
      const d = isObject(frame.d) ? frame.d : {};
      received.push({ op, d: frame.d, at: state.now() });
      if (op === 1) {
        counters.heartbeats++;
        send(socket, { op: 11, d: null, s: null, t: null });
      } else if (op === 2) {
        if (session) socket.close(4005, 'Already authenticated.');
        else session = identify(socket, d);
      } else if (op === 6) {
        session = resume(socket, d);
      } else if (![3, 4, 8].includes(op)) {
        socket.close(4001, 'Unknown opcode.');
      } else if (!session) {
        socket.close(4003, 'Not authenticated.');
      }
    });
    socket.on('close', () => {
      if (session?.socket === socket) delete session.socket;
    });
    socket.on('error', () => undefined);
  });

  return listening.then(() => {
    const address = wss.address();
    if (address === null || typeof address === 'string') throw new Error('fake Discord: unexpected gateway address');
    return {
      url: `ws://127.0.0.1:${address.port}`,
      log: {
        identifies,
        resumes,
        received,
        get connections() {
          return counters.connections;
        },
        get heartbeats() {
          return counters.heartbeats;
        },
      },
      dispatch: (t, d) => {
        if (!current) throw new Error('fake Discord: no bot has identified on the gateway yet (await discord.waitForIdentify())');
        dispatch(current, t, d);
      },
      hasIntent: (bit) => current !== undefined && (current.intents & bit) !== 0,
      waitFor: ((kind: 'identify' | 'resume', count: number, timeoutMs: number) =>
        new Promise((resolve, reject) => {
          const list: readonly (IdentifyRecord | ResumeRecord)[] = kind === 'identify' ? identifies : resumes;
          const check = () => {
            if (list.length < count) return;
            done();
            resolve(list[count - 1] as IdentifyRecord & ResumeRecord);
          };
          const timer = setTimeout(() => {
            done();
            reject(new Error(`fake Discord: no ${kind} #${count} within ${timeoutMs} ms (saw ${list.length})`));
          }, timeoutMs).unref();
          const done = () => {
            clearTimeout(timer);
            waiters.delete(check);
          };
          waiters.add(check);
          check();
        })) as RunningGateway['waitFor'],
      drop: (code) => {
        const socket = current?.socket;
        if (!socket) throw new Error('fake Discord: no connected gateway session to drop');
        if (code === undefined) socket.terminate();
        else socket.close(code, 'Dropped by the test');
      },
      sendOp: (op, d) => send(current?.socket, { op, d, s: null, t: null }),
      close: () =>
        new Promise<void>((resolve) => {
          for (const socket of wss.clients) socket.terminate();
          wss.close(() => resolve());
        }),
    };
  });
}
