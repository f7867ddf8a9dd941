/**
 * Speaking as a user through interactions: slash commands (typed and checked against the
 * registered command when there is one), autocomplete and button presses, each dispatched as
 * INTERACTION_CREATE and remembered so the bot's callbacks can be checked against it.
 */
import { randomBytes } from 'node:crypto';
import type { APIUser } from 'discord.js';
import type { Gateway } from './gateway.js';
import type {
  SendAutocompleteOptions,
  SendButtonOptions,
  SendSlashCommandOptions,
  SlashOptionValue,
} from './inputs.js';
import { asRecords, isRecord, type Json } from './json.js';
import { BOT_PERMISSIONS, EVERYONE_PERMISSIONS } from './protocol.js';
import {
  type FakeChannel,
  type FakeInteractionKind,
  type FakeInteractionRecord,
  type FakeMessage,
  GLOBAL_COMMANDS,
  type SentInteraction,
} from './records.js';
import type { DiscordState } from './state.js';

/** The interactions the fake sent, by id and by token. */
export class Interactions {
  /** Interactions the fake sent, by id. */
  readonly records = new Map<string, FakeInteractionRecord>();

  private readonly byToken = new Map<string, FakeInteractionRecord>();
  private readonly syntheticCommandIds = new Map<string, string>();

  /** Interactions from users in `state`, dispatched through `gateway`. */
  constructor(
    private readonly state: DiscordState,
    private readonly gateway: Gateway,
  ) {}

  /** The interaction whose token (also its webhook token) is `token`. */
  withToken(token: string): FakeInteractionRecord | undefined {
    return this.byToken.get(token);
  }

  /** Dispatches INTERACTION_CREATE for a chat-input command. */
  sendSlashCommand(options: SendSlashCommandOptions): SentInteraction {
    return this.sendCommand('slashCommand', options);
  }

  /** Dispatches INTERACTION_CREATE (type 4) for autocomplete on a command option. */
  sendAutocomplete(options: SendAutocompleteOptions): SentInteraction {
    const values = { ...options.options };
    values[options.focused] = String(values[options.focused] ?? '');
    return this.sendCommand('autocomplete', { ...options, options: values }, options.focused);
  }

  /** Dispatches INTERACTION_CREATE for a button press on a message the fake knows. */
  sendButton(options: SendButtonOptions): SentInteraction {
    const messageId = typeof options.message === 'string' ? options.message : options.message.id;
    const message = this.state.messageIndex.get(messageId);
    if (!message) throw new Error(`fake-discord: no message ${messageId} to press a button on`);
    const components = message.components ?? [];
    if (components.length > 0 && !hasCustomId(components, options.customId)) {
      throw new Error(
        `fake-discord: message ${messageId} has no component with custom_id "${options.customId}"`,
      );
    }
    const channel = this.state.requireChannelForTest(message.channel_id);
    const user = this.state.resolveUser(options.user);
    return this.create({
      kind: 'button',
      type: 3,
      channel,
      user,
      data: { custom_id: options.customId, component_type: 2 },
      message,
    });
  }

  /** A chat-input command (type 2) or, with a `focused` option, its autocomplete (type 4). */
  private sendCommand(
    kind: 'slashCommand' | 'autocomplete',
    options: SendSlashCommandOptions,
    focused?: string,
  ): SentInteraction {
    const channel = this.state.requireChannelForTest(options.channelId);
    const user = this.state.resolveUser(options.user);
    const data = this.commandData(channel, options, focused);
    const type = kind === 'slashCommand' ? 2 : 4;
    return this.create({ kind, type, channel, user, data });
  }

  private commandData(
    channel: FakeChannel,
    options: SendSlashCommandOptions,
    focused?: string,
  ): Json {
    const command =
      this.state.commands
        .get(channel.guild_id)
        ?.find((c) => c.name === options.name && c.type === 1) ??
      this.state.commands
        .get(GLOBAL_COMMANDS)
        ?.find((c) => c.name === options.name && c.type === 1);
    const label = [options.name, options.subcommandGroup, options.subcommand]
      .filter(Boolean)
      .join(' ');
    let defs: Json[] | undefined = command ? asRecords(command.options) : undefined;
    if (defs && options.subcommandGroup) {
      defs = findChildOptions(defs, 2, options.subcommandGroup, label);
    }
    if (defs && options.subcommand) defs = findChildOptions(defs, 1, options.subcommand, label);

    const resolved: Record<string, Json> = {};
    const leaves = Object.entries(options.options ?? {}).map(([name, value]) => {
      const def = defs?.find((d) => d.name === name);
      if (defs && !def) throw new Error(`fake-discord: /${label} has no option "${name}"`);
      const type = typeof def?.type === 'number' ? def.type : inferOptionType(value);
      this.resolveOptionValue(type, value, channel.guild_id, resolved);
      const leaf: Json = { name, type, value: coerceOptionValue(type, value, name === focused) };
      if (name === focused) leaf.focused = true;
      return leaf;
    });
    for (const def of defs ?? []) {
      if (def.required === true && !(String(def.name) in (options.options ?? {}))) {
        throw new Error(`fake-discord: /${label} needs option "${String(def.name)}"`);
      }
    }

    let dataOptions: Json[] = leaves;
    if (options.subcommand) dataOptions = [{ type: 1, name: options.subcommand, options: leaves }];
    if (options.subcommandGroup) {
      dataOptions = [{ type: 2, name: options.subcommandGroup, options: dataOptions }];
    }
    const data: Json = {
      id: command?.id ?? this.syntheticCommandId(options.name),
      name: options.name,
      type: 1,
      options: dataOptions,
    };
    if (command?.guild_id) data.guild_id = command.guild_id;
    if (Object.keys(resolved).length > 0) data.resolved = resolved;
    return data;
  }

  private syntheticCommandId(name: string): string {
    let id = this.syntheticCommandIds.get(name);
    if (!id) {
      id = this.state.nextId();
      this.syntheticCommandIds.set(name, id);
    }
    return id;
  }

  /** Fills `data.resolved` for user (6), channel (7) and role (8) options. */
  private resolveOptionValue(
    type: number,
    value: SlashOptionValue,
    guildId: string,
    resolved: Record<string, Json>,
  ): void {
    const id = String(value);
    const add = (key: string, entry: unknown) => {
      resolved[key] = { ...resolved[key], [id]: entry };
    };
    if (type === 6) {
      const user = this.state.users.get(id);
      if (!user) throw new Error(`fake-discord: unknown user ${id} for a user option`);
      add('users', user);
      const found = this.state.guilds.get(guildId)?.members.get(id);
      if (found) {
        const { user: _user, ...rest } = found;
        const guild = this.state.requireGuild(guildId);
        add('members', { ...rest, permissions: this.state.permissionsOf(guild, id) });
      }
    } else if (type === 7) {
      const channel = this.state.channels.get(id);
      if (!channel) throw new Error(`fake-discord: unknown channel ${id} for a channel option`);
      add('channels', { ...channel, permissions: EVERYONE_PERMISSIONS });
    } else if (type === 8) {
      const found = this.state.guilds.get(guildId)?.roles.find((r) => r.id === id);
      if (!found) throw new Error(`fake-discord: unknown role ${id} for a role option`);
      add('roles', found);
    }
  }

  private create(init: {
    kind: FakeInteractionKind;
    type: number;
    channel: FakeChannel;
    user: APIUser;
    data: Json;
    message?: FakeMessage;
  }): SentInteraction {
    this.gateway.requireReadySession();
    const { channel, user } = init;
    const guild = this.state.requireGuild(channel.guild_id);
    const id = this.state.nextId();
    const token = `fake-interaction-${randomBytes(24).toString('base64url')}`;
    const payload: Json = {
      id,
      application_id: this.state.applicationId,
      type: init.type,
      data: init.data,
      guild_id: guild.id,
      guild: { id: guild.id, locale: 'en-US', features: [] },
      channel: { ...channel, permissions: this.state.permissionsOf(guild, user.id) },
      channel_id: channel.id,
      member: {
        ...this.state.memberOf(guild, user),
        permissions: this.state.permissionsOf(guild, user.id),
      },
      token,
      version: 1,
      app_permissions: BOT_PERMISSIONS,
      locale: 'en-US',
      guild_locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: { '0': guild.id },
      context: 0,
      attachment_size_limit: 10 * 1024 * 1024,
    };
    if (init.message) payload.message = init.message;
    const record: FakeInteractionRecord = {
      id,
      token,
      kind: init.kind,
      type: init.type,
      channelId: channel.id,
      guildId: guild.id,
      user,
      createdAt: Date.now(),
      followUps: [],
      payload,
    };
    if (typeof init.data.name === 'string') record.commandName = init.data.name;
    if (typeof init.data.custom_id === 'string') record.customId = init.data.custom_id;
    if (init.message) record.sourceMessageId = init.message.id;
    this.records.set(id, record);
    this.byToken.set(token, record);
    this.gateway.broadcast('INTERACTION_CREATE', payload, { guildId: guild.id });
    this.state.changed();
    return {
      id,
      token,
      applicationId: this.state.applicationId,
      channelId: channel.id,
      guildId: guild.id,
      user,
    };
  }
}

function hasCustomId(value: unknown, customId: string): boolean {
  if (Array.isArray(value)) return value.some((item) => hasCustomId(item, customId));
  if (!isRecord(value)) return false;
  if (value.custom_id === customId) return true;
  return Object.values(value).some(
    (child) => typeof child === 'object' && hasCustomId(child, customId),
  );
}

function inferOptionType(value: SlashOptionValue): number {
  if (typeof value === 'boolean') return 5;
  if (typeof value === 'number') return Number.isInteger(value) ? 4 : 10;
  return 3;
}

function coerceOptionValue(
  type: number,
  value: SlashOptionValue,
  focused: boolean,
): SlashOptionValue {
  // Discord sends a focused autocomplete option as the raw text typed so far.
  if (focused) return String(value);
  switch (type) {
    case 4:
    case 10: {
      const number = Number(value);
      if (Number.isNaN(number) || (type === 4 && !Number.isInteger(number))) {
        throw new Error(
          `fake-discord: ${String(value)} is not a valid ${type === 4 ? 'integer' : 'number'}`,
        );
      }
      return number;
    }
    case 5:
      return value === true || value === 'true';
    default:
      return String(value);
  }
}

function findChildOptions(defs: Json[], type: number, name: string, label: string): Json[] {
  const child = defs.find((d) => d.type === type && d.name === name);
  if (!child) {
    throw new Error(
      `fake-discord: /${label}: the registered command has no ${type === 2 ? 'group' : 'subcommand'} "${name}"`,
    );
  }
  return asRecords(child.options);
}
