import type { AddressInfo } from 'node:net';
import { LogLevel, webApi } from '@slack/bolt';
import type { SlackConfig } from '../../src/config.js';
import { ConfigError, PlatformError } from '../../src/errors.js';
import { createLogger, type Logger } from '../../src/logger.js';
import type {
  ChatPlatform,
  CommandHandler,
  MissedMessage,
  PlatformEvents,
} from '../../src/ports/chat-platform.js';
import type { Card } from '../../src/presentation/card.js';
import { SLACK } from './address.js';
import {
  type BoltApp,
  type BotIdentity,
  createBoltApp,
  EVENTS_PATH,
  type SlackMode,
  slackMode,
} from './app.js';
import { boltLogger } from './bolt-logger.js';
import { slackErrorCode, tokenRefusal } from './errors.js';
import { registerInbound } from './inbound.js';
import { missedMessages } from './missed.js';
import { SlackOutbound } from './outbound.js';
import { SlackPeople } from './people.js';
import { createSlackClient, webClientOptions } from './web-client.js';

export { decodeSlackAddress, encodeSlackAddress, type SlackAddress } from './address.js';
export { EVENTS_PATH, HEALTH_PATH, type SlackMode } from './app.js';
export { ACTION_IDS } from './controls.js';
export { SLASH_COMMAND } from './inbound.js';
export { DELIVERY_EVENT_TYPE } from './outbound.js';
export { type Permalinks, type RenderedMessage, renderCard } from './render.js';

/** How long `stop()` waits for commands still being worked on after their ack. */
const STOP_DRAIN_MS = 10_000;

export interface SlackPlatformOptions {
  /**
   * Take events from Slack (default true): HTTP on `config.port` at `/slack/events`, or Socket
   * Mode when `config.appToken` is set. False builds only a Web API client — no Bolt app, nothing
   * listening, `start()` does nothing — for `mockdesign worker` processes that only post.
   */
  readonly listen?: boolean;
  /** Structured logger (default JSON lines on stderr). */
  readonly logger?: Logger;
  /** Interface the HTTP server binds (default every interface). */
  readonly host?: string;
}

/**
 * Slack as a mockdesign chat platform, with the optional members it always has: edits, rounds in
 * the bot's DMs, cards and files sent there, what Slack says about a person, and what people
 * wrote while no process listened.
 */
export interface SlackPlatform extends ChatPlatform {
  /** `chat.update` of the bot's message (see {@link ChatPlatform.edit}). */
  readonly edit: NonNullable<ChatPlatform['edit']>;
  /**
   * A round in the bot's DM with the person (see {@link ChatPlatform.openPrivate}); `conversation`
   * is always the DM (`slack:T:D`), where plain messages come in as replies.
   */
  readonly openPrivate: (
    channel: string,
    user: string,
    card: Card,
  ) => Promise<{ thread: string; messageId: string; conversation: string }>;
  /**
   * The card, then the files shared as one message under it, in the bot's DM with the person
   * (see {@link ChatPlatform.direct}); needs the `im:write` and `files:write` scopes.
   */
  readonly direct: NonNullable<ChatPlatform['direct']>;
  /** `users.info`: admin or owner, and time zone (see {@link ChatPlatform.person}). */
  readonly person: NonNullable<ChatPlatform['person']>;
  /**
   * What people wrote in a thread (and, for a round in the bot's DMs, at the DM's top level)
   * while no process heard it: `conversations.replies` / `conversations.history` (see
   * {@link ChatPlatform.missed}); never `undefined`, every process serves every thread.
   */
  readonly missed: (thread: string, after: string | undefined) => Promise<MissedMessage[]>;
  /** `http`, `socket`, or `outbound` (posting only). */
  readonly mode: SlackMode;
  /** Once started over HTTP: where Slack must send requests, e.g. `http://127.0.0.1:3000/slack/events`. */
  readonly eventsUrl: string | undefined;
  /**
   * Asks Slack whether it accepts `SLACK_BOT_TOKEN` (`auth.test`), listening or not; a refusal,
   * or a `SLACK_API_URL` that does not answer, throws a `PlatformError` naming the variable.
   * `start()` reuses what it learnt.
   */
  verify(): Promise<void>;
}

/**
 * The Slack platform: Bolt (`@slack/bolt`) for what comes in, the Web API for what goes out.
 * Addresses are `slack:TEAM:CHANNEL` and `slack:TEAM:CHANNEL:THREAD_TS`.
 */
export function createSlackPlatform(
  config: SlackConfig,
  options: SlackPlatformOptions = {},
): SlackPlatform {
  const logger = options.logger ?? createLogger();
  const mode = slackMode(config, options.listen ?? true);
  const client = createSlackClient(config, logger);
  const outbound = new SlackOutbound(client, logger);
  const people = new SlackPeople(client);
  const inflight = new Set<Promise<unknown>>();
  let app: BoltApp | undefined;
  let eventsUrl: string | undefined;
  let identity: BotIdentity | undefined;
  const verified = async () => {
    identity ??= await whoAmI(config, logger);
    return identity;
  };

  const track = <T>(work: () => Promise<T>): Promise<T> => {
    const running = work();
    inflight.add(running);
    const forget = () => inflight.delete(running);
    running.then(forget, forget);
    return running;
  };

  return {
    name: SLACK,
    mode,
    get eventsUrl() {
      return eventsUrl;
    },

    async start(handler: CommandHandler, events?: PlatformEvents) {
      if (mode === 'outbound' || app) return;
      const bot = await verified();
      const started = createBoltApp(config, mode, bot, logger);
      registerInbound(started.app, { handler, outbound, logger, track });
      // Slack retries an unacknowledged event only a few times over minutes: what was written
      // while no process listened longer, or while the WebSocket was lost, is read back.
      started.onReconnected(() => events?.reconnected());
      started.app.error(async (error) => {
        logger.error('slack: unhandled error in a listener', { error });
      });
      if (mode === 'http') {
        const server = (await started.app
          .start({ port: config.port, host: options.host })
          .catch((error: unknown) => {
            throw listenError(config.port, error);
          })) as { address(): AddressInfo | string | null };
        const address = server.address();
        const port = typeof address === 'object' && address ? address.port : config.port;
        eventsUrl = `http://${options.host ?? 'localhost'}:${port}${EVENTS_PATH}`;
      } else {
        await started.app.start().catch((error: unknown) => {
          throw socketModeError(error);
        });
      }
      app = started;
      logger.info('slack: listening', { mode, url: eventsUrl, bot: bot.botUserId });
      // A process start is a gap too.
      events?.reconnected();
    },

    async verify() {
      await verified();
    },

    async stop() {
      const running = app;
      app = undefined;
      eventsUrl = undefined;
      if (running) await running.app.stop();
      // Let commands acked just before the stop finish with the connections they need.
      const drained = Promise.allSettled([...inflight]);
      const bound = new Promise((resolve) => setTimeout(resolve, STOP_DRAIN_MS).unref());
      await Promise.race([drained, bound]);
    },

    openThread: (channel, card, delivery) => outbound.openThread(channel, card, delivery),
    post: (thread, card, delivery) => outbound.post(thread, card, delivery),
    ephemeral: (address, user, card) => outbound.ephemeral(address, user, card),
    edit: (address, messageId, card) => outbound.edit(address, messageId, card),
    openPrivate: (channel, user, card) => outbound.openPrivate(channel, user, card),
    direct: (near, user, card, files, delivery) =>
      outbound.direct(near, user, card, files, delivery),
    person: (channel, user) => people.person(channel, user),
    permalink: (thread, messageId) => outbound.permalink(thread, messageId),
    missed: (thread, after) => missedMessages(client, thread, after),

    connected() {
      // Posting needs no lasting connection: an outbound-only platform is always ready.
      if (mode === 'outbound') return true;
      return app?.connected() ?? false;
    },
  };
}

/**
 * The bot's ids from `auth.test`; a rejected token or an unreachable Slack stops the start with a
 * clear line. Its client logs errors only: the failure is that line.
 */
async function whoAmI(config: SlackConfig, logger: Logger): Promise<BotIdentity> {
  const client = new webApi.WebClient(config.botToken, {
    ...webClientOptions(config, logger),
    logger: boltLogger(logger, 'slack-web-api', LogLevel.ERROR),
  });
  try {
    const result = await client.auth.test();
    return { botId: result.bot_id as string, botUserId: result.user_id as string };
  } catch (error) {
    throw authTestError(config, error);
  }
}

/** What went wrong at `auth.test`, naming the variable to change. */
function authTestError(config: SlackConfig, error: unknown): PlatformError {
  const cause = { cause: error };
  const code = slackErrorCode(error);
  if (tokenRefusal(error)) {
    return new PlatformError(
      SLACK,
      `SLACK_BOT_TOKEN was not accepted by Slack (${code})`,
      undefined,
      cause,
    );
  }
  if (error instanceof webApi.WebAPIRequestError) {
    return new PlatformError(
      SLACK,
      `cannot reach Slack at SLACK_API_URL ${config.apiUrl} (${requestFailure(error)})`,
      undefined,
      cause,
    );
  }
  if (error instanceof webApi.WebAPIHTTPError) {
    return new PlatformError(
      SLACK,
      `SLACK_API_URL ${config.apiUrl} answered auth.test with HTTP ${error.statusCode}: set it to Slack's Web API base, https://slack.com/api/`,
      undefined,
      cause,
    );
  }
  return new PlatformError(SLACK, `auth.test failed: ${code ?? String(error)}`, undefined, cause);
}

/** Why a request did not reach Slack: fetch's error says "fetch failed", its cause says why. */
function requestFailure(error: webApi.WebAPIRequestError): string {
  const original = error.original as Error & { cause?: { code?: unknown; message?: unknown } };
  const cause = original.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return original.message;
}

/** A Socket Mode start that failed, naming `SLACK_APP_TOKEN` when Slack refused it. */
function socketModeError(error: unknown): PlatformError {
  const refused = tokenRefusal(error);
  if (refused) {
    return new PlatformError(
      SLACK,
      `SLACK_APP_TOKEN was not accepted by Slack (${refused}): use the app-level token (xapp-…) with the connections:write scope, from the app's Basic Information page`,
      undefined,
      { cause: error },
    );
  }
  const reason = slackErrorCode(error) ?? (error as Error | undefined)?.message ?? String(error);
  return new PlatformError(SLACK, `Socket Mode did not connect: ${reason}`, undefined, {
    cause: error,
  });
}

/** Why the HTTP server could not listen on `PORT`, as a line that names it; else `error`. */
function listenError(port: number, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') {
    return new ConfigError(
      `PORT ${port} is in use: another process listens there; stop it, or set PORT to a free port`,
    );
  }
  if (code === 'EACCES') {
    return new ConfigError(
      `PORT ${port} may not be used by this user (EACCES): set PORT to 1024 or above`,
    );
  }
  return error;
}
