/**
 * Channels over REST: reading, posting, editing and deleting the bot's messages, starting
 * threads from a message or on their own, and deleting threads.
 */
import { messageChannel, requireReachable } from './direct-messages.js';
import { DiscordApiError, fieldError, invalidFormBody } from './errors.js';
import type { Gateway } from './gateway.js';
import { asRecord, asRecords, type Json } from './json.js';
import type { Messages } from './messages.js';
import {
  flagsOf,
  hasPermission,
  Intent,
  MessageFlag,
  Permission,
  SENDABLE_FLAGS,
} from './protocol.js';
import { type FakeChannel, type FakeMessage, isDirect, isThread } from './records.js';
import type { ApiRequest } from './rest.js';
import type { DiscordState } from './state.js';
import { botMembership } from './thread-members.js';
import { validateMessageBody, validateThreadName } from './validation.js';

/** The message a `/channels/:channelId/messages/:messageId` route names, if visible. */
export function requestedMessage(state: DiscordState, request: ApiRequest): FakeMessage {
  return state.requireMessage(request.params.channelId ?? '', request.params.messageId ?? '');
}

/** `GET /channels/:id/messages`: newest first, `limit` (1 to 100) after `before`/`after`. */
export function listMessages(state: DiscordState, request: ApiRequest): FakeMessage[] {
  const channel = messageChannel(state, request.params.channelId ?? '');
  const limit = Math.min(100, Math.max(1, Number(request.query.get('limit') ?? 50)));
  const before = request.query.get('before');
  const after = request.query.get('after');
  return [...state.messagesIn(channel.id)]
    .filter((m) => !before || BigInt(m.id) < BigInt(before))
    .filter((m) => !after || BigInt(m.id) > BigInt(after))
    .reverse()
    .slice(0, limit);
}

/**
 * `POST /channels/:id/messages`: the bot posts, in a guild channel or thread or in a DM (where
 * a person who cannot be sent DMs makes it 403 50007). With `enforce_nonce`, a message the bot
 * created with the same nonce in the past few minutes is returned and nothing new is posted.
 */
export function postChannelMessage(
  state: DiscordState,
  messages: Messages,
  request: ApiRequest,
): FakeMessage {
  const channel = messageChannel(state, request.params.channelId ?? '');
  const body = asRecord(request.body);
  validateMessageBody(body, request.files, false);
  if (isDirect(channel)) requireReachable(state, channel);
  const existing = enforcedNonceMatch(state, body);
  if (existing) return existing;
  const flags = flagsOf(body) & SENDABLE_FLAGS;
  return messages.post(channel, state.botUser, body, request.files, flags);
}

/** The bot's recent message with the body's nonce, when the body sets `enforce_nonce`. */
function enforcedNonceMatch(state: DiscordState, body: Json): FakeMessage | undefined {
  const nonce = body.nonce;
  if (body.enforce_nonce !== true || (typeof nonce !== 'string' && typeof nonce !== 'number')) {
    return undefined;
  }
  const since = Date.now() - state.nonceWindowMs;
  for (const message of state.messageIndex.values()) {
    if (
      message.author.id === state.botUser.id &&
      message.nonce === nonce &&
      Date.parse(message.timestamp) >= since &&
      state.nonceWindowMs > 0
    ) {
      return message;
    }
  }
  return undefined;
}

/**
 * `PATCH /channels/:id/messages/:id`: the bot edits one of its own messages; only the fields sent
 * change, and an edit that would leave nothing to show is refused (50006) as Discord does.
 */
export function editChannelMessage(
  state: DiscordState,
  messages: Messages,
  request: ApiRequest,
): FakeMessage {
  const message = requestedMessage(state, request);
  if (message.author.id !== state.botUser.id) {
    throw new DiscordApiError(403, 50005, 'Cannot edit a message authored by another user');
  }
  const body = asRecord(request.body);
  const after = (field: 'content' | 'embeds' | 'components' | 'attachments') =>
    field in body ? body[field] : message[field];
  const content = after('content');
  const left =
    (typeof content === 'string' && content.length > 0) ||
    asRecords(after('embeds')).length > 0 ||
    asRecords(after('components')).length > 0 ||
    asRecords(after('attachments')).length > 0 ||
    request.files.length > 0;
  if (!left) throw new DiscordApiError(400, 50006, 'Cannot send an empty message');
  messages.edit(message, body, request.files);
  return message;
}

/** `POST /channels/:id/messages/:id/threads`: a public thread that takes the message's id. */
export function startThreadFromMessage(
  state: DiscordState,
  messages: Messages,
  request: ApiRequest,
): Json {
  const parent = requireThreadParent(state, request);
  const message = state.requireMessage(parent.id, request.params.messageId ?? '');
  if (((message.flags ?? 0) & MessageFlag.HasThread) !== 0) {
    throw new DiscordApiError(400, 160004, 'A thread has already been created for this message');
  }
  const body = asRecord(request.body);
  const name = validateThreadName(body.name);
  const thread = messages.createThread({
    parent,
    id: message.id,
    type: 11,
    name,
    owner: state.botUser,
    ...threadSettings(body),
  });
  messages.markThreadStarted(message, thread);
  return { ...thread, member: botMembership(state, thread) };
}

/** `POST /channels/:id/threads`: a thread without a starter message (private by default). */
export function startThread(state: DiscordState, messages: Messages, request: ApiRequest): Json {
  const parent = requireThreadParent(state, request);
  const body = asRecord(request.body);
  const name = validateThreadName(body.name);
  const type = body.type === undefined ? 12 : body.type;
  if (type !== 10 && type !== 11 && type !== 12) {
    throw invalidFormBody({
      type: fieldError('BASE_TYPE_CHOICES', 'Value must be one of {10, 11, 12}.'),
    });
  }
  // A private thread lives in a text channel only; an announcement channel holds public ones.
  if (type === 12 && parent.type !== 0) {
    throw new DiscordApiError(400, 50024, 'Cannot execute action on this channel type');
  }
  const thread = messages.createThread({
    parent,
    type,
    name,
    owner: state.botUser,
    ...threadSettings(body),
    ...(typeof body.invitable === 'boolean' ? { invitable: body.invitable } : {}),
  });
  if (thread.type !== 12) {
    // Discord announces a public thread in its parent with a THREAD_CREATED (18) system message.
    messages.post(parent, state.botUser, { content: name }, [], 0, 18, {
      message_reference: { channel_id: thread.id, guild_id: thread.guild_id },
    });
  }
  return { ...thread, member: botMembership(state, thread) };
}

/**
 * `DELETE /channels/:id` for a thread: it goes with its messages and members (Manage Threads
 * needed, else 403 Missing Permissions), and THREAD_DELETE goes to the sessions that saw it.
 * Deleting a channel that is not a thread is not modelled.
 */
export function deleteThread(
  state: DiscordState,
  gateway: Gateway,
  request: ApiRequest,
): FakeChannel {
  const channel = state.requireChannel(request.params.channelId ?? '');
  const guild = state.requireGuild(channel.guild_id);
  const needed = isThread(channel) ? Permission.ManageThreads : Permission.ManageChannels;
  if (!hasPermission(state.permissionsOf(guild, state.botUser.id), needed)) {
    throw new DiscordApiError(403, 50013, 'Missing Permissions');
  }
  if (!isThread(channel)) throw new Error('fake-discord: deleting a channel is not modelled');
  state.channels.delete(channel.id);
  for (const message of state.messagesIn(channel.id)) state.messageIndex.delete(message.id);
  state.messages.delete(channel.id);
  state.threadMembers.delete(channel.id);
  const { id, guild_id, parent_id, type } = channel;
  gateway.broadcast(
    'THREAD_DELETE',
    { id, guild_id, parent_id, type },
    { guildId: guild.id, intent: Intent.Guilds },
  );
  return channel;
}

/** The route's channel, which must be a text or announcement channel to hold threads. */
function requireThreadParent(state: DiscordState, request: ApiRequest): FakeChannel {
  const parent = state.requireChannel(request.params.channelId ?? '');
  if (parent.type !== 0 && parent.type !== 5) {
    throw new DiscordApiError(400, 50024, 'Cannot execute action on this channel type');
  }
  return parent;
}

/** The minutes of inactivity after which Discord may archive a thread. */
const ARCHIVE_DURATIONS = [60, 1440, 4320, 10080];

/** The optional settings of a thread-creating body; another archive duration is a 400. */
function threadSettings(body: Json): { autoArchiveDuration?: number; rateLimitPerUser?: number } {
  const settings: { autoArchiveDuration?: number; rateLimitPerUser?: number } = {};
  if (body.auto_archive_duration !== undefined) {
    if (!ARCHIVE_DURATIONS.includes(Number(body.auto_archive_duration))) {
      throw invalidFormBody({
        auto_archive_duration: fieldError(
          'BASE_TYPE_CHOICES',
          'Value must be one of {60, 1440, 4320, 10080}.',
        ),
      });
    }
    settings.autoArchiveDuration = Number(body.auto_archive_duration);
  }
  if (typeof body.rate_limit_per_user === 'number')
    settings.rateLimitPerUser = body.rate_limit_per_user;
  return settings;
}
