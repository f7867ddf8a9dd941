import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { PlatformError } from '../../src/errors.js';
import { DISCORD } from './address.js';

/**
 * Wraps a failed Discord call once, at the adapter boundary: Discord's own error code and message,
 * and for a rate limit the delay Discord asked for. Anything else keeps its message.
 */
export function platformError(action: string, error: unknown): PlatformError {
  if (error instanceof PlatformError) return error;
  if (error instanceof RateLimitError) {
    return new PlatformError(
      DISCORD,
      `${action}: rate limited on ${error.route} for ${error.retryAfter} ms`,
      error.retryAfter,
      { cause: error },
    );
  }
  if (error instanceof DiscordAPIError) {
    return new PlatformError(
      DISCORD,
      `${action}: ${error.status} ${error.message} (code ${error.code})`,
      undefined,
      { cause: error },
    );
  }
  if (error instanceof HTTPError) {
    return new PlatformError(
      DISCORD,
      `${action}: HTTP ${error.status} ${error.message}`,
      undefined,
      {
        cause: error,
      },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new PlatformError(DISCORD, `${action}: ${message}`, undefined, { cause: error });
}

/** Runs a Discord call, wrapping its failure with {@link platformError}. */
export async function discordCall<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw platformError(action, error);
  }
}
