import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type Message,
  MessageFlags,
} from 'discord.js';
import type { Library } from '../../rubric/load.js';
import type { Command, CommandResult, Origin } from '../../src/commands/command.js';
import { UserError } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import type { CommandHandler } from '../../src/ports/chat-platform.js';
import { DISCORD, encodeAddress } from './address.js';
import { promptChoices } from './autocomplete.js';
import { COMMAND_NAME } from './commands.js';
import { controlOf } from './controls.js';
import { EMBED_LIMITS, splitContent, truncate } from './embed-limits.js';
import { commandFromSlash } from './slash-command.js';

/** Shown when something failed on our side and the core gave no words for it. */
export const APOLOGY = 'Sorry — something went wrong on our side. Please try again in a moment.';

const GUILD_ONLY =
  'mockdesign runs in server channels: use `/mockdesign` in a channel of a server.';

export interface DiscordInboundOptions {
  /** The core. */
  readonly handler: CommandHandler;
  /** The prompt library, for autocomplete of `/mockdesign start prompt:`. */
  readonly library?: Library;
  readonly logger: Logger;
}

/**
 * Discord events as core commands: `/mockdesign` subcommands, the End round / Next phase buttons
 * and messages in threads. What the core answers goes back ephemerally to whoever asked (or as a
 * reply to a thread message, which Discord cannot answer privately). It decides nothing: who may
 * end a round, which messages count and when are the core's questions.
 */
export class DiscordInbound {
  constructor(private readonly o: DiscordInboundOptions) {}

  /** Handles any interaction; never throws (failures are logged and, where possible, shown). */
  async onInteraction(interaction: Interaction): Promise<void> {
    try {
      if (interaction.isAutocomplete()) {
        if (interaction.commandName === COMMAND_NAME) await this.autocomplete(interaction);
      } else if (interaction.isChatInputCommand()) {
        if (interaction.commandName === COMMAND_NAME) await this.slash(interaction);
      } else if (interaction.isButton()) {
        const control = controlOf(interaction.customId);
        if (control) await this.button(interaction, control);
      }
    } catch (error) {
      this.o.logger.error('discord interaction failed', { interaction: interaction.id, error });
    }
  }

  /** Hands a candidate's message in a thread to the core as a `reply`; never throws. */
  async onMessage(message: Message): Promise<void> {
    // Our own posts come back through the gateway too; no bot or system message is an answer.
    if (message.author.bot || message.system || message.webhookId) return;
    if (!message.inGuild() || !message.channel.isThread()) return;
    const thread = message.channel;
    try {
      const result = await this.o.handler({
        kind: 'reply',
        origin: {
          platform: DISCORD,
          user: message.author.id,
          channel: encodeAddress({
            guildId: message.guildId,
            channelId: thread.parentId ?? thread.id,
          }),
          thread: encodeAddress({ guildId: message.guildId, channelId: thread.id }),
        },
        messageId: message.id,
        text: message.content,
      });
      const text = result.text ?? (result.failed ? APOLOGY : undefined);
      if (text) {
        await message.reply({
          content: truncate(text, EMBED_LIMITS.content),
          allowedMentions: { parse: [], repliedUser: true },
        });
      }
    } catch (error) {
      this.o.logger.error('discord message failed', { message: message.id, error });
    }
  }

  private async autocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const focused = interaction.options.getFocused(true);
    const choices =
      focused.name === 'prompt' && this.o.library
        ? promptChoices(this.o.library, String(focused.value))
        : [];
    await interaction.respond(choices);
  }

  private async slash(interaction: ChatInputCommandInteraction): Promise<void> {
    const origin = this.origin(interaction, false);
    if (!origin) {
      await interaction.reply({ content: GUILD_ONLY, flags: MessageFlags.Ephemeral });
      return;
    }
    let command: Command;
    try {
      command = commandFromSlash(interaction.options, origin);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      // A bad option: said at once, privately, and nothing is started.
      await interaction.reply({ content: error.message, flags: MessageFlags.Ephemeral });
      return;
    }
    await this.run(interaction, command);
  }

  private async button(interaction: ButtonInteraction, control: 'next' | 'end'): Promise<void> {
    const origin = this.origin(interaction, true);
    if (!origin) {
      await interaction.reply({ content: GUILD_ONLY, flags: MessageFlags.Ephemeral });
      return;
    }
    await this.run(interaction, { kind: control, origin });
  }

  /**
   * Acknowledges at once (an ephemeral "thinking" reply, well inside Discord's 3 s), runs the
   * command in the core, then fills in the reply with what the core said.
   */
  private async run(
    interaction: ChatInputCommandInteraction | ButtonInteraction,
    command: Command,
  ): Promise<void> {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    let result: CommandResult;
    try {
      result = await this.o.handler(command);
    } catch (error) {
      this.o.logger.error('discord command failed', { kind: command.kind, error });
      result = { text: APOLOGY, failed: true };
    }
    const [first = 'Done.', ...more] = splitContent(result.text || 'Done.');
    await interaction.editReply({ content: first, allowedMentions: { parse: [] } });
    for (const content of more) {
      await interaction.followUp({
        content,
        flags: MessageFlags.Ephemeral,
        allowedMentions: { parse: [] },
      });
    }
  }

  /**
   * Where an interaction came from. In a thread, that thread is the round's; a button on a prompt
   * card in the channel belongs to the thread started from that card, which has the card's id.
   */
  private origin(
    interaction: ChatInputCommandInteraction | ButtonInteraction,
    onCard: boolean,
  ): Origin | undefined {
    if (!interaction.inGuild()) return undefined;
    const { guildId, channelId } = interaction;
    const channel = interaction.channel;
    const base = { platform: DISCORD, user: interaction.user.id };
    if (channel?.isThread()) {
      return {
        ...base,
        channel: encodeAddress({ guildId, channelId: channel.parentId ?? channelId }),
        thread: encodeAddress({ guildId, channelId }),
      };
    }
    const origin: Origin = { ...base, channel: encodeAddress({ guildId, channelId }) };
    if (onCard && interaction.isButton()) {
      return { ...origin, thread: encodeAddress({ guildId, channelId: interaction.message.id }) };
    }
    return origin;
  }
}
