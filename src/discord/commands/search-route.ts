import { integerOption, stringOption } from '../interactions/interaction-request';
import { guildOnly, type InteractionRoute, type Precondition } from '../interactions/interaction-route';
import { MAX_RESULTS, toSearchResults } from '../render/search-results';
import { mediaOf } from './media-of';

export const MAX_QUERY_LENGTH = 100;

/** Discord enforces the option limits for its own clients; the payload is input all the same. */
const validSearch: Precondition = (request) => {
  const query = stringOption(request, 'query')?.trim() ?? '';
  if (query.length < 1 || query.length > MAX_QUERY_LENGTH) return `Type between 1 and ${MAX_QUERY_LENGTH} characters to search for.`;
  const limit = request.options.get('limit');
  if (limit !== undefined && (integerOption(request, 'limit') === undefined || (limit as number) < 1 || (limit as number) > MAX_RESULTS)) {
    return `\`limit\` is a whole number from 1 to ${MAX_RESULTS}.`;
  }
  return undefined;
};

/**
 * `/kaltura search`: this server's videos matching the words, only for the member who asked
 * (ephemeral), each with Share and Watch together. The library is Kaltura: defer first.
 */
export const searchRoute: InteractionRoute = {
  name: 'kaltura search',
  matches: (r) => r.kind === 'command' && r.commandName === 'kaltura' && r.subcommand === 'search',
  preconditions: [guildOnly, validSearch],
  defer: { ephemeral: true },
  async run({ request, services }) {
    const media = mediaOf(services);
    const query = stringOption(request, 'query')!.trim();
    const limit = integerOption(request, 'limit') ?? MAX_RESULTS;
    const answer = await media.search(request.actor, request.guildId!, { query, limit });
    return toSearchResults(query, { entries: answer.entries.slice(0, limit), totalCount: answer.totalCount }, { watchTogether: media.activityEnabled });
  },
};
