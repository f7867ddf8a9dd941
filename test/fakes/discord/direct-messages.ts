/**
 * Direct messages: `POST /users/@me/channels` opens the bot's DM channel (type 1) with a person,
 * or returns the one it has, and messages posted there reach the person only when Discord lets
 * them (50007 otherwise). A DM is in no guild: its messages carry no `guild_id`, and its gateway
 * events go to shard 0 and only to sessions with the DirectMessages intent.
 */
import type { ChannelFlags } from 'discord.js';
import { DiscordApiError, fieldError, invalidFormBody } from './errors.js';
import { asRecord } from './json.js';
import type { FakeDmChannel, FakeMessageChannel } from './records.js';
import type { ApiRequest } from './rest.js';
import type { DiscordState } from './state.js';

const SNOWFLAKE = /^\d{17,20}$/;

/** Discord's answer when a person may not be sent a DM. */
const cannotMessage = (status: number) =>
  new DiscordApiError(status, 50007, 'Cannot send messages to this user');

/**
 * `POST /users/@me/channels` with `recipient_id`: the DM channel with that person, created on
 * first use and the same one ever after. A `recipient_id` that is not a snowflake is 400 Invalid
 * Form Body, an unknown user 400 Invalid Recipient(s) (50033), and the bot itself 400 50007.
 * Opening the channel always works for anyone else: whether they accept DMs shows on posting.
 */
export function openDirectChannel(state: DiscordState, request: ApiRequest): FakeDmChannel {
  const recipient = asRecord(request.body).recipient_id;
  const id =
    typeof recipient === 'string' || typeof recipient === 'number' ? String(recipient) : '';
  if (!SNOWFLAKE.test(id)) {
    throw invalidFormBody({
      recipient_id: fieldError('NUMBER_TYPE_COERCE', `Value "${id}" is not snowflake.`),
    });
  }
  const user = state.users.get(id);
  if (!user) throw new DiscordApiError(400, 50033, 'Invalid Recipient(s)');
  if (id === state.botUser.id) throw cannotMessage(400);
  const known = directChannelWith(state, id);
  if (known) return known;
  const channel: FakeDmChannel = {
    id: state.nextId(),
    type: 1,
    name: null,
    last_message_id: null,
    flags: 0 as ChannelFlags,
    recipients: [user],
  };
  state.directChannels.set(channel.id, channel);
  state.changed();
  return channel;
}

/** The bot's DM channel with `userId`, if it opened one. */
export function directChannelWith(state: DiscordState, userId: string): FakeDmChannel | undefined {
  return [...state.directChannels.values()].find((c) => c.recipients[0].id === userId);
}

/** A DM channel, or a guild channel or thread the bot sees (else Discord's 404 or 403). */
export function messageChannel(state: DiscordState, channelId: string): FakeMessageChannel {
  return state.directChannels.get(channelId) ?? state.requireChannel(channelId);
}

/**
 * Throws Discord's 403 "Cannot send messages to this user" (50007) unless the bot may post in its
 * DM with the person: they do not refuse DMs from server members, share a server with the bot,
 * and are not a bot.
 */
export function requireReachable(state: DiscordState, channel: FakeDmChannel): void {
  const person = channel.recipients[0];
  const sharesServer = [...state.guilds.values()].some((guild) => guild.members.has(person.id));
  if (person.bot || !sharesServer || state.refusingDirectMessages.has(person.id)) {
    throw cannotMessage(403);
  }
}
