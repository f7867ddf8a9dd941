import { DiscordAPIError, HTTPError, RateLimitError, RESTJSONErrorCodes } from 'discord.js';
import { PlatformError } from '../../src/errors.js';
import { DISCORD } from './address.js';

// The codes are those of Discord's JSON error codes table:
// https://discord.com/developers/docs/topics/opcodes-and-status-codes#json-json-error-codes

/**
 * Discord's answers when the bot may not post where it was asked to: Unknown Channel (10003: the
 * channel or thread was deleted), Missing Access (50001) and
 * Missing Permissions (50013) in a channel, and Cannot send messages to this user (50007) in a
 * person's direct messages (they turned off DMs from server members, or share no server with the
 * bot any more). A person can fix each (add the bot to the channel, grant it the permissions of
 * the invite link, allow DMs from the server), so they become a `cannot_post_here` refusal.
 */
const CANNOT_POST = new Set<number>([
  RESTJSONErrorCodes.UnknownChannel,
  RESTJSONErrorCodes.MissingAccess,
  RESTJSONErrorCodes.CannotSendMessagesToThisUser,
  RESTJSONErrorCodes.MissingPermissions,
]);

/**
 * Discord's answers when a thread was archived and locked by a moderator, so nobody but them can
 * post or unarchive it: Invalid action on an archived thread (50083) and Thread locked (160005).
 * (An archived thread that is not locked opens again when the bot posts.)
 */
const ARCHIVED = new Set<number>([
  RESTJSONErrorCodes.InvalidActionOnArchivedThread,
  RESTJSONErrorCodes.ThreadLocked,
]);

/**
 * Discord's answer when the channel is of a kind that cannot do what was asked: Cannot execute
 * action on this channel type (50024), as for a private thread in an announcement channel, or a
 * thread in a voice channel's chat. Running the command in a text channel fixes it.
 */
const WRONG_CHANNEL_TYPE: number = RESTJSONErrorCodes.CannotExecuteActionOnThisChannelType;

/**
 * Wraps a failed Discord call once, at the adapter boundary: Discord's own error code and message,
 * and for a rate limit the delay Discord asked for; a channel gone, Missing Access, Missing
 * Permissions and a person who takes no DMs, a locked thread, and a channel of the wrong kind, as
 * refusals the person can fix.
 * Anything else keeps its message.
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
    const code = Number(error.code);
    const refusal = CANNOT_POST.has(code)
      ? 'cannot_post_here'
      : ARCHIVED.has(code)
        ? 'channel_archived'
        : code === WRONG_CHANNEL_TYPE
          ? 'wrong_channel_type'
          : undefined;
    return new PlatformError(
      DISCORD,
      `${action}: ${error.status} ${error.message} (code ${error.code})`,
      undefined,
      { cause: error, refusal },
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
