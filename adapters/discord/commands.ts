import {
  InteractionContextType,
  type REST,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  Routes,
  SlashCommandBuilder,
} from 'discord.js';
import { MAX_ASYNC_HOURS, MAX_MINUTES, MIN_MINUTES } from '../../src/commands/parse.js';
import type { DiscordConfig } from '../../src/config.js';
import { discordCall } from './errors.js';

/** The slash command's name: `/mockdesign`. */
export const COMMAND_NAME = 'mockdesign';

/** Subcommands, as on Slack. */
export const SUBCOMMANDS = [
  'start',
  'end',
  'next',
  'status',
  'prompts',
  'history',
  'forget',
  'help',
] as const;
export type Subcommand = (typeof SUBCOMMANDS)[number];

/** `/mockdesign` with its subcommands and options, as registered with Discord. */
export function mockdesignCommand(): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return new SlashCommandBuilder()
    .setName(COMMAND_NAME)
    .setDescription('Timed mock research-design interviews with a scorecard')
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((sub) =>
      sub
        .setName('start')
        .setDescription('Start a round in a new thread')
        .addStringOption((o) =>
          o
            .setName('prompt')
            .setDescription('Prompt from the library (default: random)')
            .setAutocomplete(true)
            .setMaxLength(100),
        )
        .addIntegerOption((o) =>
          o
            .setName('minutes')
            .setDescription(`Length of a live round, ${MIN_MINUTES} to ${MAX_MINUTES} (default 45)`)
            .setMinValue(MIN_MINUTES)
            .setMaxValue(MAX_MINUTES),
        )
        .addStringOption((o) =>
          o
            .setName('mode')
            .setDescription('live: timed, with cut-ins (default); async: over days, say next')
            .addChoices({ name: 'live', value: 'live' }, { name: 'async', value: 'async' }),
        )
        .addIntegerOption((o) =>
          o
            .setName('hours')
            .setDescription(`Length of an async round, 1 to ${MAX_ASYNC_HOURS} (default 72)`)
            .setMinValue(1)
            .setMaxValue(MAX_ASYNC_HOURS),
        ),
    )
    .addSubcommand((sub) =>
      sub.setName('end').setDescription('End your round now and get the scorecard'),
    )
    .addSubcommand((sub) => sub.setName('next').setDescription('Move your round to the next phase'))
    .addSubcommand((sub) => sub.setName('status').setDescription('Phase and time left'))
    .addSubcommand((sub) => sub.setName('prompts').setDescription('List the prompt library'))
    .addSubcommand((sub) => sub.setName('history').setDescription('Your recent rounds and scores'))
    .addSubcommand((sub) =>
      sub
        .setName('forget')
        .setDescription('Delete every round and scorecard of yours')
        .addBooleanOption((o) =>
          o.setName('confirm').setDescription('True to delete; without it, shows what it deletes'),
        ),
    )
    .addSubcommand((sub) => sub.setName('help').setDescription('How mockdesign works'))
    .toJSON();
}

/**
 * Registers `/mockdesign`: in `guildId` when set (available at once, for a test server), otherwise
 * globally (may take a while to appear the first time). A PUT replaces what was there, so
 * registering at every start is harmless.
 */
export async function registerCommands(rest: REST, config: DiscordConfig): Promise<void> {
  const route = config.guildId
    ? Routes.applicationGuildCommands(config.appId, config.guildId)
    : Routes.applicationCommands(config.appId);
  await discordCall('register /mockdesign', () => rest.put(route, { body: [mockdesignCommand()] }));
}
