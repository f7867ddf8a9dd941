/**
 * A local fake of Slack that speaks Slack's wire protocol, so end-to-end tests run the real
 * `@slack/bolt` app (and its real `@slack/web-api` / `@slack/socket-mode` clients) without the
 * internet:
 *
 * - the Web API: form-encoded or JSON POSTs to `/api/<method>`, answered `{ ok: true, ... }` or
 *   `{ ok: false, error }`, with bearer-token checks and rate-limit fault injection; threads the
 *   app posted read back with `conversations.replies` (cursor-paged, metadata on request), a
 *   DM's top-level messages with `conversations.history` (newest first, one page); the bot's DMs
 *   opened with `conversations.open` (one `D...` per person, `fake.directChannel(user)`);
 *   `users.info` with roles (`is_admin`, `is_owner`, `is_primary_owner`) and `tz` per user;
 *   file uploads as Slack takes them now (`files.getUploadURLExternal`, the bytes POSTed to the
 *   upload URL it hands out — `/upload/v1/<token>` on the same server — then
 *   `files.completeUploadExternal`), each completed file kept with its bytes (`fake.files`);
 * - response URLs: `POST /respond/<id>`, as `respond()` uses after a command or an action;
 * - Socket Mode: `apps.connections.open` hands out a `ws://` URL served by {@link FakeSlackSocket}.
 *
 * A test speaks as a person with {@link SlackUser}: signed HTTP requests to the app's
 * `/slack/events` URL, built from the same payloads (`payloads.ts`) that Socket Mode pushes;
 * `sayDirect` writes to the bot in the person's DM with it (a `message.im` event). What people
 * write is kept (`fake.said`) and read back by `conversations.replies` / `conversations.history`;
 * `sayUnheard` / `sayDirectUnheard` write a message no app hears (the bot is down).
 *
 * Blocks Slack would refuse (over Block Kit's limits, `block-kit.ts`) are refused with
 * `invalid_blocks`. Everything the app does is recorded (`calls`, `messages`, `ephemerals`, `responses`) and the
 * `waitFor*` helpers resolve as soon as a recording matches.
 */
export { BLOCK_KIT_LIMITS, blockKitProblem } from './block-kit.js';
export { FakeSlack, startFakeSlack } from './fake-slack.js';
export type { FakeSlackFile, FakeSlackShare } from './files.js';
export type { FakeSlackChannelRecord, FakeSlackOptions, FakeSlackUserRecord } from './options.js';
export {
  type BlockActionInput,
  type BotMessageInput,
  botMessageEvent,
  buildBlockActionsPayload,
  buildEventCallback,
  buildSlashCommandPayload,
  type ClickedMessage,
  type EventCallbackOptions,
  type MessageInput,
  messageChangedEvent,
  messageDeletedEvent,
  messageEvent,
  type SlashCommandInput,
} from './payloads.js';
export {
  DEFAULT_WAIT_MS,
  type FakeSlackCall,
  type FakeSlackEphemeral,
  type FakeSlackMessage,
  type FakeSlackMetadata,
  type FakeSlackPersonMessage,
  type FakeSlackResponse,
  type MessageMatch,
  plainTextOf,
} from './records.js';
export { signSlackRequest } from './signing.js';
export {
  type SendOptions,
  type SentRequest,
  type SlackHttpResult,
  SlackUser,
  type SlackUserOptions,
} from './slack-user.js';
export { FakeSlackSocket, type SocketModeAck, type SocketModeEnvelope } from './socket-mode.js';
export type { FakeSlackUploadAttempt, FakeSlackUploadFault } from './upload-url.js';
export type { FakeSlackFault } from './web-api.js';
export {
  FAKE_SLACK_DEFAULTS,
  type ResponseUrlContext,
  type SlackPayload,
  type SlackWorkspace,
} from './workspace.js';
