import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord-api-types/v10';

/**
 * `/kaltura-admin` as registered with Discord: per-server settings, their audit trail, and a health view.
 * Hidden from members without Manage Server (`default_member_permissions` "32" = 1 << 5);
 * the handlers check it again, because server admins can override who sees a command.
 * Option types: 1 subcommand, 2 subcommand group, 3 string, 4 integer, 7 channel, 8 role;
 * channel types 0 text, 5 announcement. Subcommand names are unique across groups, because the
 * interaction request carries the subcommand name only.
 * @see https://discord.com/developers/docs/interactions/application-commands#permissions
 */
export const adminCommand = {
  name: 'kaltura-admin',
  description: "Kaltura settings for this server (Manage Server)",
  type: 1,
  contexts: [0],
  integration_types: [0],
  default_member_permissions: '32',
  options: [
    {
      type: 2,
      name: 'settings',
      description: "View and change this server's Kaltura settings",
      options: [
        { type: 1, name: 'view', description: 'Every setting, its value, and whether this server or the default sets it' },
        {
          type: 1,
          name: 'set',
          description: 'Change a setting typed as text: a number, on/off, a choice or a template',
          options: [
            { type: 3, name: 'key', description: 'Which setting', required: true, autocomplete: true, max_length: 100 },
            { type: 3, name: 'value', description: 'The new value (see /kaltura-admin settings view)', required: true, max_length: 1800 },
          ],
        },
        {
          type: 1,
          name: 'set-role',
          description: 'Add a role to (or remove one from) a role list, e.g. the moderator roles',
          options: [
            { type: 3, name: 'key', description: 'Which role list', required: true, autocomplete: true, max_length: 100 },
            { type: 8, name: 'role', description: 'The role', required: true },
            { type: 3, name: 'action', description: 'Add (default) or remove', choices: [{ name: 'add', value: 'add' }, { name: 'remove', value: 'remove' }] },
          ],
        },
        {
          type: 1,
          name: 'set-channel',
          description: 'Choose the channel a notification is posted in',
          options: [
            { type: 3, name: 'key', description: 'Which notification channel', required: true, autocomplete: true, max_length: 100 },
            { type: 7, name: 'channel', description: 'The channel', required: true, channel_types: [0, 5] },
          ],
        },
        {
          type: 1,
          name: 'reset',
          description: 'Go back to the default for one setting, or all (asks to confirm)',
          options: [{ type: 3, name: 'key', description: 'Which setting, or "all"', required: true, autocomplete: true, max_length: 100 }],
        },
      ],
    },
    {
      type: 1,
      name: 'status',
      description: "Is the bot healthy here? Kaltura, the bot's channel permissions, webhooks, notifications",
    },
    {
      type: 1,
      name: 'audit',
      description: "Recent changes to this server's settings: who, when, what",
      options: [{ type: 4, name: 'limit', description: 'How many entries (default 15)', min_value: 1, max_value: 25 }],
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
