/**
 * Messages and threads in channels: building, posting, editing and deleting messages, starting
 * threads, and the gateway dispatches each change sends (with Discord's MessageContent rule).
 */
import type { APIUser, ChannelFlags } from 'discord.js';
import { unknownMessage } from './errors.js';
import type { Gateway, GatewaySession } from './gateway.js';
import type { CreateThreadOptions, SendMessageOptions } from './inputs.js';
import { asRecord, type Json } from './json.js';
import { applyEdit, componentsOf } from './message-edits.js';
import { attachmentsFor, normalizeEmbeds, withoutContent } from './payloads.js';
import { Intent, MessageFlag } from './protocol.js';
import {
  type FakeChannel,
  type FakeMessage,
  type FakeMessageChannel,
  type FakeThread,
  isDirect,
  isThread,
} from './records.js';
import type { UploadedFile } from './rest.js';
import type { DiscordState } from './state.js';
import { botMembership, joinThread } from './thread-members.js';
import { validateMessageBody } from './validation.js';

/** What a new message is made of. */
export interface MessageInit {
  /** Where it is posted: a guild channel or thread, or a DM channel. */
  channel: FakeMessageChannel;
  /** Who posts it. */
  author: APIUser;
  /** The request body: content, embeds, components, nonce, message reference. */
  body: Json;
  /** Uploaded files, which become attachments. */
  files: UploadedFile[];
  /** Message flags. */
  flags: number;
  /** Message type (0 default, 19 reply, 20 chat-input command, 18 thread created). */
  type: number;
  /** Fields set as given (interaction and webhook fields). */
  extra?: Partial<FakeMessage>;
}

/** Posts, edits and deletes messages and starts threads, dispatching each change. */
export class Messages {
  /** Messages in `state`, dispatched through `gateway`. */
  constructor(
    private readonly state: DiscordState,
    private readonly gateway: Gateway,
  ) {}

  /** Builds a message and indexes it by id, leaving it out of its channel (as ephemerals stay). */
  build(init: MessageInit): FakeMessage {
    const { channel, author, body } = init;
    const content = typeof body.content === 'string' ? body.content : '';
    // A DM is in no guild: its messages have no `guild_id`.
    const guild = isDirect(channel) ? {} : { guild_id: channel.guild_id };
    const message: FakeMessage = {
      id: this.state.nextId(),
      channel_id: channel.id,
      ...guild,
      author: { ...author },
      content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: body.tts === true,
      mention_everyone: false,
      mentions: this.mentionsIn(content),
      mention_roles: [],
      attachments: attachmentsFor(channel.id, body, init.files, this.state),
      embeds: normalizeEmbeds(body.embeds),
      components: componentsOf(body),
      pinned: false,
      type: init.type,
      flags: init.flags,
      ...init.extra,
    };
    if (typeof body.nonce === 'string' || typeof body.nonce === 'number') {
      message.nonce = body.nonce;
    }
    const reference = asRecord(body.message_reference);
    if (typeof reference.message_id === 'string') {
      const referenced = this.state.messageIndex.get(reference.message_id);
      if (!referenced || referenced.channel_id !== channel.id) throw unknownMessage();
      message.type = 19;
      message.message_reference = {
        type: 0,
        message_id: referenced.id,
        channel_id: channel.id,
        ...guild,
      };
      const { referenced_message: _nested, ...copy } = referenced;
      message.referenced_message = copy;
    }
    this.state.messageIndex.set(message.id, message);
    return message;
  }

  private mentionsIn(content: string): APIUser[] {
    const ids = new Set([...content.matchAll(/<@!?(\d+)>/g)].map((match) => match[1]));
    return [...ids].flatMap((id) => {
      const user = id ? this.state.users.get(id) : undefined;
      return user ? [user] : [];
    });
  }

  /** Creates a visible message in a channel or thread and dispatches MESSAGE_CREATE. */
  post(
    channel: FakeMessageChannel,
    author: APIUser,
    body: Json,
    files: UploadedFile[],
    flags: number,
    type = 0,
    extra?: Partial<FakeMessage>,
  ): FakeMessage {
    const message = this.build({ channel, author, body, files, flags, type, extra });
    // A message in an archived thread unarchives it (Discord refuses it only in a locked one,
    // which nothing here locks): THREAD_UPDATE comes before the MESSAGE_CREATE.
    if (isThread(channel) && channel.thread_metadata?.archived) this.setArchived(channel, false);
    this.appendToChannel(channel, message);
    this.broadcastMessage('MESSAGE_CREATE', message);
    return message;
  }

  /**
   * Validates a PATCH body and applies it; `completeDeferred` also clears the Loading flag of a
   * deferred reply. A visible message dispatches MESSAGE_UPDATE.
   */
  edit(
    message: FakeMessage,
    body: Json,
    files: UploadedFile[],
    options: { completeDeferred?: boolean } = {},
  ): void {
    validateMessageBody(body, files, true);
    applyEdit(message, body, files, this.state);
    if (options.completeDeferred) message.flags = (message.flags ?? 0) & ~MessageFlag.Loading;
    if (this.state.isVisible(message)) this.broadcastMessage('MESSAGE_UPDATE', message);
  }

  private appendToChannel(channel: FakeMessageChannel, message: FakeMessage): void {
    const list = this.state.messages.get(channel.id) ?? [];
    list.push(message);
    this.state.messages.set(channel.id, list);
    channel.last_message_id = message.id;
    if (isThread(channel)) {
      channel.message_count = (channel.message_count ?? 0) + 1;
      channel.total_message_sent = (channel.total_message_sent ?? 0) + 1;
      message.position = channel.total_message_sent - 1;
    }
  }

  private broadcastMessage(event: 'MESSAGE_CREATE' | 'MESSAGE_UPDATE', message: FakeMessage): void {
    if (message.guild_id === undefined) {
      // A DM's messages, content included (DMs are exempt from the MessageContent rule).
      this.gateway.broadcastDirect(event, message, Intent.DirectMessages);
      return;
    }
    const guild = this.state.guilds.get(message.guild_id ?? '');
    const channel = this.state.channels.get(message.channel_id);
    // A private thread's messages reach only those who see it.
    if (!guild || (channel && !this.state.canView(channel, this.state.botUser.id))) return;
    const { user: _user, ...authorMember } = this.state.memberOf(guild, message.author);
    const full = { ...message, guild_id: guild.id, member: authorMember };
    this.gateway.broadcast(event, full, {
      guildId: guild.id,
      intent: Intent.GuildMessages,
      shape: (session) => (this.sessionSeesContent(session, message) ? full : withoutContent(full)),
    });
  }

  /** Discord's MessageContent rule: content is sent for the app's own messages, mentions of the app, or with the intent. */
  private sessionSeesContent(session: GatewaySession, message: FakeMessage): boolean {
    return (
      (session.intents & Intent.MessageContent) !== 0 ||
      message.author.id === this.state.botUser.id ||
      message.mentions.some((user) => user.id === this.state.botUser.id)
    );
  }

  /** Deletes a message; a visible one dispatches MESSAGE_DELETE. */
  remove(message: FakeMessage): void {
    if (!this.unlist(message)) return;
    const { id, channel_id, guild_id } = message;
    if (guild_id === undefined) {
      this.gateway.broadcastDirect('MESSAGE_DELETE', { id, channel_id }, Intent.DirectMessages);
    } else {
      this.gateway.broadcast(
        'MESSAGE_DELETE',
        { id, channel_id, guild_id },
        { guildId: guild_id, intent: Intent.GuildMessages },
      );
    }
  }

  /**
   * Deletes messages of one server channel or thread at once, as a moderator's purge does: the
   * visible ones are announced in a single MESSAGE_DELETE_BULK `{ ids, channel_id, guild_id }`,
   * with no MESSAGE_DELETE for any of them.
   */
  removeBulk(channel: FakeChannel, messages: readonly FakeMessage[]): void {
    const ids = messages.filter((message) => this.unlist(message)).map((message) => message.id);
    if (ids.length === 0) return;
    this.gateway.broadcast(
      'MESSAGE_DELETE_BULK',
      { ids, channel_id: channel.id, guild_id: channel.guild_id },
      { guildId: channel.guild_id, intent: Intent.GuildMessages },
    );
  }

  /** Forgets `message`; whether it was in its channel (an ephemeral one never is). */
  private unlist(message: FakeMessage): boolean {
    this.state.messageIndex.delete(message.id);
    const list = this.state.messages.get(message.channel_id);
    const index = list?.indexOf(message) ?? -1;
    if (!list || index < 0) return false;
    list.splice(index, 1);
    return true;
  }

  /**
   * Creates a thread, its creator its first member, and dispatches THREAD_CREATE (with the bot's
   * thread member object when the bot is in it) to the sessions that see it.
   */
  createThread(init: {
    parent: FakeChannel;
    name: string;
    type: number;
    owner: APIUser;
    id?: string | undefined;
    autoArchiveDuration?: number;
    rateLimitPerUser?: number;
    invitable?: boolean;
  }): FakeThread {
    const now = new Date().toISOString();
    const thread: FakeThread = {
      id: init.id ?? this.state.nextId(),
      type: init.type === 12 ? 12 : init.parent.type === 5 ? 10 : 11,
      guild_id: init.parent.guild_id,
      parent_id: init.parent.id,
      owner_id: init.owner.id,
      name: init.name,
      last_message_id: null,
      message_count: 0,
      member_count: 0,
      total_message_sent: 0,
      rate_limit_per_user: init.rateLimitPerUser ?? 0,
      flags: 0 as ChannelFlags,
      thread_metadata: {
        archived: false,
        auto_archive_duration: init.autoArchiveDuration ?? 1440,
        archive_timestamp: now,
        locked: false,
        create_timestamp: now,
        ...(init.type === 12 ? { invitable: init.invitable ?? true } : {}),
      },
    };
    this.state.channels.set(thread.id, thread);
    this.state.threads.push(thread);
    joinThread(this.state, thread, init.owner.id);
    if (!this.state.canView(thread, this.state.botUser.id)) return thread;
    const member = botMembership(this.state, thread);
    const event: Json = { ...thread, newly_created: true, ...(member ? { member } : {}) };
    this.gateway.broadcast('THREAD_CREATE', event, {
      guildId: thread.guild_id,
      intent: Intent.Guilds,
    });
    return thread;
  }

  /**
   * Archives `thread` as Discord does after its auto-archive duration without messages, and
   * dispatches THREAD_UPDATE with the archived thread to the sessions that see it.
   */
  archiveThread(thread: FakeThread): void {
    this.setArchived(thread, true);
  }

  /** Archives or unarchives `thread`, and dispatches THREAD_UPDATE to the sessions that see it. */
  private setArchived(thread: FakeThread, archived: boolean): void {
    thread.thread_metadata = {
      ...(thread.thread_metadata ?? { auto_archive_duration: 1440, locked: false }),
      archived,
      archive_timestamp: new Date().toISOString(),
    };
    if (!this.state.canView(thread, this.state.botUser.id)) return;
    const member = botMembership(this.state, thread);
    this.gateway.broadcast(
      'THREAD_UPDATE',
      { ...thread, ...(member ? { member } : {}) },
      { guildId: thread.guild_id, intent: Intent.Guilds },
    );
  }

  /** Marks `message` as the start of `thread` and dispatches MESSAGE_UPDATE. */
  markThreadStarted(message: FakeMessage, thread: FakeThread): void {
    message.flags = (message.flags ?? 0) | MessageFlag.HasThread;
    message.thread = thread;
    this.broadcastMessage('MESSAGE_UPDATE', message);
  }

  /**
   * Stores a user's message in a channel or thread and dispatches MESSAGE_CREATE; a user cannot
   * write in a private thread they do not see.
   */
  sendAsUser(options: SendMessageOptions): FakeMessage {
    this.gateway.requireReadySession();
    const channel = this.state.requireChannelForTest(options.channelId);
    const author = this.state.resolveUser(options.author);
    if (!this.state.canView(channel, author.id)) {
      throw new Error(`fake-discord: ${author.id} cannot see private thread ${channel.id}`);
    }
    const body: Json = { content: options.content };
    if (options.replyTo) body.message_reference = { message_id: options.replyTo };
    const files = (options.files ?? []).map((name, i) => ({
      field: `files[${i}]`,
      name,
      size: 4,
      contentType: 'image/png',
      bytes: new Uint8Array([1, 2, 3, 4]),
    }));
    return this.post(channel, author, body, files, 0);
  }

  /** Creates a thread as a user and dispatches THREAD_CREATE. */
  createThreadAsUser(options: CreateThreadOptions): FakeThread {
    const parent = this.state.requireChannelForTest(options.parentId);
    const owner = this.state.resolveUser(options.owner);
    const startMessage = options.startMessageId
      ? this.state.requireMessage(parent.id, options.startMessageId)
      : undefined;
    const thread = this.createThread({
      parent,
      name: options.name,
      type: options.type ?? 11,
      owner,
      id: startMessage?.id,
    });
    if (startMessage) this.markThreadStarted(startMessage, thread);
    this.state.changed();
    return thread;
  }
}
