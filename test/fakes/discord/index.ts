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
 * the recordings (`messages`, `interactionResponses`, `commands`, `threads`, `threadMembers`,
 * `calls`, ...).
 *
 * Behaviour copied from Discord because adapters trip over it: interaction tokens accept the
 * initial callback for 3 s and only once; follow-ups need an acknowledged interaction; ephemeral
 * messages never reach a channel or the gateway; the bot receives MESSAGE_CREATE for its own
 * messages; message content is blanked for sessions without the MessageContent intent; a thread
 * started from a message takes the message's id; 2000-character content, 25-character nonce, embed
 * limits, more than five buttons in a row, more than 100 users to ping (or `parse` and a list of
 * the same kind together), alt text over 1024 characters and autocomplete choices over 100
 * characters answer 400 "Invalid Form Body"; a private thread outside a text channel is 400 50024;
 * a post with `enforce_nonce` whose nonce the bot used
 * in the past few minutes returns the earlier message instead of posting again; a private thread
 * (type 12) is seen only by its members and by those who may Manage Threads (its messages and
 * THREAD_CREATE reach no one else; a REST call on one the bot cannot see is 403 Missing Access);
 * a member's permissions (`member.permissions` of an interaction) are computed from `@everyone`
 * and their roles (`createRole`, `addMemberRole`), everything for the owner or an Administrator;
 * `POST /users/@me/channels` opens one DM channel (type 1) per person and returns it again after,
 * a post there answers 403 50007 "Cannot send messages to this user" when the person refuses DMs
 * (`refuseDirectMessages`), shares no server with the bot or is a bot, and DM events go to shard 0
 * with the DirectMessages intent only (content included: DMs are exempt from MessageContent);
 * uploads are `multipart/form-data` with `payload_json` and `files[n]`, each file matched to its
 * `attachments` entry and kept with its bytes (`attachmentBytes`), at most 10 per message and
 * 10 MiB each (30015; 413 40005); a thread archived for inactivity (`archiveThread`) is announced
 * with THREAD_UPDATE and left out of later GUILD_CREATEs, which carry active threads only, and a
 * message posted in it unarchives it (THREAD_UPDATE, then MESSAGE_CREATE); a moderator's purge
 * (`deleteMessages`) is one MESSAGE_DELETE_BULK with every id, no MESSAGE_DELETE.
 * Not modelled: channel permission overwrites, permission checks on the bot's calls (every call is
 * allowed, but for deleting a thread), the bot's own bulk deletion (`POST .../bulk-delete`),
 * locked threads (a post in an archived thread always unarchives it; a deletion there is not
 * refused), people writing to the bot in DMs, group DMs,
 * payload compression and ETF (discord.js asks for neither unless zlib-sync or erlpack is
 * installed), per-route rate limits other than the injected ones, and heartbeat timeouts.
 */
export { type FakeDiscord, startFakeDiscord } from './fake-discord.js';
export type {
  AddMemberRoleOptions,
  CreateRoleOptions,
  CreateThreadOptions,
  RateLimitOptions,
  SendAutocompleteOptions,
  SendButtonOptions,
  SendMessageOptions,
  SendSlashCommandOptions,
  SlashOptionValue,
  WaitOptions,
} from './inputs.js';
export type { FakeChannelSeed, FakeDiscordOptions, FakeGuildSeed } from './options.js';
export {
  type FakeChannel,
  type FakeDmChannel,
  type FakeInteractionKind,
  type FakeInteractionRecord,
  type FakeMessage,
  type FakeThread,
  GLOBAL_COMMANDS,
  type InteractionCallbackKind,
  type RecordedCall,
  type RecordedDispatch,
  type RecordedGatewayConnection,
  type RecordedGatewayFrame,
  type RecordedInteractionResponse,
  type SentInteraction,
} from './records.js';
export type { FakeApiError } from './rest.js';
