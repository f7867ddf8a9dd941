import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type Channel,
  type ChatInputCommandInteraction,
  type GatewayMessageDeleteBulkDispatchData,
  type GatewayMessageDeleteDispatchData,
  type Interaction,
  type Message,
  type MessageCreateOptions,
  MessageFlags,
  type OmitPartialGroupDMChannel,
  type PartialMessage,
  PermissionFlagsBits,
} from 'discord.js';
import type { Library } from '../../rubric/load.js';
import type { Command, Origin } from '../../src/commands/command.js';
import { UserError } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import type { CommandHandler } from '../../src/ports/chat-platform.js';
import type { Card } from '../../src/presentation/card.js';
import {
  apologyCard,
  refusalCard,
  replyNotSavedCard,
  serverOnlyCard,
} from '../../src/presentation/replies.js';
import { DISCORD, type DiscordPlace, decodeAddress, encodeAddress } from './address.js';
import { promptChoices } from './autocomplete.js';
import { COMMAND_NAME } from './commands.js';
import { controlOf, type PressedControl } from './controls.js';
import { type DiscordMessage, renderCard } from './render.js';
import { commandFromSlash } from './slash-command.js';

export interface DiscordInboundOptions {
  /** The core. */
  readonly handler: CommandHandler;
  /** The prompt library, for autocomplete of `/mockdesign start prompt:`. */
  readonly library?: Library;
  readonly logger: Logger;
}

/**
 * Discord events as core commands: `/mockdesign` subcommands, the End round / Next phase / Start
 * my attempt buttons and messages in threads (public ones, and the private threads of challenge
 * attempts). What the core answers goes back ephemerally to whoever asked (or as a reply to a
 * thread message, which Discord cannot answer privately). It decides nothing: who may end a
 * round, which messages count and when are the core's questions.
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
        const pressed = controlOf(interaction.customId);
        if (pressed) await this.button(interaction, pressed);
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
          ...threadPlace(message.guildId, thread.id, thread.parentId),
        },
        messageId: message.id,
        text: message.content,
        ...(message.attachments.size + message.stickers.size > 0
          ? { attachments: message.attachments.size + message.stickers.size }
          : {}),
      });
      // A failed reply was not stored: the candidate must send it again.
      const card = result.card ?? (result.failed ? replyNotSavedCard() : undefined);
      if (card) await this.replyTo(message, card);
    } catch (error) {
      this.o.logger.error('discord message failed', { message: message.id, error });
    }
  }

  /**
   * Hands an edit of a person's message in a thread to the core as `edited`; what the core
   * answers (once a round: edits are not taken) replies to the message. Never throws.
   */
  async onEdit(
    before: OmitPartialGroupDMChannel<Message | PartialMessage>,
    after: OmitPartialGroupDMChannel<Message>,
  ): Promise<void> {
    try {
      // Discord also sends an update when it adds an embed to a link: no edit of the words.
      if (before.content !== null && before.content === after.content) return;
      if (!after.author || after.author.bot || !after.inGuild() || !after.channel.isThread()) {
        return;
      }
      const thread = after.channel;
      const result = await this.o.handler({
        kind: 'edited',
        origin: {
          platform: DISCORD,
          user: after.author.id,
          ...threadPlace(after.guildId, thread.id, thread.parentId),
        },
        messageId: after.id,
      });
      if (result.card) await this.replyTo(after, result.card);
    } catch (error) {
      this.o.logger.error('discord message edit failed', { message: after.id, error });
    }
  }

  /**
   * Hands a message deleted in a thread to the core as a `withdraw`; never throws. `deleted` is
   * Discord's MESSAGE_DELETE as it came: it says neither who wrote the message nor what it said
   * (the core knows). `known` is the channel when the client has it cached; a thread it never saw
   * (archived before the bot started) is not, and may still hold a round.
   */
  async onDelete(
    deleted: GatewayMessageDeleteDispatchData,
    known: Channel | undefined,
  ): Promise<void> {
    await this.withdraw([deleted.id], deleted, known);
  }

  /**
   * Hands each message of a bulk deletion in a thread (a moderator's purge, or a member banned
   * with their recent messages) to the core as a `withdraw`, as `onDelete` does for one; never
   * throws. `deleted` is Discord's MESSAGE_DELETE_BULK as it came: one channel, many ids.
   */
  async onBulkDelete(
    deleted: GatewayMessageDeleteBulkDispatchData,
    known: Channel | undefined,
  ): Promise<void> {
    await this.withdraw(deleted.ids, deleted, known);
  }

  /** Withdraws the messages `ids` of one channel, each on its own: one failing stops no other. */
  private async withdraw(
    ids: readonly string[],
    where: { readonly channel_id: string; readonly guild_id?: string | undefined },
    known: Channel | undefined,
  ): Promise<void> {
    const { channel_id: channelId, guild_id: guildId } = where;
    // A DM holds no round, nor does a channel the bot knows that is no thread.
    if (!guildId || (known && !known.isThread())) return;
    const thread = known?.isThread() ? known : undefined;
    for (const id of ids) {
      try {
        await this.o.handler({
          kind: 'withdraw',
          origin: {
            platform: DISCORD,
            user: thread?.messages.cache.get(id)?.author.id ?? '',
            ...threadPlace(guildId, channelId, thread?.parentId),
          },
          messageId: id,
        });
      } catch (error) {
        this.o.logger.error('discord message deletion failed', { message: id, error });
      }
    }
  }

  /** Discord cannot answer a plain message privately: the answer replies to it in the thread. */
  private async replyTo(message: Message<true>, card: Card): Promise<void> {
    const place = { guildId: message.guildId, channelId: message.channelId };
    for (const part of renderCard(card, place)) {
      await message.reply({
        ...messageOptions(part),
        allowedMentions: { ...allowedMentions(part), repliedUser: true },
      });
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
      await this.answer(interaction, serverOnlyCard(), undefined);
      return;
    }
    let command: Command;
    try {
      command = commandFromSlash(interaction.options, origin);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      // A bad option: said at once, privately, in the core's words, and nothing is started.
      await this.answer(interaction, refusalCard(error.message), placeOf(origin));
      return;
    }
    await this.run(interaction, command);
  }

  /**
   * Next and End belong to the round of the card they are on (Next with the phase it carries, if
   * any); Start my attempt to the challenge whose id the button carries, pressed where its card is
   * (the channel).
   */
  private async button(interaction: ButtonInteraction, pressed: PressedControl): Promise<void> {
    const origin = this.origin(interaction, pressed.id !== 'attempt');
    if (!origin) {
      await this.answer(interaction, serverOnlyCard(), undefined);
      return;
    }
    await this.run(interaction, pressedCommand(pressed, origin));
  }

  /**
   * Acknowledges at once (an ephemeral "thinking" reply, well inside Discord's 3 s), runs the
   * command in the core, then fills in the reply with the card the core answered; parts that do
   * not fit in one message follow privately. No card: the "thinking" reply is removed.
   */
  private async run(
    interaction: ChatInputCommandInteraction | ButtonInteraction,
    command: Command,
  ): Promise<void> {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    let card: Card | undefined;
    try {
      const result = await this.o.handler(command);
      card = result.card ?? (result.failed ? apologyCard() : undefined);
    } catch (error) {
      this.o.logger.error('discord command failed', { kind: command.kind, error });
      card = apologyCard();
    }
    if (!card) {
      await interaction.deleteReply();
      return;
    }
    const [first, ...more] = renderCard(card, placeOf(command.origin));
    await interaction.editReply(first ? messageOptions(first) : { content: card.summary });
    for (const part of more) {
      await interaction.followUp({ ...messageOptions(part), flags: MessageFlags.Ephemeral });
    }
  }

  /** Answers an interaction at once and privately with `card`, without asking the core. */
  private async answer(
    interaction: ChatInputCommandInteraction | ButtonInteraction,
    card: Card,
    place: DiscordPlace | undefined,
  ): Promise<void> {
    const [first, ...more] = renderCard(card, place);
    await interaction.reply({
      ...(first ? messageOptions(first) : { content: card.summary }),
      flags: MessageFlags.Ephemeral,
    });
    for (const part of more) {
      await interaction.followUp({ ...messageOptions(part), flags: MessageFlags.Ephemeral });
    }
  }

  /**
   * Where an interaction came from, and who: in a thread, that thread is the round's; a button on
   * a prompt card in the channel (`onCard`) belongs to the thread started from that card, which has
   * the card's id. `manager` is what Discord computed for the member in that channel: Manage
   * Server or Manage Channels (Administrator counts as both).
   */
  private origin(
    interaction: ChatInputCommandInteraction | ButtonInteraction,
    onCard: boolean,
  ): Origin | undefined {
    if (!interaction.inGuild()) return undefined;
    const { guildId, channelId } = interaction;
    const channel = interaction.channel;
    const manager = isManager(interaction);
    const base = {
      platform: DISCORD,
      user: interaction.user.id,
      ...(manager === undefined ? {} : { manager }),
    };
    if (channel?.isThread()) {
      return { ...base, ...threadPlace(guildId, channelId, channel.parentId) };
    }
    const origin: Origin = { ...base, channel: encodeAddress({ guildId, channelId }) };
    if (onCard && interaction.isButton()) {
      return { ...origin, thread: encodeAddress({ guildId, channelId: interaction.message.id }) };
    }
    return origin;
  }
}

/**
 * Whether the member's permissions in the interaction's channel make them a manager; undefined
 * when the interaction carries none (outside a server).
 */
function isManager(
  interaction: ChatInputCommandInteraction | ButtonInteraction,
): boolean | undefined {
  return interaction.memberPermissions?.any([
    PermissionFlagsBits.ManageGuild,
    PermissionFlagsBits.ManageChannels,
  ]);
}

/** Where answers to a command are shown: its thread, else its channel (for jump links). */
function placeOf(origin: Origin): DiscordPlace {
  return decodeAddress(origin.thread ?? origin.channel);
}

/** A rendered message as discord.js's message options (camel-cased allowed mentions). */
function messageOptions(
  message: DiscordMessage,
): Pick<MessageCreateOptions, 'content' | 'embeds' | 'components' | 'allowedMentions'> {
  return {
    ...(message.content === undefined ? {} : { content: message.content }),
    ...(message.embeds === undefined ? {} : { embeds: message.embeds }),
    ...(message.components === undefined ? {} : { components: message.components }),
    allowedMentions: allowedMentions(message),
  };
}

function allowedMentions(
  message: DiscordMessage,
): NonNullable<MessageCreateOptions['allowedMentions']> {
  const allowed = message.allowed_mentions;
  return {
    parse: allowed?.parse ? [...allowed.parse] : [],
    ...(allowed?.users ? { users: [...allowed.users] } : {}),
  };
}

/** A thread as core addresses: its parent channel (the thread itself when unknown) and itself. */
function threadPlace(
  guildId: string,
  threadId: string,
  parentId: string | null | undefined,
): { readonly channel: string; readonly thread: string } {
  return {
    channel: encodeAddress({ guildId, channelId: parentId ?? threadId }),
    thread: encodeAddress({ guildId, channelId: threadId }),
  };
}

/** The core command a press of one of our buttons stands for, from `origin`. */
function pressedCommand(pressed: PressedControl, origin: Origin): Command {
  switch (pressed.id) {
    case 'attempt':
      return { kind: 'attempt', origin, challengeId: pressed.value };
    case 'next':
      return {
        kind: 'next',
        origin,
        button: pressed.value === undefined ? {} : { phase: pressed.value },
      };
    case 'end':
      return { kind: 'end', origin };
  }
}
