import { webApi } from '@slack/bolt';
import type { SlackConfig } from '../../src/config.js';
import type { Logger } from '../../src/logger.js';
import { boltLogger } from './bolt-logger.js';

/** How long one Web API request may take before it is abandoned (and retried). */
export const WEB_API_TIMEOUT_MS = 10_000;

/**
 * Options of every Web API client mockdesign builds (its own and Bolt's): the configured base URL,
 * a request timeout, and a few quick retries. Long waits are left to the timer jobs' own retries
 * rather than holding a job for the client's default half hour. Rate limits (429) are waited out
 * as Slack asks.
 */
export function webClientOptions(config: SlackConfig, logger: Logger): webApi.WebClientOptions {
  return {
    slackApiUrl: config.apiUrl.endsWith('/') ? config.apiUrl : `${config.apiUrl}/`,
    logger: boltLogger(logger, 'slack-web-api'),
    timeout: WEB_API_TIMEOUT_MS,
    retryConfig: { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 4000 },
  };
}

/** A Web API client for the bot token in `config`. */
export function createSlackClient(config: SlackConfig, logger: Logger): webApi.WebClient {
  return new webApi.WebClient(config.botToken, webClientOptions(config, logger));
}
