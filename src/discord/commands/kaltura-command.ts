import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { adminCommand } from './admin-command';

/**
 * `/kaltura` as registered with Discord. Numeric literals are Discord's enum values
 * (option types: 1 subcommand, 3 string, 4 integer, 5 boolean; contexts 0 = guild;
 * integration types 0 = guild install), kept literal so this module loads without discord.js.
 * @see https://discord.com/developers/docs/interactions/application-commands
 */
export const kalturaCommand = {
  name: 'kaltura',
  description: 'Kaltura meetings, webinars, virtual classrooms and videos',
  type: 1,
  contexts: [0],
  integration_types: [0],
  options: [
    {
      type: 1,
      name: 'start',
      description: 'Start a live session in this channel',
      options: [
        { type: 3, name: 'title', description: 'Title shown on the meeting card and in Kaltura', required: true, min_length: 1, max_length: 100 },
        {
          type: 3,
          name: 'type',
          description: 'Kind of session (default: the server default)',
          choices: [
            { name: 'Meeting: everyone can talk', value: 'meeting' },
            { name: 'Webinar: presenters and an audience', value: 'webinar' },
            { name: 'Virtual classroom', value: 'classroom' },
          ],
        },
        { type: 3, name: 'description', description: 'What it is about', max_length: 1000 },
        { type: 4, name: 'duration', description: 'Scheduled length in minutes (1 to 1440)', min_value: 1, max_value: 1440 },
        { type: 5, name: 'record', description: 'Record the session' },
      ],
    },
    {
      type: 1,
      name: 'join',
      description: 'Get your personal link to a live session',
      options: [{ type: 3, name: 'meeting', description: 'Which session', required: true, autocomplete: true }],
    },
    { type: 1, name: 'list', description: 'Live sessions in this server' },
    {
      type: 1,
      name: 'end',
      description: 'End a live session (host or moderators)',
      options: [{ type: 3, name: 'meeting', description: 'Which session', required: true, autocomplete: true }],
    },
    {
      type: 1,
      name: 'search',
      description: 'Search this server’s video library (only you see the results)',
      options: [
        { type: 3, name: 'query', description: 'Words from the title, description or tags', required: true, min_length: 1, max_length: 100 },
        { type: 4, name: 'limit', description: 'How many videos to show (1 to 5, default 5)', min_value: 1, max_value: 5 },
      ],
    },
    {
      type: 1,
      name: 'share',
      description: 'Post a video from this server’s library in this channel',
      options: [{ type: 3, name: 'entry', description: 'Which video (type to search)', required: true, autocomplete: true, max_length: 100 }],
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

/** Every command this bot registers, in order. */
export const commandDefinitions: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[] = [kalturaCommand, adminCommand];
