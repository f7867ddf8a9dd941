import { App } from '@slack/bolt';
import type { SlackConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import { boltLogger } from './bolt-logger.js';
import { webClientOptions } from './web-client.js';

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

/**
 * The Bolt app for `mode`: HTTP on `/slack/events` (checked against the signing secret) or
 * Socket Mode (app-level token), its Web API at `config.apiUrl`, logging through `logger`.
 */
export function createBoltApp(
  config: SlackConfig,
  mode: 'http' | 'socket',
  bot: BotIdentity,
  logger: Logger,
): App {
  const common = {
    token: config.botToken,
    botId: bot.botId,
    botUserId: bot.botUserId,
    // Bolt writes its logger into these options, so each app gets a fresh object.
    clientOptions: webClientOptions(config, logger),
    logger: boltLogger(logger, 'slack-bolt'),
  };
  if (mode === 'socket') {
    return new App({ ...common, appToken: config.appToken, socketMode: true });
  }
  if (!config.signingSecret) {
    throw new ConfigError(
      'SLACK_SIGNING_SECRET is required for Slack over HTTP (or set SLACK_APP_TOKEN for Socket Mode)',
    );
  }
  return new App({
    ...common,
    signingSecret: config.signingSecret,
    // Slack gets its 200 once the listener has run: a reply is stored before Slack hears it was
    // received (so a crash or an unreachable Redis before then leaves Slack retrying it). The
    // listeners of commands and buttons answer after their ack, apart from the response.
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
}
