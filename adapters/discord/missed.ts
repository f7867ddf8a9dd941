import { type APIMessage, MessageType, type REST, Routes } from 'discord.js';
import type { MissedMessage } from '../../src/ports/chat-platform.js';
import type { DiscordPlace } from './address.js';
import { discordCall } from './errors.js';

/** Messages per read (Discord's most), and reads per thread (a round takes far fewer replies). */
const PAGE = 100;
const MAX_PAGES = 10;

/** Discord's epoch, the zero of a snowflake's timestamp. */
const DISCORD_EPOCH = 1_420_070_400_000n;

/** The smallest snowflake of a message created at `ms` (epoch ms): a cursor for `after`. */
export function snowflakeAt(ms: number): string {
  return ((BigInt(Math.max(0, Math.floor(ms))) - DISCORD_EPOCH) << 22n).toString();
}

/**
 * The messages in `place` (a thread) after the message `after`, oldest first, up to
 * `PAGE × MAX_PAGES` of them. `undefined` reads from the thread's start.
 */
export async function messagesAfter(
  rest: REST,
  place: DiscordPlace,
  after: string | undefined,
): Promise<APIMessage[]> {
  const found: APIMessage[] = [];
  // A thread started from a message has that message's id: everything in it comes after.
  let cursor = after ?? place.channelId;
  for (let page = 0; page < MAX_PAGES; page++) {
    const batch = (await discordCall('read a thread', () =>
      rest.get(Routes.channelMessages(place.channelId), {
        query: new URLSearchParams({ after: cursor, limit: String(PAGE) }),
      }),
    )) as APIMessage[];
    found.push(...batch);
    if (batch.length < PAGE) break;
    cursor = batch.reduce((a, b) => (BigInt(a.id) > BigInt(b.id) ? a : b)).id;
  }
  return found.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
}

/** A person's message, as the gateway handler takes them: no bot, webhook or system message. */
function byPerson(message: APIMessage): boolean {
  return (
    !message.author.bot &&
    !message.webhook_id &&
    (message.type === MessageType.Default || message.type === MessageType.Reply)
  );
}

/** The people's messages in a thread after `after`, as the core reads missed replies. */
export async function missedMessages(
  rest: REST,
  place: DiscordPlace,
  after: string | undefined,
): Promise<MissedMessage[]> {
  return (await messagesAfter(rest, place, after)).filter(byPerson).map((m) => ({
    messageId: m.id,
    user: m.author.id,
    text: m.content,
    sentAt: Date.parse(m.timestamp),
  }));
}
