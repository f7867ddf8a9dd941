/**
 * A local fake of Discord for end-to-end tests. One `node:http` server on 127.0.0.1 (random port)
 * serves REST under `/api/v10` and the gateway over WebSocket at `/gateway`, speaking Discord's wire
 * protocol closely enough that the real discord.js `Client` logs in against it:
 *
 * ```ts
 * const fake = await startFakeDiscord();
 * const client = new Client({ intents, rest: { api: fake.apiUrl } });
 * await client.login(fake.token);
 * ```
 *
 * There is no gateway URL option in discord.js: the client asks `GET /gateway/bot` on its REST base
 * and the fake hands out its own `ws://` URL. A test then speaks as a user (`sendSlashCommand`,
 * `sendButton`, `sendAutocomplete`, `sendMessage`, `createThread`) and reads what the bot did from
 * the recordings (`messages`, `interactionResponses`, `commands`, `threads`, `calls`, ...).
 *
 * Behaviour copied from Discord because adapters trip over it: interaction tokens accept the
 * initial callback for 3 s and only once; follow-ups need an acknowledged interaction; ephemeral
 * messages never reach a channel or the gateway; the bot receives MESSAGE_CREATE for its own
 * messages; message content is blanked for sessions without the MessageContent intent; a thread
 * started from a message takes the message's id; 2000-character content and embed limits answer
 * 400 "Invalid Form Body". Not modelled: permissions (every call is allowed), archiving, DMs,
 * payload compression and ETF (discord.js asks for neither unless zlib-sync or erlpack is
 * installed), per-route rate limits other than the injected ones, and heartbeat timeouts.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type {
  APIApplicationCommand,
  APIAttachment,
  APIEmbed,
  APIGuildMember,
  APIMessage,
  APINewsChannel,
  APIRole,
  APITextChannel,
  APIThreadChannel,
  APIThreadMember,
  APIUser,
  ChannelFlags,
  GuildMemberFlags,
  RoleFlags,
  ThreadMemberFlags,
  UserFlags,
} from 'discord.js';
import { type RawData, WebSocket, WebSocketServer } from 'ws';

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

/** Options for {@link startFakeDiscord}; every field is optional. */
export interface FakeDiscordOptions {
  /** Bot token that REST (`Authorization: Bot <token>`) and IDENTIFY must present. Default `'fake-discord-bot-token'`. */
  token?: string;
  /** Application id, also the bot user's id unless `botUser.id` is given. Default `'1300000000000000001'`. */
  applicationId?: string;
  /** Application flags sent in READY (`application.flags`). Default `0`. */
  applicationFlags?: number;
  /** Fields merged over the bot user (default username `'mockdesign'`, `bot: true`). */
  botUser?: Partial<APIUser>;
  /** Fields merged over the default human user that builders speak as (default id `'1300000000000000300'`, username `'candidate'`). */
  user?: Partial<APIUser>;
  /**
   * Guilds the bot is in, each sent as GUILD_CREATE after READY. Default: one guild
   * `'1300000000000000100'` ("mockdesign practice") with one text channel `'1300000000000000200'`
   * (`design-practice`).
   */
  guilds?: FakeGuildSeed[];
  /** `heartbeat_interval` sent in HELLO, in ms. Default `41250` (Discord's); lower it to see heartbeats in a short test. */
  heartbeatIntervalMs?: number;
  /**
   * Privileged intents the "Developer Portal" has enabled; an IDENTIFY asking for any other
   * privileged intent is closed with 4014. Default: all three (GuildMembers `1 << 1`,
   * GuildPresences `1 << 8`, MessageContent `1 << 15`).
   */
  allowedPrivilegedIntents?: number;
  /** How long an interaction accepts its initial callback before answering 404 Unknown interaction (10062). Default `3000` like Discord; `Infinity` disables. */
  interactionResponseTimeoutMs?: number;
}

/** A guild to seed. */
export interface FakeGuildSeed {
  /** Guild id (snowflake string). */
  id: string;
  /** Guild name. Default `'mockdesign practice'`. */
  name?: string;
  /** Owner's user id. Default: the default user's id. */
  ownerId?: string;
  /** Channels in the guild. Default: none. */
  channels?: FakeChannelSeed[];
}

/** A channel to seed inside a {@link FakeGuildSeed}. */
export interface FakeChannelSeed {
  /** Channel id (snowflake string). */
  id: string;
  /** Channel name. Default `'design-practice'`. */
  name?: string;
  /** 0 = text (default), 5 = announcement. */
  type?: 0 | 5;
  /** Channel topic. Default `null`. */
  topic?: string;
}

/** A message as the fake stores it: Discord's message object plus `guild_id`. Edits mutate it in place. */
export type FakeMessage = APIMessage & {
  /** The guild of the channel the message is in. */
  guild_id?: string;
};

/** A guild text, announcement or thread channel as the fake stores it. */
export type FakeChannel = (APITextChannel | APINewsChannel | APIThreadChannel) & {
  /** The guild the channel belongs to. */
  guild_id: string;
};

/** A thread channel as the fake stores it. */
export type FakeThread = APIThreadChannel & {
  /** The guild the thread belongs to. */
  guild_id: string;
  /** The channel the thread was created in. */
  parent_id: string;
};

/** The kinds of interaction the fake can send. */
export type FakeInteractionKind = 'slashCommand' | 'button' | 'autocomplete';

/**
 * Interaction callback types by the discord.js method that sends them: 4 `reply`,
 * 5 `deferReply`, 6 `deferUpdate`, 7 `update`, 8 `autocomplete` (`respond`), 9 `modal` (`showModal`).
 */
export type InteractionCallbackKind =
  | 'reply'
  | 'deferReply'
  | 'deferUpdate'
  | 'update'
  | 'autocomplete'
  | 'modal';

/** One HTTP request the fake answered. */
export interface RecordedCall {
  /** HTTP method, upper case. */
  method: string;
  /** Path after the version prefix, e.g. `/channels/123/messages`. */
  path: string;
  /** The matched route template, e.g. `/channels/:channelId/messages`; absent for unknown routes. */
  route?: string;
  /** Query string parameters. */
  query: Record<string, string>;
  /** The parsed JSON body (or `payload_json` of a multipart body); `undefined` when there was none. */
  body: unknown;
  /** Names of uploaded files in a multipart body. */
  files: string[];
  /** The status the fake answered. */
  status: number;
  /** For a 500: the fake's own error, to debug the fake. */
  error?: string;
  /** When it was answered (ms since epoch). */
  at: number;
}

/** An interaction callback (`POST /interactions/:id/:token/callback`) the bot sent. */
export interface RecordedInteractionResponse {
  /** The interaction it answers. */
  interactionId: string;
  /** The interaction's token. */
  token: string;
  /** What the interaction was. */
  interactionKind: FakeInteractionKind;
  /** Callback type number (4 to 9). */
  type: number;
  /** Callback type by discord.js method name. */
  kind: InteractionCallbackKind;
  /** The callback's `data` (message fields, `choices`, modal fields); `{}` when absent. */
  data: Record<string, unknown>;
  /** `data.flags` as sent (0 when absent). */
  flags: number;
  /** Whether flag 64 (ephemeral) was set; only meaningful for `reply` and `deferReply`. */
  ephemeral: boolean;
  /** The message created (`reply`, `deferReply`) or updated (`update`); a live object that later edits change. */
  message?: FakeMessage;
  /** Autocomplete choices, for `autocomplete`. */
  choices?: Array<{ name: string; value: string | number }>;
  /** Whether discord.js asked for `?with_response=true`. */
  withResponse: boolean;
  /** When it arrived (ms since epoch). */
  at: number;
}

/** Everything the fake knows about one interaction it sent. */
export interface FakeInteractionRecord {
  /** Interaction id. */
  id: string;
  /** Interaction token (also the webhook token for follow-ups). */
  token: string;
  /** What it was. */
  kind: FakeInteractionKind;
  /** Discord interaction type: 2 application command, 3 component, 4 autocomplete. */
  type: number;
  /** Channel (or thread) it happened in. */
  channelId: string;
  /** Guild it happened in. */
  guildId: string;
  /** The user who triggered it. */
  user: APIUser;
  /** Command name, for slash commands and autocomplete. */
  commandName?: string;
  /** Component `custom_id`, for buttons. */
  customId?: string;
  /** The message the button was on, for buttons. */
  sourceMessageId?: string;
  /** When it was dispatched (ms since epoch). */
  createdAt: number;
  /** The initial callback, once the bot sent one. */
  response?: RecordedInteractionResponse;
  /** Id of the `@original` message: the reply (4, 5) or the button's message (6, 7). */
  originalMessageId?: string;
  /** Follow-up messages (`POST /webhooks/:app/:token`), ephemeral ones included. */
  followUps: FakeMessage[];
  /** The INTERACTION_CREATE payload as dispatched. */
  payload: Record<string, unknown>;
}

/** What a builder returns so a test can wait for the matching callback. */
export interface SentInteraction {
  /** Interaction id; pass it to `waitForInteractionResponse`. */
  id: string;
  /** Interaction token. */
  token: string;
  /** Application id the interaction belongs to. */
  applicationId: string;
  /** Channel (or thread) it happened in. */
  channelId: string;
  /** Guild it happened in. */
  guildId: string;
  /** The user who triggered it. */
  user: APIUser;
}

/** A value for a slash command option: strings for string, user, channel and role options. */
export type SlashOptionValue = string | number | boolean;

/** Input for {@link FakeDiscord.sendSlashCommand}. */
export interface SendSlashCommandOptions {
  /** Command name, e.g. `'mockdesign'`. */
  name: string;
  /** Subcommand group name, if the command has groups. */
  subcommandGroup?: string;
  /** Subcommand name, e.g. `'start'`. */
  subcommand?: string;
  /**
   * Option values by name. When the command was registered with the fake, the registered option
   * types are used (and unknown or missing required options throw); otherwise the type is
   * inferred: string 3, integer 4, other number 10, boolean 5.
   */
  options?: Record<string, SlashOptionValue>;
  /** Who runs it. Default: the default user. */
  user?: Partial<APIUser>;
  /** Where. Default: the first seeded text channel. A thread id works too. */
  channelId?: string;
}

/** Input for {@link FakeDiscord.sendAutocomplete}. */
export interface SendAutocompleteOptions extends SendSlashCommandOptions {
  /** Name of the focused option; its value (what the user typed so far) is `options[focused]` or `''`. */
  focused: string;
}

/** Input for {@link FakeDiscord.sendButton}. */
export interface SendButtonOptions {
  /** The button's `custom_id`; it must be on the message when the message has components. */
  customId: string;
  /** The message (or its id) the button is on; the fake must know it (the bot posted it). */
  message: string | { id: string };
  /** Who presses it. Default: the default user. */
  user?: Partial<APIUser>;
}

/** Input for {@link FakeDiscord.sendMessage}. */
export interface SendMessageOptions {
  /** Channel or thread id. Default: the first seeded text channel. */
  channelId?: string;
  /** Message text. */
  content: string;
  /** Author. Default: the default user. */
  author?: Partial<APIUser>;
  /** Id of a message in the same channel this one replies to. */
  replyTo?: string;
}

/** Input for {@link FakeDiscord.createThread}. */
export interface CreateThreadOptions {
  /** Parent text channel id. Default: the first seeded text channel. */
  parentId?: string;
  /** Thread name. */
  name: string;
  /** Who creates it. Default: the default user. */
  owner?: Partial<APIUser>;
  /** Start it from this message (the thread takes the message's id). */
  startMessageId?: string;
  /** 11 public (default) or 12 private. */
  type?: 11 | 12;
}

/** Options for the `waitFor` helpers. */
export interface WaitOptions {
  /** Give up after this many ms. Default `5000`. */
  timeoutMs?: number;
  /** Named in the timeout error. */
  description?: string;
}

/** Options for {@link FakeDiscord.rateLimitNext}. */
export interface RateLimitOptions {
  /** Answer as a global rate limit (`X-RateLimit-Global`, scope `global`). Default `false`. */
  global?: boolean;
  /** How many matching requests get a 429. Default `1`. */
  times?: number;
}

/** A frame a client sent on the gateway. */
export interface RecordedGatewayFrame {
  /** Opcode (1 heartbeat, 2 identify, 6 resume, ...). */
  op: number;
  /** The frame's `d`. */
  d: unknown;
  /** The session the connection belonged to when the frame arrived, if any. */
  sessionId?: string;
  /** When it arrived (ms since epoch). */
  at: number;
}

/** A dispatch (op 0) the fake sent or queued for a session. */
export interface RecordedDispatch {
  /** Session it was for. */
  sessionId: string;
  /** Event name, e.g. `'MESSAGE_CREATE'`. */
  event: string;
  /** Sequence number within the session. */
  seq: number;
  /** The payload as sent to that session. */
  data: unknown;
  /** When (ms since epoch). */
  at: number;
}

/** A gateway WebSocket connection a client opened. */
export interface RecordedGatewayConnection {
  /** Query string parameters (`v`, `encoding`, and `compress` if the client asked for compression). */
  query: Record<string, string>;
  /** When (ms since epoch). */
  at: number;
}

/** Key in {@link FakeDiscord.commands} for global commands. */
export const GLOBAL_COMMANDS = 'global';

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
  /** Creates a thread as a user and dispatches THREAD_CREATE. */
  createThread(options: CreateThreadOptions): FakeThread;

  /**
   * Answers the next matching request(s) with 429 and Discord's rate-limit body and headers.
   * `route` is `'METHOD /path'` relative to `/api/v10`; `:name` segments match anything, so both
   * `'POST /channels/:channelId/messages'` and `'POST /channels/123/messages'` work.
   */
  rateLimitNext(route: string, retryAfterSeconds: number, options?: RateLimitOptions): void;
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

// ---------------------------------------------------------------------------------------------
// Discord constants (numbers as on the wire)
// ---------------------------------------------------------------------------------------------

const DISCORD_EPOCH = 1_420_070_400_000n;
const GATEWAY_VERSION = 10;
const MAX_BACKLOG = 1000;

const Op = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  PresenceUpdate: 3,
  VoiceStateUpdate: 4,
  Resume: 6,
  Reconnect: 7,
  RequestGuildMembers: 8,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
} as const;

const Intent = { Guilds: 1 << 0, GuildMessages: 1 << 9, MessageContent: 1 << 15 } as const;
const PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15);
const KNOWN_INTENTS = (1 << 26) - 1;

const MessageFlag = {
  SuppressEmbeds: 1 << 2,
  HasThread: 1 << 5,
  Ephemeral: 1 << 6,
  Loading: 1 << 7,
  SuppressNotifications: 1 << 12,
  IsComponentsV2: 1 << 15,
} as const;
/** Flags a bot may set when sending a message. */
const SENDABLE_FLAGS =
  MessageFlag.SuppressEmbeds | MessageFlag.SuppressNotifications | MessageFlag.IsComponentsV2;

const CALLBACK_KINDS: Record<number, InteractionCallbackKind> = {
  4: 'reply',
  5: 'deferReply',
  6: 'deferUpdate',
  7: 'update',
  8: 'autocomplete',
  9: 'modal',
};
/** Callback types each interaction kind may use. */
const ALLOWED_CALLBACKS: Record<FakeInteractionKind, readonly number[]> = {
  slashCommand: [4, 5, 9],
  button: [4, 5, 6, 7, 9],
  autocomplete: [8],
};

const bits = (...flags: number[]): string =>
  flags.reduce((all, bit) => all | (1n << BigInt(bit)), 0n).toString();
// AddReactions, ViewChannel, SendMessages, EmbedLinks, AttachFiles, ReadMessageHistory,
// UseApplicationCommands, CreatePublicThreads, CreatePrivateThreads, SendMessagesInThreads.
const EVERYONE_BITS = [6, 10, 11, 14, 15, 16, 31, 35, 36, 38];
const EVERYONE_PERMISSIONS = bits(...EVERYONE_BITS);
// Plus ManageMessages and ManageThreads.
const BOT_PERMISSIONS = bits(...EVERYONE_BITS, 13, 34);
const ALL_PERMISSIONS = ((1n << 51n) - 1n).toString();

const DEFAULT_TOKEN = 'fake-discord-bot-token';
const DEFAULT_APPLICATION_ID = '1300000000000000001';
const DEFAULT_GUILD_ID = '1300000000000000100';
const DEFAULT_CHANNEL_ID = '1300000000000000200';
const DEFAULT_USER_ID = '1300000000000000300';

// ---------------------------------------------------------------------------------------------
// Internal types
// ---------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;

interface UploadedFile {
  field: string;
  name: string;
  size: number;
  contentType: string;
}

interface ApiRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  files: UploadedFile[];
}

interface ApiResult {
  status: number;
  body?: unknown;
}

interface Route {
  method: string;
  pattern: string;
  segments: string[];
  /** Whether `Authorization: Bot <token>` is required (interaction and webhook-token routes are unauthenticated). */
  auth: boolean;
  handler: (request: ApiRequest) => ApiResult | Promise<ApiResult>;
}

interface RateLimitRule {
  method: string;
  segments: string[];
  retryAfter: number;
  global: boolean;
  remaining: number;
}

interface GuildState {
  id: string;
  name: string;
  ownerId: string;
  joinedAt: string;
  roles: APIRole[];
  members: Map<string, APIGuildMember>;
}

interface DispatchFrame {
  op: 0;
  t: string;
  s: number;
  d: unknown;
}

interface GatewaySession {
  id: string;
  intents: number;
  shard: [number, number];
  seq: number;
  socket: WebSocket | null;
  ready: boolean;
  backlog: DispatchFrame[];
}

interface GatewayConnection {
  socket: WebSocket;
  session?: GatewaySession;
}

interface MessageInit {
  channel: FakeChannel;
  author: APIUser;
  body: Json;
  files: UploadedFile[];
  flags: number;
  type: number;
  extra?: Partial<FakeMessage>;
}

/** An error answered as Discord's JSON error body. */
class DiscordApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: Json,
  ) {
    super(message);
  }

  toJSON(): Json {
    return this.errors
      ? { message: this.message, code: this.code, errors: this.errors }
      : { message: this.message, code: this.code };
  }
}

const notFound = (code: number, message: string) => new DiscordApiError(404, code, message);
const unknownChannel = () => notFound(10003, 'Unknown Channel');
const unknownMessage = () => notFound(10008, 'Unknown Message');
const unknownWebhook = () => notFound(10015, 'Unknown Webhook');
const unknownInteraction = () => notFound(10062, 'Unknown interaction');
const invalidFormBody = (errors: Json) =>
  new DiscordApiError(400, 50035, 'Invalid Form Body', errors);

// ---------------------------------------------------------------------------------------------
// The fake
// ---------------------------------------------------------------------------------------------

class FakeDiscordServer implements FakeDiscord {
  apiUrl = '';
  gatewayUrl = '';
  readonly token: string;
  readonly applicationId: string;
  readonly botUser: APIUser;
  readonly user: APIUser;
  readonly guildId: string;
  readonly channelId: string;

  readonly calls: RecordedCall[] = [];
  readonly messages = new Map<string, FakeMessage[]>();
  readonly interactionResponses: RecordedInteractionResponse[] = [];
  readonly interactions = new Map<string, FakeInteractionRecord>();
  readonly commands = new Map<string, APIApplicationCommand[]>();
  readonly threads: FakeThread[] = [];
  readonly gatewayReceived: RecordedGatewayFrame[] = [];
  readonly gatewayConnections: RecordedGatewayConnection[] = [];
  readonly dispatched: RecordedDispatch[] = [];

  private readonly applicationFlags: number;
  private readonly heartbeatIntervalMs: number;
  private readonly allowedPrivilegedIntents: number;
  private readonly interactionResponseTimeoutMs: number;
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<WebSocket>();
  private readonly events = new EventEmitter();
  private readonly nextId = createSnowflakeFactory();
  private readonly routes: Route[];
  private readonly rateLimits: RateLimitRule[] = [];
  private readonly guilds = new Map<string, GuildState>();
  private readonly channels = new Map<string, FakeChannel>();
  private readonly messageIndex = new Map<string, FakeMessage>();
  private readonly users = new Map<string, APIUser>();
  private readonly sessions = new Map<string, GatewaySession>();
  private readonly interactionsByToken = new Map<string, FakeInteractionRecord>();
  private readonly syntheticCommandIds = new Map<string, string>();
  private identifies = 0;
  private closed = false;

  constructor(options: FakeDiscordOptions) {
    this.token = options.token ?? DEFAULT_TOKEN;
    this.applicationId = options.applicationId ?? DEFAULT_APPLICATION_ID;
    this.applicationFlags = options.applicationFlags ?? 0;
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 41_250;
    this.allowedPrivilegedIntents = options.allowedPrivilegedIntents ?? PRIVILEGED_INTENTS;
    this.interactionResponseTimeoutMs = options.interactionResponseTimeoutMs ?? 3000;
    this.events.setMaxListeners(0);

    this.botUser = this.rememberUser({
      ...baseUser(this.applicationId, 'mockdesign'),
      bot: true,
      ...options.botUser,
    });
    this.user = this.rememberUser({
      ...baseUser(DEFAULT_USER_ID, 'candidate'),
      ...options.user,
    });

    const seeds = options.guilds ?? [
      {
        id: DEFAULT_GUILD_ID,
        channels: [{ id: DEFAULT_CHANNEL_ID }],
      },
    ];
    for (const seed of seeds) this.seedGuild(seed);
    const firstGuild = seeds[0];
    if (!firstGuild) throw new Error('fake-discord: seed at least one guild');
    this.guildId = firstGuild.id;
    this.channelId = firstGuild.channels?.[0]?.id ?? '';

    this.routes = this.buildRoutes();
    this.server = createServer((req, res) => {
      void this.handleHttp(req, res);
    });
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.onUpgrade(req, socket, head),
    );
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const { port } = this.server.address() as AddressInfo;
    this.apiUrl = `http://127.0.0.1:${port}/api`;
    this.gatewayUrl = `ws://127.0.0.1:${port}/gateway`;
  }

  // ----- recordings -------------------------------------------------------------------------

  messagesIn(channelId: string): readonly FakeMessage[] {
    return this.messages.get(channelId) ?? [];
  }

  getMessage(messageId: string): FakeMessage | undefined {
    return this.messageIndex.get(messageId);
  }

  getChannel(channelId: string): FakeChannel | undefined {
    return this.channels.get(channelId);
  }

  // ----- test API: speaking as users --------------------------------------------------------

  dispatch(event: string, data: unknown): void {
    for (const session of this.sessions.values()) {
      if (session.ready) this.sendDispatch(session, event, data);
    }
    this.changed();
  }

  sendSlashCommand(options: SendSlashCommandOptions): SentInteraction {
    const channel = this.requireChannelForTest(options.channelId);
    const user = this.resolveUser(options.user);
    const { data } = this.commandData(channel, options);
    return this.createInteraction({ kind: 'slashCommand', type: 2, channel, user, data });
  }

  sendAutocomplete(options: SendAutocompleteOptions): SentInteraction {
    const channel = this.requireChannelForTest(options.channelId);
    const user = this.resolveUser(options.user);
    const values = { ...options.options };
    values[options.focused] = String(values[options.focused] ?? '');
    const { data } = this.commandData(channel, { ...options, options: values }, options.focused);
    return this.createInteraction({ kind: 'autocomplete', type: 4, channel, user, data });
  }

  sendButton(options: SendButtonOptions): SentInteraction {
    const messageId = typeof options.message === 'string' ? options.message : options.message.id;
    const message = this.messageIndex.get(messageId);
    if (!message) throw new Error(`fake-discord: no message ${messageId} to press a button on`);
    const components = message.components ?? [];
    if (components.length > 0 && !hasCustomId(components, options.customId)) {
      throw new Error(
        `fake-discord: message ${messageId} has no component with custom_id "${options.customId}"`,
      );
    }
    const channel = this.requireChannelForTest(message.channel_id);
    const user = this.resolveUser(options.user);
    return this.createInteraction({
      kind: 'button',
      type: 3,
      channel,
      user,
      data: { custom_id: options.customId, component_type: 2 },
      message,
    });
  }

  sendMessage(options: SendMessageOptions): FakeMessage {
    this.requireReadySession();
    const channel = this.requireChannelForTest(options.channelId);
    const author = this.resolveUser(options.author);
    const body: Json = { content: options.content };
    if (options.replyTo) body.message_reference = { message_id: options.replyTo };
    const message = this.createChannelMessage(channel, author, body, [], 0);
    return message;
  }

  createThread(options: CreateThreadOptions): FakeThread {
    const parent = this.requireChannelForTest(options.parentId);
    const owner = this.resolveUser(options.owner);
    const startMessage = options.startMessageId
      ? this.requireMessage(parent.id, options.startMessageId)
      : undefined;
    const thread = this.createThreadChannel({
      parent,
      name: options.name,
      type: options.type ?? 11,
      owner,
      id: startMessage?.id,
    });
    if (startMessage) this.markThreadStarted(startMessage, thread);
    this.changed();
    return thread;
  }

  // ----- test API: faults -------------------------------------------------------------------

  rateLimitNext(route: string, retryAfterSeconds: number, options: RateLimitOptions = {}): void {
    const { method, segments } = parseRouteSpec(route);
    this.rateLimits.push({
      method,
      segments,
      retryAfter: retryAfterSeconds,
      global: options.global ?? false,
      remaining: options.times ?? 1,
    });
  }

  requestReconnect(): void {
    for (const socket of this.sockets) {
      sendFrame(socket, { op: Op.Reconnect, d: null, s: null, t: null });
    }
  }

  dropGatewayConnections(code = 4000): void {
    for (const session of this.sessions.values()) session.socket = null;
    for (const socket of this.sockets) socket.close(code, 'fake-discord dropped the connection');
  }

  // ----- test API: waiting ------------------------------------------------------------------

  waitFor<T>(probe: () => T | undefined | null | false, options: WaitOptions = {}): Promise<T> {
    const timeoutMs = options.timeoutMs ?? 5000;
    const what = options.description ?? 'a condition';
    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = () => {
        clearTimeout(timer);
        this.events.off('change', check);
        this.events.off('close', onClose);
      };
      function check(): boolean {
        let value: T | undefined | null | false;
        try {
          value = probe();
        } catch (error) {
          finish();
          reject(error);
          return true;
        }
        if (value === undefined || value === null || value === false) return false;
        finish();
        resolve(value);
        return true;
      }
      const onClose = () => {
        finish();
        reject(new Error(`fake-discord closed while waiting for ${what}`));
      };
      if (check()) return;
      timer = setTimeout(() => {
        finish();
        reject(new Error(`fake-discord: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.events.on('change', check);
      this.events.on('close', onClose);
    });
  }

  async waitForReady(options: WaitOptions = {}): Promise<void> {
    await this.waitFor(() => [...this.sessions.values()].some((session) => session.ready), {
      description: 'a ready gateway session',
      ...options,
    });
  }

  waitForInteractionResponse(
    interactionId: string,
    options: WaitOptions = {},
  ): Promise<RecordedInteractionResponse> {
    return this.waitFor(() => this.interactions.get(interactionId)?.response, {
      description: `the callback for interaction ${interactionId}`,
      ...options,
    });
  }

  waitForMessage(
    channelId: string,
    predicate: (message: FakeMessage) => boolean = () => true,
    options: WaitOptions = {},
  ): Promise<FakeMessage> {
    return this.waitFor(() => this.messagesIn(channelId).find(predicate), {
      description: `a message in channel ${channelId}`,
      ...options,
    });
  }

  waitForCall(route: string, options: WaitOptions = {}): Promise<RecordedCall> {
    const { method, segments } = parseRouteSpec(route);
    return this.waitFor(
      () =>
        this.calls.find(
          (call) => call.method === method && segmentsMatch(segments, splitPath(call.path)),
        ),
      { description: `a call to ${route}`, ...options },
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.events.emit('close');
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private changed(): void {
    this.events.emit('change');
  }

  // ----- seed data --------------------------------------------------------------------------

  private seedGuild(seed: FakeGuildSeed): void {
    const ownerId = seed.ownerId ?? this.user.id;
    const botRoleId = this.nextId();
    const guild: GuildState = {
      id: seed.id,
      name: seed.name ?? 'mockdesign practice',
      ownerId,
      joinedAt: new Date().toISOString(),
      roles: [
        role(seed.id, '@everyone', 0, EVERYONE_PERMISSIONS),
        {
          ...role(botRoleId, this.botUser.username, 1, BOT_PERMISSIONS),
          managed: true,
          tags: { bot_id: this.botUser.id },
        },
      ],
      members: new Map(),
    };
    this.guilds.set(guild.id, guild);
    guild.members.set(this.botUser.id, member(this.botUser, [botRoleId], guild.joinedAt));
    guild.members.set(this.user.id, member(this.user, [], guild.joinedAt));
    seed.channels?.forEach((channelSeed, position) => {
      const channel: APITextChannel | APINewsChannel = {
        id: channelSeed.id,
        type: channelSeed.type ?? 0,
        guild_id: guild.id,
        name: channelSeed.name ?? 'design-practice',
        position,
        parent_id: null,
        topic: channelSeed.topic ?? null,
        nsfw: false,
        last_message_id: null,
        rate_limit_per_user: 0,
        permission_overwrites: [],
        default_auto_archive_duration: 1440,
        flags: 0 as ChannelFlags,
      };
      this.channels.set(channel.id, { ...channel, guild_id: guild.id });
    });
  }

  private rememberUser(user: APIUser): APIUser {
    const known = this.users.get(user.id);
    const merged = known ? Object.assign(known, user) : user;
    this.users.set(merged.id, merged);
    return merged;
  }

  /** The default user, a known user by id, or a new user (who joins every guild). */
  private resolveUser(partial: Partial<APIUser> | undefined): APIUser {
    if (!partial) return this.user;
    const id = partial.id ?? this.nextId();
    const known = this.users.get(id);
    const user = this.rememberUser({
      ...(known ?? baseUser(id, `user-${id.slice(-4)}`)),
      ...partial,
      id,
    });
    for (const guild of this.guilds.values()) {
      if (!guild.members.has(id)) guild.members.set(id, member(user, [], new Date().toISOString()));
    }
    return user;
  }

  private requireChannelForTest(channelId: string | undefined): FakeChannel {
    const id = channelId ?? this.channelId;
    const channel = this.channels.get(id);
    if (!channel) throw new Error(`fake-discord: unknown channel ${id}`);
    return channel;
  }

  private requireReadySession(): void {
    if (![...this.sessions.values()].some((session) => session.ready)) {
      throw new Error(
        'fake-discord: no gateway session is ready; wait for Events.ClientReady or fake.waitForReady() first',
      );
    }
  }

  // ----- interactions -----------------------------------------------------------------------

  private commandData(
    channel: FakeChannel,
    options: SendSlashCommandOptions,
    focused?: string,
  ): { data: Json } {
    const command =
      this.commands.get(channel.guild_id)?.find((c) => c.name === options.name && c.type === 1) ??
      this.commands.get(GLOBAL_COMMANDS)?.find((c) => c.name === options.name && c.type === 1);
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
    return { data };
  }

  private syntheticCommandId(name: string): string {
    let id = this.syntheticCommandIds.get(name);
    if (!id) {
      id = this.nextId();
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
      const user = this.users.get(id);
      if (!user) throw new Error(`fake-discord: unknown user ${id} for a user option`);
      add('users', user);
      const found = this.guilds.get(guildId)?.members.get(id);
      if (found) {
        const { user: _user, ...rest } = found;
        add('members', { ...rest, permissions: EVERYONE_PERMISSIONS });
      }
    } else if (type === 7) {
      const channel = this.channels.get(id);
      if (!channel) throw new Error(`fake-discord: unknown channel ${id} for a channel option`);
      add('channels', { ...channel, permissions: EVERYONE_PERMISSIONS });
    } else if (type === 8) {
      const found = this.guilds.get(guildId)?.roles.find((r) => r.id === id);
      if (!found) throw new Error(`fake-discord: unknown role ${id} for a role option`);
      add('roles', found);
    }
  }

  private createInteraction(init: {
    kind: FakeInteractionKind;
    type: number;
    channel: FakeChannel;
    user: APIUser;
    data: Json;
    message?: FakeMessage;
  }): SentInteraction {
    this.requireReadySession();
    const { channel, user } = init;
    const guild = this.requireGuild(channel.guild_id);
    const id = this.nextId();
    const token = `fake-interaction-${randomBytes(24).toString('base64url')}`;
    const payload: Json = {
      id,
      application_id: this.applicationId,
      type: init.type,
      data: init.data,
      guild_id: guild.id,
      guild: { id: guild.id, locale: 'en-US', features: [] },
      channel: { ...channel, permissions: this.permissionsOf(guild, user.id) },
      channel_id: channel.id,
      member: {
        ...this.memberOf(guild, user),
        permissions: this.permissionsOf(guild, user.id),
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
    this.interactions.set(id, record);
    this.interactionsByToken.set(token, record);
    this.broadcast('INTERACTION_CREATE', payload, { guildId: guild.id });
    this.changed();
    return {
      id,
      token,
      applicationId: this.applicationId,
      channelId: channel.id,
      guildId: guild.id,
      user,
    };
  }

  private permissionsOf(guild: GuildState, userId: string): string {
    return userId === guild.ownerId ? ALL_PERMISSIONS : EVERYONE_PERMISSIONS;
  }

  private memberOf(guild: GuildState, user: APIUser): APIGuildMember {
    const found = guild.members.get(user.id);
    if (found) return { ...found, user };
    const created = member(user, [], new Date().toISOString());
    guild.members.set(user.id, created);
    return created;
  }

  private interactionMetadata(record: FakeInteractionRecord): Json {
    const metadata: Json = {
      id: record.id,
      type: record.type,
      user: record.user,
      authorizing_integration_owners: { '0': record.guildId },
    };
    if (record.sourceMessageId) metadata.interacted_message_id = record.sourceMessageId;
    return metadata;
  }

  // ----- gateway ----------------------------------------------------------------------------

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (this.closed || (url.pathname !== '/gateway' && url.pathname !== '/gateway/')) {
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.onGatewayConnection(ws, url.searchParams);
    });
  }

  private onGatewayConnection(socket: WebSocket, query: URLSearchParams): void {
    this.sockets.add(socket);
    this.gatewayConnections.push({ query: Object.fromEntries(query), at: Date.now() });
    const connection: GatewayConnection = { socket };
    socket.on('message', (data, isBinary) => this.onGatewayMessage(connection, data, isBinary));
    socket.on('close', (code) => this.onGatewayClose(connection, code));
    socket.on('error', () => socket.terminate());
    sendFrame(socket, {
      op: Op.Hello,
      d: { heartbeat_interval: this.heartbeatIntervalMs, _trace: ['["fake-discord-gateway"]'] },
      s: null,
      t: null,
    });
    this.changed();
  }

  private onGatewayMessage(connection: GatewayConnection, data: RawData, isBinary: boolean): void {
    const { socket } = connection;
    let frame: unknown;
    try {
      if (isBinary) throw new Error('binary frames (ETF, compression) are not supported');
      frame = JSON.parse(rawToString(data));
    } catch {
      socket.close(4002, 'Error while decoding payload.');
      return;
    }
    if (!isRecord(frame) || typeof frame.op !== 'number') {
      socket.close(4002, 'Error while decoding payload.');
      return;
    }
    const received: RecordedGatewayFrame = { op: frame.op, d: frame.d, at: Date.now() };
    if (connection.session) received.sessionId = connection.session.id;
    this.gatewayReceived.push(received);

    switch (frame.op) {
      case Op.Heartbeat:
        sendFrame(socket, { op: Op.HeartbeatAck, d: null, s: null, t: null });
        break;
      case Op.Identify:
        this.identify(connection, asRecord(frame.d));
        break;
      case Op.Resume:
        this.resume(connection, asRecord(frame.d));
        break;
      case Op.PresenceUpdate:
      case Op.VoiceStateUpdate:
        if (!connection.session) socket.close(4003, 'Not authenticated.');
        break;
      case Op.RequestGuildMembers:
        if (!connection.session) socket.close(4003, 'Not authenticated.');
        else this.sendMemberChunk(connection.session, asRecord(frame.d));
        break;
      default:
        socket.close(4001, 'Unknown opcode.');
    }
    this.changed();
  }

  private identify(connection: GatewayConnection, d: Json): void {
    const { socket } = connection;
    if (connection.session) {
      socket.close(4005, 'Already authenticated.');
      return;
    }
    if (d.token !== this.token) {
      socket.close(4004, 'Authentication failed.');
      return;
    }
    const intents = d.intents;
    if (typeof intents !== 'number' || (intents & ~KNOWN_INTENTS) !== 0) {
      socket.close(4013, 'Invalid intent(s).');
      return;
    }
    if ((intents & PRIVILEGED_INTENTS & ~this.allowedPrivilegedIntents) !== 0) {
      socket.close(4014, 'Disallowed intent(s).');
      return;
    }
    const shard = Array.isArray(d.shard) ? d.shard : [0, 1];
    const [shardId, shardCount] = shard;
    if (
      typeof shardId !== 'number' ||
      typeof shardCount !== 'number' ||
      shardCount < 1 ||
      shardId < 0 ||
      shardId >= shardCount
    ) {
      socket.close(4010, 'Invalid shard.');
      return;
    }

    const session: GatewaySession = {
      id: randomBytes(16).toString('hex'),
      intents,
      shard: [shardId, shardCount],
      seq: 0,
      socket,
      ready: false,
      backlog: [],
    };
    this.sessions.set(session.id, session);
    connection.session = session;
    this.identifies += 1;

    const guilds = [...this.guilds.values()].filter((g) => this.sessionHasGuild(session, g.id));
    this.sendDispatch(session, 'READY', {
      v: GATEWAY_VERSION,
      user: { ...this.botUser, verified: true, mfa_enabled: false, email: null, flags: 0 },
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      session_type: 'normal',
      resume_gateway_url: this.gatewayUrl,
      shard: session.shard,
      application: { id: this.applicationId, flags: this.applicationFlags },
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      user_settings: {},
      _trace: ['["fake-discord-gateway"]'],
    });
    for (const guild of guilds) this.sendDispatch(session, 'GUILD_CREATE', this.guildCreate(guild));
    session.ready = true;
  }

  private resume(connection: GatewayConnection, d: Json): void {
    const { socket } = connection;
    if (connection.session) {
      socket.close(4005, 'Already authenticated.');
      return;
    }
    const session = typeof d.session_id === 'string' ? this.sessions.get(d.session_id) : undefined;
    const seq = typeof d.seq === 'number' ? d.seq : 0;
    const oldest = session?.backlog[0]?.s ?? 1;
    if (!session || d.token !== this.token || oldest > seq + 1) {
      sendFrame(socket, { op: Op.InvalidSession, d: false, s: null, t: null });
      return;
    }
    if (seq > session.seq) {
      socket.close(4007, 'Invalid seq.');
      return;
    }
    if (session.socket && session.socket !== socket) session.socket.close(4009, 'Session resumed');
    session.socket = socket;
    connection.session = session;
    for (const frame of session.backlog) {
      if (frame.s > seq) sendFrame(socket, frame);
    }
    this.sendDispatch(session, 'RESUMED', { _trace: ['["fake-discord-gateway"]'] });
  }

  private onGatewayClose(connection: GatewayConnection, code: number): void {
    this.sockets.delete(connection.socket);
    const session = connection.session;
    if (session && session.socket === connection.socket) {
      session.socket = null;
      // Like Discord: a client closing with 1000/1001 ends its session; other codes keep it resumable.
      if (code === 1000 || code === 1001) this.sessions.delete(session.id);
    }
    this.changed();
  }

  private sendMemberChunk(session: GatewaySession, d: Json): void {
    const guild = typeof d.guild_id === 'string' ? this.guilds.get(d.guild_id) : undefined;
    if (!guild) return;
    const ids = Array.isArray(d.user_ids) ? d.user_ids.map(String) : undefined;
    const query = typeof d.query === 'string' ? d.query.toLowerCase() : '';
    const limit = typeof d.limit === 'number' && d.limit > 0 ? d.limit : Number.POSITIVE_INFINITY;
    const members = [...guild.members.values()]
      .filter((m) =>
        ids ? ids.includes(m.user.id) : m.user.username.toLowerCase().startsWith(query),
      )
      .slice(0, limit);
    const chunk: Json = { guild_id: guild.id, members, chunk_index: 0, chunk_count: 1 };
    if (ids) chunk.not_found = ids.filter((id) => !guild.members.has(id));
    if (d.nonce !== undefined) chunk.nonce = d.nonce;
    this.sendDispatch(session, 'GUILD_MEMBERS_CHUNK', chunk);
  }

  private sessionHasGuild(session: GatewaySession, guildId: string): boolean {
    const [shardId, shardCount] = session.shard;
    return Number((BigInt(guildId) >> 22n) % BigInt(shardCount)) === shardId;
  }

  private sendDispatch(session: GatewaySession, event: string, data: unknown): void {
    session.seq += 1;
    const frame: DispatchFrame = { op: Op.Dispatch, t: event, s: session.seq, d: data };
    session.backlog.push(frame);
    if (session.backlog.length > MAX_BACKLOG) session.backlog.shift();
    this.dispatched.push({ sessionId: session.id, event, seq: session.seq, data, at: Date.now() });
    if (session.socket) sendFrame(session.socket, frame);
  }

  /** Dispatches to every ready session whose shard holds the guild and whose intents include `intent`. */
  private broadcast(
    event: string,
    data: unknown,
    options: { guildId: string; intent?: number; shape?: (session: GatewaySession) => unknown },
  ): void {
    for (const session of this.sessions.values()) {
      if (!session.ready || !this.sessionHasGuild(session, options.guildId)) continue;
      if (options.intent !== undefined && (session.intents & options.intent) === 0) continue;
      this.sendDispatch(session, event, options.shape ? options.shape(session) : data);
    }
  }

  private guildCreate(guild: GuildState): Json {
    const channels = [...this.channels.values()].filter((c) => c.guild_id === guild.id);
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: guild.ownerId,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      nsfw_level: 0,
      premium_tier: 0,
      premium_subscription_count: 0,
      premium_progress_bar_enabled: false,
      preferred_locale: 'en-US',
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      vanity_url_code: null,
      application_id: null,
      features: [],
      roles: guild.roles,
      emojis: [],
      stickers: [],
      joined_at: guild.joinedAt,
      large: false,
      unavailable: false,
      member_count: guild.members.size,
      members: [...guild.members.values()],
      channels: channels.filter((c) => !isThread(c)),
      threads: channels.filter((c) => isThread(c)),
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  // ----- messages and threads ---------------------------------------------------------------

  private buildMessage(init: MessageInit): FakeMessage {
    const { channel, author, body } = init;
    const content = typeof body.content === 'string' ? body.content : '';
    const message: FakeMessage = {
      id: this.nextId(),
      channel_id: channel.id,
      guild_id: channel.guild_id,
      author: { ...author },
      content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: body.tts === true,
      mention_everyone: false,
      mentions: this.mentionsIn(content),
      mention_roles: [],
      attachments: attachmentsFor(channel.id, body, init.files, this.nextId),
      embeds: normalizeEmbeds(body.embeds),
      components: Array.isArray(body.components)
        ? (body.components as FakeMessage['components'])
        : [],
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
      const referenced = this.messageIndex.get(reference.message_id);
      if (!referenced || referenced.channel_id !== channel.id) throw unknownMessage();
      message.type = 19;
      message.message_reference = {
        type: 0,
        message_id: referenced.id,
        channel_id: channel.id,
        guild_id: channel.guild_id,
      };
      const { referenced_message: _nested, ...copy } = referenced;
      message.referenced_message = copy;
    }
    this.messageIndex.set(message.id, message);
    return message;
  }

  private mentionsIn(content: string): APIUser[] {
    const ids = new Set([...content.matchAll(/<@!?(\d+)>/g)].map((match) => match[1]));
    return [...ids].flatMap((id) => {
      const user = id ? this.users.get(id) : undefined;
      return user ? [user] : [];
    });
  }

  /** Creates a visible message in a channel or thread and dispatches MESSAGE_CREATE. */
  private createChannelMessage(
    channel: FakeChannel,
    author: APIUser,
    body: Json,
    files: UploadedFile[],
    flags: number,
    type = 0,
    extra?: Partial<FakeMessage>,
  ): FakeMessage {
    const message = this.buildMessage({ channel, author, body, files, flags, type, extra });
    this.appendToChannel(channel, message);
    this.broadcastMessage('MESSAGE_CREATE', message);
    return message;
  }

  private appendToChannel(channel: FakeChannel, message: FakeMessage): void {
    const list = this.messages.get(channel.id) ?? [];
    list.push(message);
    this.messages.set(channel.id, list);
    channel.last_message_id = message.id;
    if (isThread(channel)) {
      channel.message_count = (channel.message_count ?? 0) + 1;
      channel.total_message_sent = (channel.total_message_sent ?? 0) + 1;
      message.position = channel.total_message_sent - 1;
    }
  }

  private broadcastMessage(event: 'MESSAGE_CREATE' | 'MESSAGE_UPDATE', message: FakeMessage): void {
    const guild = this.guilds.get(message.guild_id ?? '');
    if (!guild) return;
    const { user: _user, ...authorMember } = this.memberOf(guild, message.author);
    const full = { ...message, guild_id: guild.id, member: authorMember };
    this.broadcast(event, full, {
      guildId: guild.id,
      intent: Intent.GuildMessages,
      shape: (session) => (this.sessionSeesContent(session, message) ? full : withoutContent(full)),
    });
  }

  /** Discord's MessageContent rule: content is sent for the app's own messages, mentions of the app, or with the intent. */
  private sessionSeesContent(session: GatewaySession, message: FakeMessage): boolean {
    return (
      (session.intents & Intent.MessageContent) !== 0 ||
      message.author.id === this.botUser.id ||
      message.mentions.some((user) => user.id === this.botUser.id)
    );
  }

  private removeMessage(message: FakeMessage): void {
    this.messageIndex.delete(message.id);
    const list = this.messages.get(message.channel_id);
    const index = list?.indexOf(message) ?? -1;
    if (list && index >= 0) {
      list.splice(index, 1);
      this.broadcast(
        'MESSAGE_DELETE',
        { id: message.id, channel_id: message.channel_id, guild_id: message.guild_id },
        { guildId: message.guild_id ?? '', intent: Intent.GuildMessages },
      );
    }
  }

  private isVisible(message: FakeMessage): boolean {
    return this.messages.get(message.channel_id)?.includes(message) ?? false;
  }

  private createThreadChannel(init: {
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
      id: init.id ?? this.nextId(),
      type: init.type === 12 ? 12 : init.parent.type === 5 ? 10 : 11,
      guild_id: init.parent.guild_id,
      parent_id: init.parent.id,
      owner_id: init.owner.id,
      name: init.name,
      last_message_id: null,
      message_count: 0,
      member_count: 1,
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
    this.channels.set(thread.id, thread);
    this.threads.push(thread);
    const event: Json = { ...thread, newly_created: true };
    if (init.owner.id === this.botUser.id) event.member = this.threadMember(thread);
    this.broadcast('THREAD_CREATE', event, { guildId: thread.guild_id, intent: Intent.Guilds });
    return thread;
  }

  private threadMember(thread: FakeThread): APIThreadMember {
    return {
      id: thread.id,
      user_id: this.botUser.id,
      join_timestamp: thread.thread_metadata?.create_timestamp ?? new Date().toISOString(),
      flags: 0 as ThreadMemberFlags,
    };
  }

  private markThreadStarted(message: FakeMessage, thread: FakeThread): void {
    message.flags = (message.flags ?? 0) | MessageFlag.HasThread;
    message.thread = thread;
    this.broadcastMessage('MESSAGE_UPDATE', message);
  }

  private requireGuild(guildId: string): GuildState {
    const guild = this.guilds.get(guildId);
    if (!guild) throw notFound(10004, 'Unknown Guild');
    return guild;
  }

  private requireChannel(channelId: string): FakeChannel {
    const channel = this.channels.get(channelId);
    if (!channel) throw unknownChannel();
    return channel;
  }

  private requireMessage(channelId: string, messageId: string): FakeMessage {
    const message = this.messageIndex.get(messageId);
    if (!message || message.channel_id !== channelId || !this.isVisible(message)) {
      throw unknownMessage();
    }
    return message;
  }

  // ----- HTTP -------------------------------------------------------------------------------

  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const versioned = /^\/api(?:\/v\d+)?(\/.*)$/.exec(url.pathname);
    const path = versioned?.[1] ?? url.pathname;
    const call: RecordedCall = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      files: [],
      status: 500,
      at: Date.now(),
    };
    let body: unknown;
    let headers: Record<string, string> = {};
    try {
      const raw = await readBody(req);
      const parsed = await parseBody(raw, req.headers['content-type']);
      call.body = parsed.body;
      call.files = parsed.files.map((file) => file.name);
      const match = versioned ? this.matchRoute(method, path) : undefined;
      if (!match) throw notFound(0, '404: Not Found');
      call.route = match.route.pattern;
      if (match.route.auth && req.headers.authorization !== `Bot ${this.token}`) {
        throw new DiscordApiError(401, 0, '401: Unauthorized');
      }
      const limited = this.takeRateLimit(method, path);
      if (limited) {
        call.status = 429;
        headers = rateLimitHeaders(limited, match.route.pattern);
        body = {
          message: 'You are being rate limited.',
          retry_after: limited.retryAfter,
          global: limited.global,
        };
      } else {
        const result = await match.route.handler({
          method,
          path,
          params: match.params,
          query: url.searchParams,
          body: parsed.body,
          files: parsed.files,
        });
        call.status = result.status;
        body = result.body;
      }
    } catch (error) {
      if (error instanceof DiscordApiError) {
        call.status = error.status;
        body = error.toJSON();
      } else {
        call.status = 500;
        call.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
        body = { message: '500: Internal Server Error', code: 0 };
      }
    }
    call.at = Date.now();
    this.calls.push(call);
    if (call.status === 204 || body === undefined) {
      res.writeHead(call.status === 200 ? 204 : call.status, headers).end();
    } else {
      res
        .writeHead(call.status, { ...headers, 'content-type': 'application/json' })
        .end(JSON.stringify(body));
    }
    this.changed();
  }

  private matchRoute(
    method: string,
    path: string,
  ): { route: Route; params: Record<string, string> } | undefined {
    const segments = splitPath(path);
    for (const route of this.routes) {
      if (route.method !== method || route.segments.length !== segments.length) continue;
      const params: Record<string, string> = {};
      const matched = route.segments.every((segment, index) => {
        const actual = segments[index] ?? '';
        if (segment.startsWith(':')) {
          params[segment.slice(1)] = decodeURIComponent(actual);
          return true;
        }
        return segment === actual;
      });
      if (matched) return { route, params };
    }
    return undefined;
  }

  private takeRateLimit(method: string, path: string): RateLimitRule | undefined {
    const segments = splitPath(path);
    const index = this.rateLimits.findIndex(
      (rule) => rule.method === method && segmentsMatch(rule.segments, segments),
    );
    const rule = this.rateLimits[index];
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rateLimits.splice(index, 1);
    return rule;
  }

  private buildRoutes(): Route[] {
    const route = (spec: string, handler: Route['handler'], auth = true): Route => {
      const { method, segments } = parseRouteSpec(spec);
      return { method, pattern: `/${segments.join('/')}`, segments, auth, handler };
    };
    const ok = (body: unknown, status = 200): ApiResult => ({ status, body });
    const noContent: ApiResult = { status: 204 };
    return [
      route('GET /gateway', () => ok({ url: this.gatewayUrl }), false),
      route('GET /gateway/bot', () =>
        ok({
          url: this.gatewayUrl,
          shards: 1,
          session_start_limit: {
            total: 1000,
            remaining: Math.max(0, 1000 - this.identifies),
            reset_after: 86_400_000,
            max_concurrency: 1,
          },
        }),
      ),
      route('GET /users/@me', () => ok(this.botUser)),
      route('GET /applications/@me', () => ok(this.applicationObject())),
      route('GET /applications/:applicationId/commands', (r) =>
        ok(this.listCommands(r.params, GLOBAL_COMMANDS)),
      ),
      route('PUT /applications/:applicationId/commands', (r) =>
        ok(this.putCommands(r, GLOBAL_COMMANDS)),
      ),
      route('POST /applications/:applicationId/commands', (r) =>
        ok(this.upsertCommand(r, GLOBAL_COMMANDS), 201),
      ),
      route('GET /applications/:applicationId/guilds/:guildId/commands', (r) =>
        ok(this.listCommands(r.params, r.params.guildId ?? '')),
      ),
      route('PUT /applications/:applicationId/guilds/:guildId/commands', (r) =>
        ok(this.putCommands(r, r.params.guildId ?? '')),
      ),
      route('POST /applications/:applicationId/guilds/:guildId/commands', (r) =>
        ok(this.upsertCommand(r, r.params.guildId ?? ''), 201),
      ),
      route(
        'POST /interactions/:interactionId/:interactionToken/callback',
        (r) => this.interactionCallback(r),
        false,
      ),
      route('POST /webhooks/:applicationId/:interactionToken', (r) => this.followUp(r), false),
      route(
        'GET /webhooks/:applicationId/:interactionToken/messages/:messageId',
        (r) => ok(this.webhookMessage(r).message),
        false,
      ),
      route(
        'PATCH /webhooks/:applicationId/:interactionToken/messages/:messageId',
        (r) => ok(this.editWebhookMessage(r)),
        false,
      ),
      route(
        'DELETE /webhooks/:applicationId/:interactionToken/messages/:messageId',
        (r) => {
          const { message } = this.webhookMessage(r);
          this.removeMessage(message);
          return noContent;
        },
        false,
      ),
      route('GET /guilds/:guildId', (r) => ok(this.guildObject(r.params.guildId ?? ''))),
      route('GET /guilds/:guildId/channels', (r) => {
        const guild = this.requireGuild(r.params.guildId ?? '');
        return ok(
          [...this.channels.values()].filter((c) => c.guild_id === guild.id && !isThread(c)),
        );
      }),
      route('GET /guilds/:guildId/members/:userId', (r) => {
        const guild = this.requireGuild(r.params.guildId ?? '');
        const found = guild.members.get(r.params.userId ?? '');
        if (!found) throw notFound(10007, 'Unknown Member');
        return ok(found);
      }),
      route('GET /channels/:channelId', (r) => ok(this.requireChannel(r.params.channelId ?? ''))),
      route('GET /channels/:channelId/messages', (r) => ok(this.listMessages(r))),
      route('POST /channels/:channelId/messages', (r) => ok(this.postChannelMessage(r))),
      route('GET /channels/:channelId/messages/:messageId', (r) =>
        ok(this.requireMessage(r.params.channelId ?? '', r.params.messageId ?? '')),
      ),
      route('PATCH /channels/:channelId/messages/:messageId', (r) =>
        ok(this.editChannelMessage(r)),
      ),
      route('DELETE /channels/:channelId/messages/:messageId', (r) => {
        this.removeMessage(this.requireMessage(r.params.channelId ?? '', r.params.messageId ?? ''));
        return noContent;
      }),
      route('POST /channels/:channelId/messages/:messageId/threads', (r) =>
        ok(this.startThreadFromMessage(r), 201),
      ),
      route('POST /channels/:channelId/threads', (r) => ok(this.startThread(r), 201)),
      route('POST /channels/:channelId/typing', (r) => {
        this.requireChannel(r.params.channelId ?? '');
        return noContent;
      }),
    ];
  }

  // ----- REST: application and guild -------------------------------------------------------

  private applicationObject(): Json {
    return {
      id: this.applicationId,
      name: this.botUser.username,
      icon: null,
      description: '',
      summary: '',
      bot_public: true,
      bot_require_code_grant: false,
      verify_key: '0'.repeat(64),
      flags: this.applicationFlags,
      bot: this.botUser,
      team: null,
    };
  }

  private guildObject(guildId: string): Json {
    const {
      channels: _c,
      threads: _t,
      members: _m,
      ...guild
    } = this.guildCreate(this.requireGuild(guildId));
    return guild;
  }

  private requireApplication(applicationId: string | undefined): void {
    if (applicationId !== this.applicationId) {
      throw new DiscordApiError(403, 50001, 'Missing Access');
    }
  }

  // ----- REST: commands ---------------------------------------------------------------------

  private listCommands(params: Record<string, string>, scope: string): APIApplicationCommand[] {
    this.requireApplication(params.applicationId);
    if (scope !== GLOBAL_COMMANDS) this.requireGuild(scope);
    return this.commands.get(scope) ?? [];
  }

  private putCommands(request: ApiRequest, scope: string): APIApplicationCommand[] {
    this.requireApplication(request.params.applicationId);
    if (scope !== GLOBAL_COMMANDS) this.requireGuild(scope);
    if (!Array.isArray(request.body)) {
      throw invalidFormBody(fieldError('BASE_TYPE_ARRAY', 'Must be an array.'));
    }
    const bodies = request.body.map(asRecord);
    const errors: Json = {};
    bodies.forEach((body, index) => {
      const commandErrors = validateCommand(body);
      if (commandErrors) errors[index] = commandErrors;
    });
    if (Object.keys(errors).length > 0) throw invalidFormBody(errors);
    const existing = this.commands.get(scope) ?? [];
    const saved = bodies.map((body) => this.toCommand(body, existing, scope));
    this.commands.set(scope, saved);
    return saved;
  }

  private upsertCommand(request: ApiRequest, scope: string): APIApplicationCommand {
    this.requireApplication(request.params.applicationId);
    if (scope !== GLOBAL_COMMANDS) this.requireGuild(scope);
    const body = asRecord(request.body);
    const errors = validateCommand(body);
    if (errors) throw invalidFormBody(errors);
    const existing = this.commands.get(scope) ?? [];
    const saved = this.toCommand(body, existing, scope);
    this.commands.set(scope, [...existing.filter((c) => c.id !== saved.id), saved]);
    return saved;
  }

  private toCommand(
    body: Json,
    existing: APIApplicationCommand[],
    scope: string,
  ): APIApplicationCommand {
    const type = typeof body.type === 'number' ? body.type : 1;
    const previous = existing.find((c) => c.name === body.name && c.type === type);
    const command: Json = {
      id: previous?.id ?? this.nextId(),
      application_id: this.applicationId,
      version: this.nextId(),
      type,
      name: body.name,
      name_localizations: body.name_localizations ?? null,
      description: typeof body.description === 'string' ? body.description : '',
      description_localizations: body.description_localizations ?? null,
      default_member_permissions: body.default_member_permissions ?? null,
      nsfw: body.nsfw === true,
      integration_types: body.integration_types ?? [0],
      contexts: body.contexts ?? null,
    };
    if (Array.isArray(body.options)) command.options = body.options;
    if (scope !== GLOBAL_COMMANDS) command.guild_id = scope;
    else command.dm_permission = body.dm_permission !== false;
    return command as unknown as APIApplicationCommand;
  }

  // ----- REST: interactions and their webhooks ----------------------------------------------

  private interactionCallback(request: ApiRequest): ApiResult {
    const record = this.interactions.get(request.params.interactionId ?? '');
    if (!record || record.token !== request.params.interactionToken) throw unknownInteraction();
    if (record.response) {
      throw new DiscordApiError(400, 40060, 'Interaction has already been acknowledged.');
    }
    if (Date.now() - record.createdAt > this.interactionResponseTimeoutMs) {
      throw unknownInteraction();
    }
    const body = asRecord(request.body);
    const type = typeof body.type === 'number' ? body.type : -1;
    const kind = CALLBACK_KINDS[type];
    if (!kind || !ALLOWED_CALLBACKS[record.kind].includes(type)) {
      throw invalidFormBody({
        type: fieldError('INTERACTION_RESPONSE_TYPE_INVALID', 'Invalid interaction response type'),
      });
    }
    const data = asRecord(body.data);
    const flags = typeof data.flags === 'number' ? data.flags : 0;
    const ephemeral = (flags & MessageFlag.Ephemeral) !== 0;
    const response: RecordedInteractionResponse = {
      interactionId: record.id,
      token: record.token,
      interactionKind: record.kind,
      type,
      kind,
      data,
      flags,
      ephemeral,
      withResponse: request.query.get('with_response') === 'true',
      at: Date.now(),
    };

    if (kind === 'reply') {
      validateMessageBody(data, request.files, false);
      response.message = this.createInteractionMessage(record, data, request.files, {
        ephemeral,
        loading: false,
      });
    } else if (kind === 'deferReply') {
      response.message = this.createInteractionMessage(record, {}, [], {
        ephemeral,
        loading: true,
      });
    } else if (kind === 'deferUpdate' || kind === 'update') {
      const source = this.messageIndex.get(record.sourceMessageId ?? '');
      if (!source) throw unknownMessage();
      record.originalMessageId = source.id;
      if (kind === 'update') {
        validateMessageBody(data, request.files, true);
        applyEdit(source, data, request.files, this.nextId);
        if (this.isVisible(source)) this.broadcastMessage('MESSAGE_UPDATE', source);
        response.message = source;
      }
    } else if (kind === 'autocomplete') {
      const choices = asRecords(data.choices);
      if (choices.length > 25) {
        throw invalidFormBody({
          data: { choices: fieldError('BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.') },
        });
      }
      response.choices = choices.map((choice) => ({
        name: String(choice.name),
        value: typeof choice.value === 'number' ? choice.value : String(choice.value),
      }));
    }
    if (response.message) record.originalMessageId = response.message.id;
    record.response = response;
    this.interactionResponses.push(response);

    if (!response.withResponse) return { status: 204 };
    const interaction: Json = { id: record.id, type: record.type };
    const resource: Json = { type };
    if (response.message) {
      interaction.response_message_id = response.message.id;
      interaction.response_message_loading = kind === 'deferReply';
      interaction.response_message_ephemeral =
        ((response.message.flags ?? 0) & MessageFlag.Ephemeral) !== 0;
      resource.message = response.message;
    }
    return { status: 200, body: { interaction, resource } };
  }

  private createInteractionMessage(
    record: FakeInteractionRecord,
    data: Json,
    files: UploadedFile[],
    options: { ephemeral: boolean; loading: boolean; followUp?: boolean; channelId?: string },
  ): FakeMessage {
    const channel = this.requireChannel(options.channelId ?? record.channelId);
    const flags =
      (typeof data.flags === 'number' ? data.flags & SENDABLE_FLAGS : 0) |
      (options.ephemeral ? MessageFlag.Ephemeral : 0) |
      (options.loading ? MessageFlag.Loading : 0);
    const extra: Partial<FakeMessage> = {
      webhook_id: this.applicationId,
      application_id: this.applicationId,
      interaction_metadata: this.interactionMetadata(
        record,
      ) as unknown as FakeMessage['interaction_metadata'],
    };
    if (record.kind === 'slashCommand') {
      extra.interaction = {
        id: record.id,
        type: 2,
        name: record.commandName ?? '',
        user: record.user,
      };
    }
    const type = record.kind === 'slashCommand' && !options.followUp ? 20 : 0;
    if (options.ephemeral) {
      return this.buildMessage({
        channel,
        author: this.botUser,
        body: data,
        files,
        flags,
        type,
        extra,
      });
    }
    return this.createChannelMessage(channel, this.botUser, data, files, flags, type, extra);
  }

  private interactionForWebhook(request: ApiRequest): FakeInteractionRecord {
    const record = this.interactionsByToken.get(request.params.interactionToken ?? '');
    if (!record || request.params.applicationId !== this.applicationId || !record.response) {
      throw unknownWebhook();
    }
    return record;
  }

  private webhookMessage(request: ApiRequest): {
    record: FakeInteractionRecord;
    message: FakeMessage;
  } {
    const record = this.interactionForWebhook(request);
    const messageId =
      request.params.messageId === '@original'
        ? record.originalMessageId
        : request.params.messageId;
    const message = messageId ? this.messageIndex.get(messageId) : undefined;
    const belongs =
      message && (message.id === record.originalMessageId || record.followUps.includes(message));
    if (!message || !belongs) throw unknownMessage();
    return { record, message };
  }

  private followUp(request: ApiRequest): ApiResult {
    const record = this.interactionForWebhook(request);
    const data = asRecord(request.body);
    validateMessageBody(data, request.files, false);
    const flags = typeof data.flags === 'number' ? data.flags : 0;
    const threadId = request.query.get('thread_id');
    const message = this.createInteractionMessage(record, data, request.files, {
      ephemeral: (flags & MessageFlag.Ephemeral) !== 0,
      loading: false,
      followUp: true,
      ...(threadId ? { channelId: threadId } : {}),
    });
    record.followUps.push(message);
    return request.query.get('wait') === 'false' ? { status: 204 } : { status: 200, body: message };
  }

  private editWebhookMessage(request: ApiRequest): FakeMessage {
    const { message } = this.webhookMessage(request);
    const data = asRecord(request.body);
    validateMessageBody(data, request.files, true);
    applyEdit(message, data, request.files, this.nextId);
    // Editing a deferred reply completes it.
    message.flags = (message.flags ?? 0) & ~MessageFlag.Loading;
    if (this.isVisible(message)) this.broadcastMessage('MESSAGE_UPDATE', message);
    return message;
  }

  // ----- REST: channels, messages, threads --------------------------------------------------

  private listMessages(request: ApiRequest): FakeMessage[] {
    const channel = this.requireChannel(request.params.channelId ?? '');
    const limit = Math.min(100, Math.max(1, Number(request.query.get('limit') ?? 50)));
    const before = request.query.get('before');
    const after = request.query.get('after');
    return [...this.messagesIn(channel.id)]
      .filter((m) => !before || BigInt(m.id) < BigInt(before))
      .filter((m) => !after || BigInt(m.id) > BigInt(after))
      .reverse()
      .slice(0, limit);
  }

  private postChannelMessage(request: ApiRequest): FakeMessage {
    const channel = this.requireChannel(request.params.channelId ?? '');
    const body = asRecord(request.body);
    validateMessageBody(body, request.files, false);
    const flags = typeof body.flags === 'number' ? body.flags & SENDABLE_FLAGS : 0;
    return this.createChannelMessage(channel, this.botUser, body, request.files, flags);
  }

  private editChannelMessage(request: ApiRequest): FakeMessage {
    const message = this.requireMessage(
      request.params.channelId ?? '',
      request.params.messageId ?? '',
    );
    if (message.author.id !== this.botUser.id) {
      throw new DiscordApiError(403, 50005, 'Cannot edit a message authored by another user');
    }
    const body = asRecord(request.body);
    validateMessageBody(body, request.files, true);
    applyEdit(message, body, request.files, this.nextId);
    this.broadcastMessage('MESSAGE_UPDATE', message);
    return message;
  }

  private startThreadFromMessage(request: ApiRequest): Json {
    const parent = this.requireChannel(request.params.channelId ?? '');
    if (parent.type !== 0 && parent.type !== 5) {
      throw new DiscordApiError(400, 50024, 'Cannot execute action on this channel type');
    }
    const message = this.requireMessage(parent.id, request.params.messageId ?? '');
    if (((message.flags ?? 0) & MessageFlag.HasThread) !== 0) {
      throw new DiscordApiError(400, 160004, 'A thread has already been created for this message');
    }
    const body = asRecord(request.body);
    const name = validateThreadName(body.name);
    const thread = this.createThreadChannel({
      parent,
      id: message.id,
      type: 11,
      name,
      owner: this.botUser,
      ...threadSettings(body),
    });
    this.markThreadStarted(message, thread);
    return { ...thread, member: this.threadMember(thread) };
  }

  private startThread(request: ApiRequest): Json {
    const parent = this.requireChannel(request.params.channelId ?? '');
    if (parent.type !== 0 && parent.type !== 5) {
      throw new DiscordApiError(400, 50024, 'Cannot execute action on this channel type');
    }
    const body = asRecord(request.body);
    const name = validateThreadName(body.name);
    const type = body.type === undefined ? 12 : body.type;
    if (type !== 10 && type !== 11 && type !== 12) {
      throw invalidFormBody({
        type: fieldError('BASE_TYPE_CHOICES', 'Value must be one of {10, 11, 12}.'),
      });
    }
    const thread = this.createThreadChannel({
      parent,
      type,
      name,
      owner: this.botUser,
      ...threadSettings(body),
      ...(typeof body.invitable === 'boolean' ? { invitable: body.invitable } : {}),
    });
    if (thread.type !== 12) {
      // Discord announces a public thread in its parent with a THREAD_CREATED (18) system message.
      this.createChannelMessage(parent, this.botUser, { content: name }, [], 0, 18, {
        message_reference: { channel_id: thread.id, guild_id: thread.guild_id },
      });
    }
    return { ...thread, member: this.threadMember(thread) };
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function createSnowflakeFactory(): () => string {
  let last = 0n;
  return () => {
    const candidate = (BigInt(Date.now()) - DISCORD_EPOCH) << 22n;
    last = candidate > last ? candidate : last + 1n;
    return last.toString();
  };
}

function baseUser(id: string, username: string): APIUser {
  return {
    id,
    username,
    global_name: null,
    discriminator: '0',
    avatar: null,
    public_flags: 0 as UserFlags,
  };
}

function role(id: string, name: string, position: number, permissions: string): APIRole {
  return {
    id,
    name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions,
    managed: false,
    mentionable: false,
    flags: 0 as RoleFlags,
  };
}

function member(user: APIUser, roles: string[], joinedAt: string): APIGuildMember {
  return {
    user,
    nick: null,
    avatar: null,
    roles,
    joined_at: joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

function isThread(channel: FakeChannel): channel is FakeThread {
  return channel.type === 10 || channel.type === 11 || channel.type === 12;
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asRecord(value: unknown): Json {
  return isRecord(value) ? value : {};
}

function asRecords(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

function sendFrame(socket: WebSocket, frame: unknown): void {
  if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
}

function splitPath(path: string): string[] {
  return path.split('?')[0]?.split('/').filter(Boolean) ?? [];
}

function parseRouteSpec(spec: string): { method: string; segments: string[] } {
  const [method, path] = spec.trim().split(/\s+/);
  if (!method || !path)
    throw new Error(
      `fake-discord: route must look like 'POST /channels/:id/messages', got '${spec}'`,
    );
  return { method: method.toUpperCase(), segments: splitPath(path.replace(/^\/api(\/v\d+)?/, '')) };
}

function segmentsMatch(pattern: string[], actual: string[]): boolean {
  return (
    pattern.length === actual.length &&
    pattern.every((segment, index) => segment.startsWith(':') || segment === actual[index])
  );
}

function rateLimitHeaders(rule: RateLimitRule, bucketRoute: string): Record<string, string> {
  const headers: Record<string, string> = {
    'retry-after': String(rule.retryAfter),
    'x-ratelimit-scope': rule.global ? 'global' : 'user',
  };
  if (rule.global) {
    headers['x-ratelimit-global'] = 'true';
    return headers;
  }
  return {
    ...headers,
    'x-ratelimit-limit': '5',
    'x-ratelimit-remaining': '0',
    'x-ratelimit-reset': ((Date.now() + rule.retryAfter * 1000) / 1000).toFixed(3),
    'x-ratelimit-reset-after': rule.retryAfter.toFixed(3),
    'x-ratelimit-bucket': Buffer.from(bucketRoute).toString('hex').slice(0, 32),
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Parses a JSON body, or a multipart body's `payload_json` plus its files (how discord.js uploads). */
async function parseBody(
  raw: Buffer,
  contentType: string | undefined,
): Promise<{ body: unknown; files: UploadedFile[] }> {
  if (raw.length === 0) return { body: undefined, files: [] };
  if (contentType?.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    const files: UploadedFile[] = [];
    let body: unknown = {};
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') body = JSON.parse(value);
      } else {
        files.push({ field, name: value.name, size: value.size, contentType: value.type });
      }
    }
    return { body, files };
  }
  try {
    return { body: JSON.parse(raw.toString('utf8')), files: [] };
  } catch {
    throw new DiscordApiError(400, 50109, 'The request body contains invalid JSON.');
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

function fieldError(code: string, message: string): Json {
  return { _errors: [{ code, message }] };
}

/** Sets a Discord-style nested form error at `path` (e.g. `['embeds', 0, 'title']`). */
function setError(errors: Json, path: Array<string | number>, code: string, message: string): void {
  let node = errors;
  for (const key of path) {
    const next = asRecord(node[key]);
    node[key] = next;
    node = next;
  }
  node._errors = [{ code, message }];
}

const length = (value: unknown): number => (typeof value === 'string' ? [...value].length : 0);

/** Discord's message limits; throws 400 Invalid Form Body (50035) or Cannot send an empty message (50006). */
function validateMessageBody(body: Json, files: UploadedFile[], allowEmpty: boolean): void {
  const errors: Json = {};
  const tooLong = (path: Array<string | number>, value: unknown, max: number) => {
    if (length(value) > max) {
      setError(errors, path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
    }
  };
  if (body.content !== undefined && body.content !== null && typeof body.content !== 'string') {
    setError(errors, ['content'], 'STRING_TYPE_CONVERT', 'Could not interpret value as string.');
  }
  tooLong(['content'], body.content, 2000);

  const embeds = asRecords(body.embeds);
  if (embeds.length > 10) {
    setError(errors, ['embeds'], 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
  }
  let embedChars = 0;
  embeds.forEach((embed, index) => {
    const footer = asRecord(embed.footer);
    const author = asRecord(embed.author);
    tooLong(['embeds', index, 'title'], embed.title, 256);
    tooLong(['embeds', index, 'description'], embed.description, 4096);
    tooLong(['embeds', index, 'footer', 'text'], footer.text, 2048);
    tooLong(['embeds', index, 'author', 'name'], author.name, 256);
    embedChars += length(embed.title) + length(embed.description) + length(footer.text);
    embedChars += length(author.name);
    const fields = asRecords(embed.fields);
    if (fields.length > 25) {
      setError(
        errors,
        ['embeds', index, 'fields'],
        'BASE_TYPE_MAX_LENGTH',
        'Must be 25 or fewer in length.',
      );
    }
    fields.forEach((field, fieldIndex) => {
      for (const [key, max] of [
        ['name', 256],
        ['value', 1024],
      ] as const) {
        if (length(field[key]) === 0) {
          setError(
            errors,
            ['embeds', index, 'fields', fieldIndex, key],
            'BASE_TYPE_REQUIRED',
            'This field is required',
          );
        }
        tooLong(['embeds', index, 'fields', fieldIndex, key], field[key], max);
      }
      embedChars += length(field.name) + length(field.value);
    });
  });
  if (embedChars > 6000) {
    setError(
      errors,
      ['embeds'],
      'MAX_EMBED_SIZE_EXCEEDED',
      'Embed size exceeds maximum size of 6000',
    );
  }

  const components = Array.isArray(body.components) ? body.components : [];
  const v2 = typeof body.flags === 'number' && (body.flags & MessageFlag.IsComponentsV2) !== 0;
  if (!v2 && components.length > 5) {
    setError(errors, ['components'], 'BASE_TYPE_MAX_LENGTH', 'Must be 5 or fewer in length.');
  }
  const walk = (value: unknown, path: Array<string | number>) => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        walk(item, [...path, index]);
      });
      return;
    }
    if (!isRecord(value)) return;
    tooLong([...path, 'custom_id'], value.custom_id, 100);
    tooLong([...path, 'label'], value.label, 80);
    if (Array.isArray(value.components)) walk(value.components, [...path, 'components']);
  };
  walk(components, ['components']);

  if (Object.keys(errors).length > 0) throw invalidFormBody(errors);
  const empty =
    length(body.content) === 0 &&
    embeds.length === 0 &&
    components.length === 0 &&
    files.length === 0 &&
    !Array.isArray(body.sticker_ids) &&
    body.poll === undefined;
  if (!allowEmpty && empty) throw new DiscordApiError(400, 50006, 'Cannot send an empty message');
}

function validateCommand(body: Json): Json | undefined {
  const errors: Json = {};
  const type = typeof body.type === 'number' ? body.type : 1;
  const name = typeof body.name === 'string' ? body.name : '';
  if (type === 1) {
    if (
      !/^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u.test(name) ||
      name !== name.toLowerCase()
    ) {
      setError(errors, ['name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
    }
    const description = length(body.description);
    if (description < 1 || description > 100) {
      setError(
        errors,
        ['description'],
        'BASE_TYPE_BAD_LENGTH',
        'Must be between 1 and 100 in length.',
      );
    }
  } else if (length(name) < 1 || length(name) > 32) {
    setError(errors, ['name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 32 in length.');
  }
  if (asRecords(body.options).length > 25) {
    setError(errors, ['options'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
  }
  return Object.keys(errors).length > 0 ? errors : undefined;
}

function validateThreadName(name: unknown): string {
  if (typeof name !== 'string' || length(name) < 1 || length(name) > 100) {
    throw invalidFormBody({
      name: fieldError('BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.'),
    });
  }
  return name;
}

function threadSettings(body: Json): { autoArchiveDuration?: number; rateLimitPerUser?: number } {
  const settings: { autoArchiveDuration?: number; rateLimitPerUser?: number } = {};
  if (typeof body.auto_archive_duration === 'number') {
    settings.autoArchiveDuration = body.auto_archive_duration;
  }
  if (typeof body.rate_limit_per_user === 'number')
    settings.rateLimitPerUser = body.rate_limit_per_user;
  return settings;
}

function normalizeEmbeds(value: unknown): APIEmbed[] {
  return asRecords(value).map((embed) => ({ type: 'rich', ...embed }) as APIEmbed);
}

function attachmentsFor(
  channelId: string,
  body: Json,
  files: UploadedFile[],
  nextId: () => string,
): APIAttachment[] {
  const described = asRecords(body.attachments);
  return files.map((file, index) => {
    const id = nextId();
    const description = described.find((a) => String(a.id) === String(index));
    const filename = typeof description?.filename === 'string' ? description.filename : file.name;
    const url = `https://cdn.fake-discord.invalid/attachments/${channelId}/${id}/${filename}`;
    return {
      id,
      filename,
      size: file.size,
      url,
      proxy_url: url,
      content_type: file.contentType || 'application/octet-stream',
    };
  });
}

/** Applies a PATCH body to a stored message: only the fields present change, `null` clears. */
function applyEdit(
  message: FakeMessage,
  body: Json,
  files: UploadedFile[],
  nextId: () => string,
): void {
  if ('content' in body) message.content = typeof body.content === 'string' ? body.content : '';
  if ('embeds' in body) message.embeds = normalizeEmbeds(body.embeds);
  if ('components' in body) {
    message.components = Array.isArray(body.components)
      ? (body.components as FakeMessage['components'])
      : [];
  }
  if (typeof body.flags === 'number') {
    const kept = (message.flags ?? 0) & ~MessageFlag.SuppressEmbeds;
    message.flags = kept | (body.flags & MessageFlag.SuppressEmbeds);
  }
  if ('attachments' in body || files.length > 0) {
    const keepIds = new Set(asRecords(body.attachments).map((a) => String(a.id)));
    const kept =
      'attachments' in body
        ? message.attachments.filter((a) => keepIds.has(a.id))
        : message.attachments;
    message.attachments = [...kept, ...attachmentsFor(message.channel_id, body, files, nextId)];
  }
  message.edited_timestamp = new Date().toISOString();
}

/** A message as a session without the MessageContent intent sees it. */
function withoutContent<T extends FakeMessage>(message: T): T {
  return { ...message, content: '', embeds: [], attachments: [], components: [] };
}
