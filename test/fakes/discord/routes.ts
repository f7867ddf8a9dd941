/**
 * The REST routes the fake serves, in one table: gateway discovery, the bot and its application,
 * application commands, interaction callbacks and webhooks, guilds, channels, messages, threads,
 * and the bot's DM channels.
 */
import {
  deleteThread,
  editChannelMessage,
  listMessages,
  postChannelMessage,
  requestedMessage,
  startThread,
  startThreadFromMessage,
} from './channels.js';
import { listCommands, putCommands, upsertCommand } from './commands.js';
import { messageChannel, openDirectChannel } from './direct-messages.js';
import { notFound } from './errors.js';
import type { Gateway } from './gateway.js';
import type { InteractionResponses } from './interaction-responses.js';
import type { Json } from './json.js';
import type { Messages } from './messages.js';
import { applicationPayload, guildPayload } from './payloads.js';
import { isThread } from './records.js';
import { type ApiResult, parseRouteSpec, type Route } from './rest.js';
import type { DiscordState } from './state.js';
import { addThreadMember, membersOf } from './thread-members.js';

/** What the route handlers act on. */
export interface RouteTargets {
  /** The fake's world. */
  state: DiscordState;
  /** For gateway discovery. */
  gateway: Gateway;
  /** Posting, editing and deleting messages, and threads. */
  messages: Messages;
  /** Interaction callbacks and webhooks. */
  responses: InteractionResponses;
}

/** Every route the fake answers. */
export function buildRoutes({ state, gateway, messages, responses }: RouteTargets): Route[] {
  const route = (spec: string, handler: Route['handler'], auth = true): Route => {
    const { method, segments } = parseRouteSpec(spec);
    return { method, pattern: `/${segments.join('/')}`, segments, auth, handler };
  };
  const ok = (body: unknown, status = 200): ApiResult => ({ status, body });
  const noContent: ApiResult = { status: 204 };
  return [
    route('GET /gateway', () => ok({ url: gateway.url }), false),
    route('GET /gateway/bot', () =>
      ok({
        url: gateway.url,
        shards: 1,
        session_start_limit: {
          total: 1000,
          remaining: Math.max(0, 1000 - gateway.identifyCount),
          reset_after: 86_400_000,
          max_concurrency: 1,
        },
      }),
    ),
    route('GET /users/@me', () => ok(state.botUser)),
    route('POST /users/@me/channels', (r) => ok(openDirectChannel(state, r))),
    route('GET /applications/@me', () => ok(applicationPayload(state))),
    route('GET /applications/:applicationId/commands', (r) => ok(listCommands(state, r))),
    route('PUT /applications/:applicationId/commands', (r) => ok(putCommands(state, r))),
    route('POST /applications/:applicationId/commands', (r) => ok(upsertCommand(state, r), 201)),
    route('GET /applications/:applicationId/guilds/:guildId/commands', (r) =>
      ok(listCommands(state, r)),
    ),
    route('PUT /applications/:applicationId/guilds/:guildId/commands', (r) =>
      ok(putCommands(state, r)),
    ),
    route('POST /applications/:applicationId/guilds/:guildId/commands', (r) =>
      ok(upsertCommand(state, r), 201),
    ),
    route(
      'POST /interactions/:interactionId/:interactionToken/callback',
      (r) => responses.callback(r),
      false,
    ),
    route('POST /webhooks/:applicationId/:interactionToken', (r) => responses.followUp(r), false),
    route(
      'GET /webhooks/:applicationId/:interactionToken/messages/:messageId',
      (r) => ok(responses.getMessage(r)),
      false,
    ),
    route(
      'PATCH /webhooks/:applicationId/:interactionToken/messages/:messageId',
      (r) => ok(responses.editMessage(r)),
      false,
    ),
    route(
      'DELETE /webhooks/:applicationId/:interactionToken/messages/:messageId',
      (r) => {
        responses.deleteMessage(r);
        return noContent;
      },
      false,
    ),
    route('GET /guilds/:guildId', (r) => ok(guildObject(state, r.params.guildId ?? ''))),
    route('GET /guilds/:guildId/channels', (r) => {
      const guild = state.requireGuild(r.params.guildId ?? '');
      return ok(
        [...state.channels.values()].filter((c) => c.guild_id === guild.id && !isThread(c)),
      );
    }),
    route('GET /guilds/:guildId/members/:userId', (r) => {
      const guild = state.requireGuild(r.params.guildId ?? '');
      const found = guild.members.get(r.params.userId ?? '');
      if (!found) throw notFound(10007, 'Unknown Member');
      return ok(found);
    }),
    route('GET /channels/:channelId', (r) => ok(messageChannel(state, r.params.channelId ?? ''))),
    route('DELETE /channels/:channelId', (r) => ok(deleteThread(state, gateway, r))),
    route('GET /channels/:channelId/messages', (r) => ok(listMessages(state, r))),
    route('POST /channels/:channelId/messages', (r) => ok(postChannelMessage(state, messages, r))),
    route('GET /channels/:channelId/messages/:messageId', (r) => ok(requestedMessage(state, r))),
    route('PATCH /channels/:channelId/messages/:messageId', (r) =>
      ok(editChannelMessage(state, messages, r)),
    ),
    route('DELETE /channels/:channelId/messages/:messageId', (r) => {
      messages.remove(requestedMessage(state, r));
      return noContent;
    }),
    route('POST /channels/:channelId/messages/:messageId/threads', (r) =>
      ok(startThreadFromMessage(state, messages, r), 201),
    ),
    route('POST /channels/:channelId/threads', (r) => ok(startThread(state, messages, r), 201)),
    route('GET /channels/:channelId/thread-members', (r) =>
      ok(membersOf(state, state.requireChannel(r.params.channelId ?? '').id)),
    ),
    route('PUT /channels/:channelId/thread-members/:userId', (r) => {
      addThreadMember(state, gateway, r);
      return noContent;
    }),
    route('POST /channels/:channelId/typing', (r) => {
      state.requireChannel(r.params.channelId ?? '');
      return noContent;
    }),
  ];
}

/** A guild as `GET /guilds/:id` answers it: without channels, threads and members. */
function guildObject(state: DiscordState, guildId: string): Json {
  const {
    channels: _c,
    threads: _t,
    members: _m,
    ...guild
  } = guildPayload(state.requireGuild(guildId), state.channels.values());
  return guild;
}
