import { PlatformError, type PlatformRefusal } from '../../src/errors.js';
import { SLACK } from './address.js';

/** Slack's error code of a failed Web API call (`channel_not_found`, ...), if it has one. */
export function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
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
