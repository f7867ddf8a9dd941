/** The test-facing handle of a running fake Discord, and how to start one. */
import type { APIApplicationCommand, APIRole, APIThreadMember, APIUser } from 'discord.js';
import type {
  AddMemberRoleOptions,
  CreateRoleOptions,
  CreateThreadOptions,
  RateLimitOptions,
  SendAutocompleteOptions,
  SendButtonOptions,
  SendMessageOptions,
  SendSlashCommandOptions,
  WaitOptions,
} from './inputs.js';
import type { FakeDiscordOptions } from './options.js';
import type {
  FakeChannel,
  FakeDmChannel,
  FakeInteractionRecord,
  FakeMessage,
  FakeThread,
  GLOBAL_COMMANDS,
  RecordedCall,
  RecordedDispatch,
  RecordedGatewayConnection,
  RecordedGatewayFrame,
  RecordedInteractionResponse,
  SentInteraction,
} from './records.js';
import type { FakeApiError } from './rest.js';
import { FakeDiscordServer } from './server.js';

/** A running fake Discord. Created by {@link startFakeDiscord}; call `close()` when done. */
export interface FakeDiscord {
  /** REST base for discord.js: `http://127.0.0.1:PORT/api` (discord.js appends `/v10`). */
  readonly apiUrl: string;
  /** The gateway URL handed out by `GET /gateway/bot`: `ws://127.0.0.1:PORT/gateway`. */
  readonly gatewayUrl: string;
  /** The bot token to log in with. */
  readonly token: string;
  /** The application id. */
  readonly applicationId: string;
  /** The bot user. */
  readonly botUser: APIUser;
  /** The default human user builders speak as. */
  readonly user: APIUser;
  /** The first seeded guild's id. */
  readonly guildId: string;
  /** The first seeded guild's first text channel id. */
  readonly channelId: string;

  /** Every HTTP request answered, in order. */
  readonly calls: readonly RecordedCall[];
  /** Non-ephemeral messages by channel or thread id, oldest first. */
  readonly messages: ReadonlyMap<string, readonly FakeMessage[]>;
  /** Initial interaction callbacks, in order. */
  readonly interactionResponses: readonly RecordedInteractionResponse[];
  /** Interactions the fake sent, by id. */
  readonly interactions: ReadonlyMap<string, FakeInteractionRecord>;
  /** Registered application commands by guild id, or {@link GLOBAL_COMMANDS}. */
  readonly commands: ReadonlyMap<string, readonly APIApplicationCommand[]>;
  /** Threads created (by the bot or by `createThread`), in order. */
  readonly threads: readonly FakeThread[];
  /** Frames clients sent on the gateway. */
  readonly gatewayReceived: readonly RecordedGatewayFrame[];
  /** Gateway connections clients opened. */
  readonly gatewayConnections: readonly RecordedGatewayConnection[];
  /** Dispatches sent (or queued while a session was disconnected). */
  readonly dispatched: readonly RecordedDispatch[];

  /** Non-ephemeral messages in a channel or thread, oldest first (empty if none). */
  messagesIn(channelId: string): readonly FakeMessage[];
  /** Any message the fake knows by id, ephemeral interaction messages included. */
  getMessage(messageId: string): FakeMessage | undefined;
  /** A channel or thread by id. */
  getChannel(channelId: string): FakeChannel | undefined;
  /** The members of a thread (its creator first), as Discord's thread member objects. */
  threadMembers(threadId: string): readonly APIThreadMember[];
  /**
   * The bot's DM channel with a person, once the bot opened it (`POST /users/@me/channels`); its
   * messages are `messagesIn(channel.id)`.
   */
  directChannelWith(userId: string): FakeDmChannel | undefined;
  /** The bytes of an uploaded attachment, by the attachment's `id` in a message. */
  attachmentBytes(attachmentId: string): Uint8Array | undefined;
  /**
   * Makes a person refuse DMs from server members (or accept them again with `false`), so that the
   * bot's posts in its DM with them answer 403 "Cannot send messages to this user" (50007).
   */
  refuseDirectMessages(userId: string, refuse?: boolean): void;

  /** Sends a raw dispatch (op 0) to every ready session; no intent filtering. */
  dispatch(event: string, data: unknown): void;
  /** Dispatches INTERACTION_CREATE for a chat-input command. Throws if no gateway session is ready. */
  sendSlashCommand(options: SendSlashCommandOptions): SentInteraction;
  /** Dispatches INTERACTION_CREATE for a button press on a message the fake knows. */
  sendButton(options: SendButtonOptions): SentInteraction;
  /** Dispatches INTERACTION_CREATE (type 4) for autocomplete on a command option. */
  sendAutocomplete(options: SendAutocompleteOptions): SentInteraction;
  /** Stores a user's message in a channel or thread and dispatches MESSAGE_CREATE. */
  sendMessage(options: SendMessageOptions): FakeMessage;
  /** Edits a message's text as its author would: MESSAGE_UPDATE to the bot. */
  editMessage(messageId: string, content: string): void;
  /** Deletes a message as its author (or a moderator) would: MESSAGE_DELETE to the bot. */
  deleteMessage(messageId: string): void;
  /**
   * Deletes messages of one server channel or thread at once, as a moderator's purge does (a
   * moderation bot, or banning a member with their recent messages): one MESSAGE_DELETE_BULK
   * `{ ids, channel_id, guild_id }` to the bot, no MESSAGE_DELETE. Throws for an unknown id or
   * messages of several channels or of a DM.
   */
  deleteMessages(messageIds: readonly string[]): void;
  /** Creates a thread as a user and dispatches THREAD_CREATE. */
  createThread(options: CreateThreadOptions): FakeThread;
  /**
   * Archives a thread as Discord does when it has been quiet for its auto-archive duration:
   * THREAD_UPDATE to the sessions that see it, and later GUILD_CREATEs leave it out.
   */
  archiveThread(threadId: string): void;
  /**
   * Creates a role and dispatches GUILD_ROLE_CREATE. With `addMemberRole`, this is how a test
   * gives a user permissions: interactions carry the member's permissions computed from
   * `@everyone` and their roles (everything for the guild owner or an Administrator).
   */
  createRole(options: CreateRoleOptions): APIRole;
  /** Gives a user a role and dispatches GUILD_MEMBER_UPDATE (to sessions with GuildMembers). */
  addMemberRole(options: AddMemberRoleOptions): void;

  /**
   * Answers the next matching request(s) with 429 and Discord's rate-limit body and headers.
   * `route` is `'METHOD /path'` relative to `/api/v10`; `:name` segments match anything, so both
   * `'POST /channels/:channelId/messages'` and `'POST /channels/123/messages'` work.
   */
  rateLimitNext(route: string, retryAfterSeconds: number, options?: RateLimitOptions): void;
  /**
   * Applies the next `times` (default 1) successful requests matching `route` (same matching as
   * `rateLimitNext`) but never answers them, as when the bot dies or the connection drops after
   * Discord acted. The calls are recorded with `withheld: true`.
   */
  withholdNextResponse(route: string, times?: number): void;
  /**
   * Answers the next `times` (default 1) requests matching `route` (same matching as
   * `rateLimitNext`) with a Discord error instead of acting on them, e.g.
   * `{ status: 403, code: 50013, message: 'Missing Permissions' }`.
   */
  failNext(route: string, error: FakeApiError, times?: number): void;
  /** Forgets every queued failure: the outage is over. */
  heal(): void;
  /** Sends op 7 Reconnect on every connection; discord.js closes and resumes. */
  requestReconnect(): void;
  /** Closes every gateway connection with `code` (default 4000, resumable); the sessions stay and queue dispatches for RESUME. */
  dropGatewayConnections(code?: number): void;

  /** Resolves with the probe's first truthy result, re-checked on every change the fake records. */
  waitFor<T>(probe: () => T | undefined | null | false, options?: WaitOptions): Promise<T>;
  /** Resolves once a gateway session has received READY and every GUILD_CREATE. */
  waitForReady(options?: WaitOptions): Promise<void>;
  /** Resolves with the initial callback for an interaction. */
  waitForInteractionResponse(
    interactionId: string,
    options?: WaitOptions,
  ): Promise<RecordedInteractionResponse>;
  /** Resolves with the first (non-ephemeral) message in the channel matching the predicate. */
  waitForMessage(
    channelId: string,
    predicate?: (message: FakeMessage) => boolean,
    options?: WaitOptions,
  ): Promise<FakeMessage>;
  /** Resolves with the first recorded call matching `'METHOD /path'` (same matching as `rateLimitNext`). */
  waitForCall(route: string, options?: WaitOptions): Promise<RecordedCall>;

  /** Terminates gateway clients and closes the WebSocket and HTTP servers. Safe to call twice. */
  close(): Promise<void>;
}

/** Starts a fake Discord on 127.0.0.1 with a random port. */
export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const fake = new FakeDiscordServer(options);
  await fake.listen();
  return fake;
}
