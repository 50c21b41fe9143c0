import type { MediaService } from '../../core/media/media-service';
import type { MeetingService } from '../../core/meetings/meeting-service';
import type { VideoCards } from '../discord-video-cards';
import type { InteractionRequest } from './interaction-request';
import type { AutocompleteChoice, Reply } from './reply';

/** What handlers may use. */
export interface HandlerServices {
  readonly meetings: MeetingService;
  /** The video library (search, share, watch links, Watch together); absent: those commands answer "not available". */
  readonly media?: MediaService;
  /** Posts `/kaltura share`'s public card; absent: sharing answers "not available". */
  readonly videoCards?: VideoCards;
}

export interface HandlerContext {
  readonly request: InteractionRequest;
  readonly services: HandlerServices;
}

/** A check run by the dispatcher before the handler; returns a message to refuse with, or undefined. */
export type Precondition = (request: InteractionRequest) => string | undefined;

/**
 * One thing the bot answers: a (sub)command, a button family, or an autocomplete.
 * `defer` must be set for every handler that may call the network (Kaltura, Discord REST),
 * so Discord's 3-second deadline holds whatever those services do.
 */
export interface InteractionRoute {
  readonly name: string;
  readonly matches: (request: InteractionRequest) => boolean;
  readonly preconditions: readonly Precondition[];
  readonly defer: false | { readonly ephemeral: boolean };
  readonly run?: (ctx: HandlerContext) => Promise<Reply>;
  readonly autocomplete?: (ctx: HandlerContext) => Promise<readonly AutocompleteChoice[]>;
}

export const guildOnly: Precondition = (request) =>
  request.guildId && request.channelId ? undefined : 'This command works in a server channel, not in direct messages.';
