import {
  InteractionContextType,
  type REST,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  Routes,
  SlashCommandBuilder,
  type SlashCommandSubcommandBuilder,
} from 'discord.js';
import {
  type CommandSpec,
  type OptionSpec,
  PRODUCT_SUMMARY,
  SUBCOMMANDS,
} from '../../src/commands/catalogue.js';
import type { DiscordConfig } from '../../src/config.js';
import { truncate } from './embed-limits.js';
import { discordCall } from './errors.js';

/** The slash command's name: `/mockdesign`. */
export const COMMAND_NAME = 'mockdesign';

/** Discord's limit on a command's, subcommand's or option's description. */
const DESCRIPTION_CHARS = 100;

/**
 * `/mockdesign` as registered with Discord: one subcommand per command of the core's catalogue,
 * with its summary and typed options, in the catalogue's order.
 */
export function mockdesignCommand(): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const command = new SlashCommandBuilder()
    .setName(COMMAND_NAME)
    .setDescription(describe(PRODUCT_SUMMARY))
    .setContexts(InteractionContextType.Guild);
  for (const spec of SUBCOMMANDS) command.addSubcommand((sub) => subcommand(sub, spec));
  return command.toJSON();
}

function subcommand(
  sub: SlashCommandSubcommandBuilder,
  spec: CommandSpec,
): SlashCommandSubcommandBuilder {
  sub.setName(spec.name).setDescription(describe(spec.summary));
  for (const option of spec.options) addOption(sub, option);
  return sub;
}

function addOption(sub: SlashCommandSubcommandBuilder, spec: OptionSpec): void {
  const description = describe(spec.description);
  switch (spec.type) {
    case 'string':
      sub.addStringOption((o) => {
        o.setName(spec.name).setDescription(description);
        if (spec.autocomplete) o.setAutocomplete(true);
        if (spec.choices?.length) o.addChoices(...spec.choices);
        return o;
      });
      return;
    case 'integer':
      sub.addIntegerOption((o) => {
        o.setName(spec.name).setDescription(description);
        if (spec.min !== undefined) o.setMinValue(spec.min);
        if (spec.max !== undefined) o.setMaxValue(spec.max);
        return o;
      });
      return;
    case 'boolean':
      sub.addBooleanOption((o) => o.setName(spec.name).setDescription(description));
      return;
  }
}

/** A description as Discord takes it: 1 to 100 characters. */
function describe(text: string): string {
  return truncate(text.trim() || COMMAND_NAME, DESCRIPTION_CHARS);
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
