import { PlatformError } from '../../src/errors.js';
import { SLACK } from './address.js';

/** Slack's error code of a failed Web API call (`channel_not_found`, ...), if it has one. */
export function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

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

export function toPlatformError(method: string, error: unknown): PlatformError {
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
  return new PlatformError(
    SLACK,
    `${method} failed: ${code ?? e?.message ?? String(error)}`,
    undefined,
    {
      cause: error,
    },
  );
}
