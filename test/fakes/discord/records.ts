/**
 * What the fake Discord stores and records: messages, channels and threads as Discord's objects,
 * the HTTP calls it answered, the interactions it sent and their callbacks, and gateway traffic.
 */
import type {
  APIDMChannel,
  APIMessage,
  APINewsChannel,
  APITextChannel,
  APIThreadChannel,
  APIUser,
} from 'discord.js';

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

/** A DM channel (type 1) between the bot and one person, as `POST /users/@me/channels` answers it. */
export type FakeDmChannel = APIDMChannel & {
  /** The person the bot talks to (the bot itself is not listed, as on Discord). */
  recipients: [APIUser];
};

/** Anywhere a message can be: a guild channel or thread, or a DM channel. */
export type FakeMessageChannel = FakeChannel | FakeDmChannel;

/** Whether a stored channel is a thread (announcement, public or private). */
export function isThread(channel: FakeMessageChannel): channel is FakeThread {
  return channel.type === 10 || channel.type === 11 || channel.type === 12;
}

/** Whether a channel is a DM channel, outside any guild. */
export function isDirect(channel: FakeMessageChannel): channel is FakeDmChannel {
  return channel.type === 1;
}

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
  /** The request took effect but was never answered (see `withholdNextResponse`). */
  withheld?: boolean;
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
