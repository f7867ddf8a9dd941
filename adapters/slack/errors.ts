import { PlatformError, type PlatformRefusal } from '../../src/errors.js';
import { SLACK } from './address.js';

/** Slack's error code of a failed Web API call (`channel_not_found`, ...), if it has one. */
export function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/**
 * Slack's answers that refuse the token itself: unknown, revoked, of the wrong kind (a bot token
 * where an app-level one belongs), or without the scope the method needs. Trying again cannot
 * help; the operator must change the token.
 */
const TOKEN_REFUSALS: ReadonlySet<string> = new Set([
  'not_authed',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'not_allowed_token_type',
  'missing_scope',
]);

/** Slack's error code when it refused the token of a failed call (see `TOKEN_REFUSALS`). */
export function tokenRefusal(error: unknown): string | undefined {
  const code = slackErrorCode(error);
  return code !== undefined && TOKEN_REFUSALS.has(code) ? code : undefined;
}

/**
 * Slack's errors that mean the bot may not post in the conversation, for a reason the person can
 * fix; the core tells them how.
 */
const REFUSALS: ReadonlyMap<string, PlatformRefusal> = new Map([
  ['is_archived', 'channel_archived'],
  ['not_in_channel', 'cannot_post_here'],
  ['channel_not_found', 'cannot_post_here'],
  ['restricted_action', 'cannot_post_here'],
]);

/**
 * Runs one Web API call, wrapping a failure once as a `PlatformError` that names Slack and the
 * method and, for a rate limit, carries the delay Slack asked for.
 */
export async function slackCall<T>(method: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toPlatformError(method, error);
  }
}

/**
 * A failed call as a Slack `PlatformError`: a rate limit with its delay, a refusal the person can
 * fix with its `refusal`, anything else with Slack's error code.
 */
function toPlatformError(method: string, error: unknown): PlatformError {
  if (error instanceof PlatformError) return error;
  const e = error as { code?: string; retryAfter?: number; message?: string } | undefined;
  const code = slackErrorCode(error);
  if (e?.code === 'slack_webapi_rate_limited_error') {
    const seconds = typeof e.retryAfter === 'number' ? e.retryAfter : undefined;
    return new PlatformError(
      SLACK,
      `${method} was rate-limited${seconds === undefined ? '' : `; retry after ${seconds} s`}`,
      seconds === undefined ? undefined : seconds * 1000,
      { cause: error },
    );
  }
  const refusal = code === undefined ? undefined : REFUSALS.get(code);
  return new PlatformError(
    SLACK,
    `${method} failed: ${code ?? e?.message ?? String(error)}`,
    undefined,
    { cause: error, ...(refusal ? { refusal } : {}) },
  );
}
