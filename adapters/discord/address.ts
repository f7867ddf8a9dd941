import { MockdesignError } from '../../src/errors.js';

/** Address scheme and platform name of the Discord adapter. */
export const DISCORD = 'discord';

/** A Discord place: a guild channel or thread. */
export interface DiscordPlace {
  /** Guild (server) id. */
  readonly guildId: string;
  /** Channel or thread id; a thread started from a message has that message's id. */
  readonly channelId: string;
}

const SNOWFLAKE = /^\d{1,20}$/;

/** `discord:GUILD:CHANNEL`, the opaque address the core stores for a channel or thread. */
export function encodeAddress(place: DiscordPlace): string {
  if (!SNOWFLAKE.test(place.guildId) || !SNOWFLAKE.test(place.channelId)) {
    throw new MockdesignError(
      'bad_address',
      `discord: cannot address guild "${place.guildId}" channel "${place.channelId}"`,
    );
  }
  return `${DISCORD}:${place.guildId}:${place.channelId}`;
}

/** The guild and channel of a `discord:GUILD:CHANNEL` address; throws on any other string. */
export function decodeAddress(address: string): DiscordPlace {
  const [scheme, guildId, channelId, ...rest] = address.split(':');
  if (
    scheme !== DISCORD ||
    rest.length > 0 ||
    !guildId ||
    !channelId ||
    !SNOWFLAKE.test(guildId) ||
    !SNOWFLAKE.test(channelId)
  ) {
    throw new MockdesignError('bad_address', `"${address}" is not a Discord address`);
  }
  return { guildId, channelId };
}

/** Discord's jump link to a message, e.g. for evidence quotes. */
export function messageLink(place: DiscordPlace, messageId: string): string {
  return `https://discord.com/channels/${place.guildId}/${place.channelId}/${messageId}`;
}
