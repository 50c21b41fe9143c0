import { randomBytes } from 'node:crypto';
import type { Logger } from '../../core/logger';
import { UserError } from '../../core/user-error';
import type { InteractionRequest } from './interaction-request';
import type { HandlerServices, InteractionRoute } from './interaction-route';
import type { InteractionResponder, Reply } from './reply';

export interface Dispatcher {
  /** Answers one interaction; never throws (every failure becomes a reply or a log line). */
  dispatch(request: InteractionRequest, responder: InteractionResponder): Promise<void>;
}

export interface DispatchObserver {
  /** Called once the interaction is acknowledged (deferred or answered), for latency metrics. */
  acknowledged?(route: string, request: InteractionRequest, at: number): void;
  finished?(route: string, outcome: 'ok' | 'refused' | 'user-error' | 'error'): void;
}

const apology = (ref: string) =>
  `Something went wrong on my side, sorry. Please try again in a moment; if it keeps happening, give a server admin this reference: \`${ref}\`.`;

/**
 * The one place that owns acknowledgement, replies and error rendering (STYLE §5–6):
 * find the route, run its preconditions, defer before any network call, run the handler,
 * and turn every error into a clear ephemeral reply — a UserError shows its message,
 * anything else an apology with a reference id that is also in the log.
 */
export function createDispatcher(options: {
  routes: readonly InteractionRoute[];
  services: HandlerServices;
  logger: Logger;
  observer?: DispatchObserver;
  now?: () => number;
}): Dispatcher {
  const { routes, services, logger, observer } = options;
  const now = options.now ?? Date.now;

  return {
    async dispatch(request, responder) {
      const route = routes.find((r) => r.matches(request));
      const name = route?.name ?? 'unknown';
      const log = logger.child({ interaction: request.id, route: name, user: request.actor.id, guild: request.guildId });
      let acknowledged = false;
      const ack = () => {
        if (!acknowledged) observer?.acknowledged?.(name, request, now());
        acknowledged = true;
      };
      const send = async (reply: Reply) => {
        await responder.reply(reply);
        ack();
      };
      try {
        if (!route) {
          log.warn('no handler for interaction');
          if (request.kind === 'autocomplete') return void (await responder.autocomplete([]));
          return void (await send({ content: 'I do not know this command any more; it may have been removed. Ask an admin to run `kaltura-discord register-commands`.', ephemeral: true }));
        }
        if (request.kind === 'autocomplete') {
          const choices = route.autocomplete && !route.preconditions.some((p) => p(request)) ? await route.autocomplete({ request, services }) : [];
          await responder.autocomplete(choices.slice(0, 25));
          ack();
          return;
        }
        const refusal = route.preconditions.map((p) => p(request)).find((m) => m !== undefined);
        if (refusal) {
          observer?.finished?.(name, 'refused');
          return void (await send({ content: refusal, ephemeral: true }));
        }
        if (route.defer) {
          await responder.defer(route.defer);
          ack();
        }
        const reply = await route.run!({ request, services });
        await send(reply);
        observer?.finished?.(name, 'ok');
      } catch (err) {
        const userFacing = err instanceof UserError;
        const ref = randomBytes(4).toString('hex');
        if (userFacing) log.info({ error: err.id }, 'refused with a user error');
        else log.error({ err, ref }, 'interaction handler failed');
        observer?.finished?.(name, userFacing ? 'user-error' : 'error');
        try {
          if (request.kind === 'autocomplete') await responder.autocomplete([]);
          else await send({ content: userFacing ? err.message : apology(ref), ephemeral: true });
        } catch (replyErr) {
          log.warn({ err: replyErr }, 'could not tell the member about the failure');
        }
      }
    },
  };
}
