import { App } from '@slack/bolt';
import type { SlackConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import { boltLogger } from './bolt-logger.js';
import { StoringSocketModeReceiver } from './socket-receiver.js';
import { socketClientOptions, webClientOptions } from './web-client.js';

/** How a Slack platform takes events: signed HTTP requests, a Socket Mode connection, or none. */
export type SlackMode = 'http' | 'socket' | 'outbound';

/** Path of every HTTP request from Slack: slash commands, events and interactivity. */
export const EVENTS_PATH = '/slack/events';

/** A plain `GET` answered `ok`, for load balancers and container health checks. */
export const HEALTH_PATH = '/healthz';

/** Socket Mode when an app-level token is set, else HTTP; `outbound` when not listening. */
export function slackMode(config: SlackConfig, listen: boolean): SlackMode {
  if (!listen) return 'outbound';
  return config.appToken ? 'socket' : 'http';
}

/** Who the bot is, from `auth.test`; given to Bolt so it does not ask again. */
export interface BotIdentity {
  readonly botId: string;
  readonly botUserId: string;
}

/** A Bolt app, and whether it can hear Slack now. */
export interface BoltApp {
  readonly app: App;
  /** Over HTTP always; in Socket Mode while the WebSocket is open (not while it reconnects). */
  connected(): boolean;
  /**
   * Calls `listener` each time Socket Mode's WebSocket is open again after it was lost; never
   * over HTTP, which keeps no connection.
   */
  onReconnected(listener: () => void): void;
}

/**
 * The Bolt app for `mode`: HTTP on `/slack/events` (checked against the signing secret) or
 * Socket Mode (app-level token), its Web API at `config.apiUrl`, logging through `logger`. Either
 * way Slack hears an event was received only once its listener has run: a reply is stored
 * before then, so a process that dies first leaves Slack sending it again (one that could not
 * store it, Redis unreachable, acknowledges it and tells the person to send it again). The
 * listeners of commands and buttons answer after their ack, apart from the response.
 */
export function createBoltApp(
  config: SlackConfig,
  mode: 'http' | 'socket',
  bot: BotIdentity,
  logger: Logger,
): BoltApp {
  const common = {
    token: config.botToken,
    botId: bot.botId,
    botUserId: bot.botUserId,
    // Bolt writes its logger into these options, so each app gets a fresh object.
    clientOptions: webClientOptions(config, logger),
    logger: boltLogger(logger, 'slack-bolt'),
  };
  if (mode === 'socket') {
    const receiver = new StoringSocketModeReceiver(
      config.appToken as string,
      socketClientOptions(config, logger),
      logger,
    );
    return {
      app: new App({ ...common, receiver }),
      connected: () => receiver.connected(),
      onReconnected: (listener) => receiver.onReconnected(listener),
    };
  }
  if (!config.signingSecret) {
    throw new ConfigError(
      'SLACK_SIGNING_SECRET is required for Slack over HTTP (or set SLACK_APP_TOKEN for Socket Mode)',
    );
  }
  const app = new App({
    ...common,
    signingSecret: config.signingSecret,
    processBeforeResponse: true,
    endpoints: EVENTS_PATH,
    customRoutes: [
      {
        path: HEALTH_PATH,
        method: ['GET'],
        handler: (_req, res) => {
          res.writeHead(200, { 'Content-Type': 'text/plain' });
          res.end('ok');
        },
      },
    ],
  });
  return { app, connected: () => true, onReconnected: () => {} };
}
