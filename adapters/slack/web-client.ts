import { webApi } from '@slack/bolt';
import type { SlackConfig } from '../../src/config.js';
import type { Logger } from '../../src/logger.js';
import { boltLogger } from './bolt-logger.js';

/** How long one Web API request may take before it is abandoned (and retried). */
export const WEB_API_TIMEOUT_MS = 10_000;

/**
 * Options of every Web API client mockdesign builds (its own and Bolt's): the configured base URL
 * and a request timeout, and no retries inside the client. A timed-out `chat.postMessage` may
 * have reached Slack, so it is tried again only by the core, as a redelivery that looks the
 * thread up for its delivery key first; and a rate limit (429) is handed back at once with its
 * Retry-After, so the one post waits in its job while every other round's posts go on (the
 * client would otherwise pause all of them).
 */
export function webClientOptions(config: SlackConfig, logger: Logger): webApi.WebClientOptions {
  return {
    slackApiUrl: config.apiUrl.endsWith('/') ? config.apiUrl : `${config.apiUrl}/`,
    logger: boltLogger(logger, 'slack-web-api'),
    timeout: WEB_API_TIMEOUT_MS,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  };
}

/**
 * Options of the Socket Mode client's own Web API calls (`apps.connections.open`): the configured
 * base URL and timeout, and the client's own retries. It opens its WebSocket again by itself, and
 * a failure it is not left to retry ends up where nothing can catch it (a stopped process).
 */
export function socketClientOptions(config: SlackConfig, logger: Logger): webApi.WebClientOptions {
  const {
    retryConfig: _ours,
    rejectRateLimitedCalls: _also,
    ...rest
  } = webClientOptions(config, logger);
  return rest;
}

/** A Web API client for the bot token in `config`. */
export function createSlackClient(config: SlackConfig, logger: Logger): webApi.WebClient {
  return new webApi.WebClient(config.botToken, webClientOptions(config, logger));
}
