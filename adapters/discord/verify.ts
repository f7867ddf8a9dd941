import { DiscordAPIError, type REST } from 'discord.js';
import type { DiscordConfig } from '../../src/config.js';
import { PlatformError } from '../../src/errors.js';
import { DISCORD } from './address.js';
import { platformError } from './errors.js';

/** Discord's REST base when `DISCORD_API_URL` is not set. */
const DEFAULT_API_URL = 'https://discord.com/api';

/**
 * Asks Discord whether it accepts `DISCORD_TOKEN` (`GET /users/@me`, as the bot), so a process
 * that only posts learns at start what a gateway login would: a refusal, or a `DISCORD_API_URL`
 * that does not answer, throws a `PlatformError` naming the variable.
 */
export async function verifyToken(rest: REST, config: DiscordConfig): Promise<void> {
  try {
    // Not `Routes.user('@me')`, which is `/users/%40me`: the path as Discord documents it.
    await rest.get('/users/@me');
  } catch (error) {
    if (error instanceof DiscordAPIError && error.status === 401) {
      throw new PlatformError(
        DISCORD,
        `DISCORD_TOKEN was not accepted by Discord (401 Unauthorized): use the bot token from the Developer Portal (Bot → Reset Token)`,
        undefined,
        { cause: error },
      );
    }
    const code = networkCode(error);
    if (code) {
      throw new PlatformError(
        DISCORD,
        `cannot reach Discord at DISCORD_API_URL ${config.apiUrl ?? DEFAULT_API_URL} (${code})`,
        undefined,
        { cause: error },
      );
    }
    throw platformError('GET /users/@me', error);
  }
}

/** A failed connection's system code (`ECONNREFUSED`, `ENOTFOUND`), on the error or its cause. */
function networkCode(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 3; i++) {
    if (typeof e.code === 'string' && /^E[A-Z_]+$/.test(e.code)) return e.code;
    e = e.cause as typeof e;
  }
  return undefined;
}
