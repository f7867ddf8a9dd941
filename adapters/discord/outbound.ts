import {
  type APIDMChannel,
  type APIMessage,
  type APIThreadChannel,
  ChannelType,
  DiscordAPIError,
  type RawFile,
  type REST,
  type RESTPatchAPIChannelMessageJSONBody,
  type RESTPostAPIChannelMessageJSONBody,
  type RESTPostAPIChannelThreadsJSONBody,
  type RESTPostAPICurrentUserCreateDMChannelJSONBody,
  Routes,
  ThreadAutoArchiveDuration,
} from 'discord.js';
import { PlatformError } from '../../src/errors.js';
import type { Delivery, OutgoingFile } from '../../src/ports/chat-platform.js';
import type { Card } from '../../src/presentation/card.js';
import { type DiscordPlace, decodeAddress, encodeAddress, messageLink } from './address.js';
import { truncate } from './embed-limits.js';
import { discordCall, platformError } from './errors.js';
import { messagesAfter, snowflakeAt } from './missed.js';
import { deliveryNonce } from './nonce.js';
import { type DiscordMessage, renderCard } from './render.js';

/** Discord's limit on a thread name. */
const THREAD_NAME_CHARS = 100;

/** Discord's limit on an attachment's description (its alt text). */
const ATTACHMENT_DESCRIPTION_CHARS = 1024;

/** How long a nonce is counted on, a safe margin inside Discord's "past few minutes". */
export const NONCE_WINDOW_MS = 2 * 60_000;

/** Allowance for our clock against Discord's when reading a thread from a moment on. */
const CLOCK_SKEW_MS = 60_000;

/**
 * The outbound side of Discord over REST alone: what a bot process and a worker-only process both
 * use to post. discord.js's REST client waits out rate limits (429) and retries.
 */
export class DiscordOutbound {
  /**
   * @param nonceWindowMs how long Discord is counted on to remember a nonce (it says "the past few
   * minutes"); an older redelivery reads the thread first.
   */
  constructor(
    private readonly rest: REST,
    private readonly nonceWindowMs = NONCE_WINDOW_MS,
  ) {}

  /**
   * Posts `card` in `channel`, starts a public thread on it named after the card, and returns the
   * thread. Parts of a card too large for one message follow inside the thread. A card whose
   * thread cannot be started (threads not allowed there) is deleted again, so no card with
   * buttons for a round that never started is left in the channel. With `delivery`, the card is
   * shown once however often it is opened under the key (a retried job): each part carries a nonce
   * derived from the key with `enforce_nonce` (Discord returns the message it already created),
   * a redelivery older than the nonce window reads the channel's bot messages since the card was
   * decided and takes the card found there, and a thread already started on the card (160004,
   * by the earlier try) is the thread.
   */
  async openThread(
    channel: string,
    card: Card,
    delivery?: Delivery,
  ): Promise<{ thread: string; messageId: string }> {
    const place = decodeAddress(channel);
    const [first, ...more] = renderCard(card, place);
    const root = first ?? { content: card.summary };
    const shown = (await this.shownBefore(place, delivery)).find((m) => sameMessage(m, root));
    const posted = shown ?? (await this.send(place.channelId, keyed(root, delivery, 0)));
    try {
      await discordCall('start a thread', () =>
        this.rest.post(Routes.threads(place.channelId, posted.id), {
          body: { name: threadName(card), auto_archive_duration: archiveAfter(card) },
        }),
      );
    } catch (error) {
      if (!threadStarted(error)) {
        await this.rest
          .delete(Routes.channelMessage(place.channelId, posted.id))
          .catch(() => undefined);
        throw error;
      }
    }
    // A thread started from a message has that message's id.
    const thread = { guildId: place.guildId, channelId: posted.id };
    await this.postParts(thread, more, delivery, 1);
    return { thread: encodeAddress(thread), messageId: posted.id };
  }

  /**
   * Opens a private thread (type 12) under `channel`, which only its members and the server's
   * moderators see, with `invitable: false` so that members cannot invite others; adds `user` to
   * it and posts `card` there, parts in order. The thread has no starter message: its id is its
   * own, and nothing shows in the channel. A failure after the thread was made deletes it again,
   * so no empty private thread is left behind for a retry to duplicate; the failure is what the
   * caller sees.
   */
  async openPrivate(
    channel: string,
    user: string,
    card: Card,
  ): Promise<{ thread: string; messageId: string }> {
    const parent = decodeAddress(channel);
    const body: RESTPostAPIChannelThreadsJSONBody = {
      name: threadName(card),
      type: ChannelType.PrivateThread,
      invitable: false,
      auto_archive_duration: archiveAfter(card),
    };
    const created = (await discordCall('open a private thread', () =>
      this.rest.post(Routes.threads(parent.channelId), { body }),
    )) as APIThreadChannel;
    const place = { guildId: parent.guildId, channelId: created.id };
    try {
      await discordCall('add the person to the private thread', () =>
        this.rest.put(Routes.threadMembers(created.id, user)),
      );
      let first: string | undefined;
      for (const part of renderCard(card, place)) {
        const posted = await this.send(place.channelId, part);
        first ??= posted.id;
      }
      return { thread: encodeAddress(place), messageId: first ?? '' };
    } catch (error) {
      await this.rest.delete(Routes.channel(created.id)).catch(() => undefined);
      throw platformError('open a private thread', error);
    }
  }

  /**
   * Replaces what the bot's message `messageId` in `address` (a channel or thread) shows with
   * `card`, rendered as a post would be. Content, embeds and buttons are all replaced, so a card
   * that lost its buttons loses them on Discord too. A message holds one part: when the card now
   * needs several (a long leaderboard), the first part is shown, with the card's buttons, and the
   * rest is not shown (an edit cannot add messages, and the core keeps one message id); the parts
   * after the first of an earlier, longer version stay as they were.
   */
  async edit(address: string, messageId: string, card: Card): Promise<void> {
    const place = decodeAddress(address);
    const parts = renderCard(card, place);
    const first = parts[0] ?? { content: card.summary };
    const buttons = parts[parts.length - 1]?.components;
    const body: RESTPatchAPIChannelMessageJSONBody = {
      content: first.content ?? '',
      embeds: first.embeds ?? [],
      components: buttons ?? [],
      ...(first.allowed_mentions ? { allowed_mentions: first.allowed_mentions } : {}),
    };
    await discordCall('edit a message', () =>
      this.rest.patch(Routes.channelMessage(place.channelId, messageId), { body }),
    );
  }

  /**
   * Posts `card` into `thread`, each part with a nonce derived from the delivery key and
   * `enforce_nonce`, so a redelivered card is shown once: Discord returns the message it already
   * created instead of posting another.
   */
  async post(thread: string, card: Card, delivery?: Delivery): Promise<{ messageId: string }> {
    const place = decodeAddress(thread);
    return { messageId: (await this.postParts(place, renderCard(card, place), delivery, 0)) ?? '' };
  }

  /**
   * Posts `parts` into `place` in order, part `i` with the nonce of the delivery's part
   * `offset + i`, leaving out those {@link shownBefore}; returns the first part's message id.
   */
  private async postParts(
    place: DiscordPlace,
    parts: readonly DiscordMessage[],
    delivery: Delivery | undefined,
    offset: number,
  ): Promise<string | undefined> {
    if (parts.length === 0) return undefined;
    const shown = await this.shownBefore(place, delivery);
    let first: string | undefined;
    for (const [index, part] of parts.entries()) {
      const already = shown.find((message) => sameMessage(message, part));
      const posted =
        already ?? (await this.send(place.channelId, keyed(part, delivery, offset + index)));
      first ??= posted.id;
    }
    return first;
  }

  /**
   * The bot's messages in the thread (or, for a thread's root, the channel) since a redelivered
   * card was decided, when that is longer ago than Discord remembers nonces: a part found there
   * was posted and is not posted again. Within the window the nonce does it, and nothing is read.
   */
  private async shownBefore(place: DiscordPlace, delivery?: Delivery): Promise<APIMessage[]> {
    if (!delivery?.redelivery || delivery.since === undefined) return [];
    if (Date.now() - delivery.since <= this.nonceWindowMs) return [];
    const after = snowflakeAt(delivery.since - CLOCK_SKEW_MS);
    return (await messagesAfter(this.rest, place, after)).filter((m) => m.author.bot);
  }

  /**
   * Discord has no private messages outside an interaction, so this posts `card` in `address`
   * mentioning `user` (pinging only them). Replies to slash commands and buttons are ephemeral.
   */
  async ephemeral(address: string, user: string, card: Card): Promise<void> {
    const place = decodeAddress(address);
    const notify = {
      users: [user, ...(card.notify?.users ?? []).filter((id) => id !== user)],
      line: card.notify?.line ?? [],
    };
    for (const part of renderCard({ ...card, notify }, place)) {
      await this.send(place.channelId, part);
    }
  }

  /**
   * Sends `card` to `user`'s direct messages with the bot. `POST /users/@me/channels` with
   * `recipient_id` opens the DM channel, or returns the one there is (as discord.js's
   * `user.createDM()`); the card follows there, rendered as a post, parts in order. `files` go on
   * the first part as discord.js sends files: `multipart/form-data` with the message as
   * `payload_json`, whose `attachments` name each file and give it its title as description (alt
   * text), and the bytes as `files[n]`. A DM is in no server, so quotes show their round time
   * without a jump link. A person who takes no DMs from the bot is Discord's 50007, a
   * `cannot_post_here` refusal. With `delivery`, each part carries a nonce derived from its key
   * and `enforce_nonce`, so a retried reminder is shown once (within Discord's nonce window).
   */
  async direct(
    user: string,
    card: Card,
    files: readonly OutgoingFile[] = [],
    delivery?: Delivery,
  ): Promise<void> {
    const body: RESTPostAPICurrentUserCreateDMChannelJSONBody = { recipient_id: user };
    const channel = (await discordCall('open direct messages', () =>
      this.rest.post(Routes.userChannels(), { body }),
    )) as APIDMChannel;
    const parts = renderCard(card);
    for (const [index, part] of (parts.length > 0
      ? parts
      : [{ content: card.summary }]
    ).entries()) {
      const body = keyed(part, delivery, index);
      const request = index === 0 && files.length > 0 ? withFiles(body, files) : { body };
      await discordCall('post a direct message', () =>
        this.rest.post(Routes.channelMessages(channel.id), request),
      );
    }
  }

  /** Discord's jump link to a message in a thread. */
  permalink(thread: string, messageId: string): string {
    return messageLink(decodeAddress(thread), messageId);
  }

  private send(
    channelId: string,
    body: DiscordMessage | RESTPostAPIChannelMessageJSONBody,
  ): Promise<APIMessage> {
    return discordCall(
      'post a message',
      () => this.rest.post(Routes.channelMessages(channelId), { body }) as Promise<APIMessage>,
    );
  }
}

/**
 * A message with files, as discord.js sends one: each file is `files[n]` with its name, bytes and
 * content type, and the message's `attachments` entry `n` names it and gives its title as the
 * description (alt text).
 */
function withFiles(
  message: DiscordMessage,
  files: readonly OutgoingFile[],
): { body: RESTPostAPIChannelMessageJSONBody; files: RawFile[] } {
  return {
    body: {
      ...message,
      attachments: files.map((file, id) => ({
        id,
        filename: file.name,
        description: truncate(file.title, ATTACHMENT_DESCRIPTION_CHARS),
      })),
    },
    files: files.map((file, id) => ({
      key: `files[${id}]`,
      name: file.name,
      data: file.bytes,
      contentType: file.contentType,
    })),
  };
}

/**
 * How long a thread a card opens stays unarchived without messages: a day covers a live round; a
 * longer one (async) keeps its thread for a week.
 */
function archiveAfter(card: Card): ThreadAutoArchiveDuration {
  return (card.threadMinutes ?? 0) <= 24 * 60 - 60
    ? ThreadAutoArchiveDuration.OneDay
    : ThreadAutoArchiveDuration.OneWeek;
}

/** The thread a card opens is named by the card: its thread name, else its title or summary. */
function threadName(card: Card): string {
  const name = [card.threadName, card.title, card.summary].find((n) => n?.trim())?.trim();
  return truncate(name ?? card.kind, THREAD_NAME_CHARS);
}

/** Discord's answer to starting a thread on a message that has one already. */
const THREAD_ALREADY_STARTED = 160004;

/** Whether `error` says the message has a thread already (started by an earlier try). */
function threadStarted(error: unknown): boolean {
  const cause = error instanceof PlatformError ? error.cause : error;
  return cause instanceof DiscordAPIError && cause.code === THREAD_ALREADY_STARTED;
}

/** `part` with the nonce of part `index` of `delivery` and `enforce_nonce`, when there is one. */
function keyed(
  part: DiscordMessage,
  delivery: Delivery | undefined,
  index: number,
): RESTPostAPIChannelMessageJSONBody {
  return delivery
    ? { ...part, nonce: deliveryNonce(delivery.key, index), enforce_nonce: true }
    : part;
}

/** Whether a message in the thread shows `part`: the same text and the same embeds' words. */
function sameMessage(message: APIMessage, part: DiscordMessage): boolean {
  const words = (embeds: readonly { title?: string; description?: string }[] | undefined) =>
    JSON.stringify((embeds ?? []).map((e) => [e.title ?? '', e.description ?? '']));
  return (
    (message.content ?? '') === (part.content ?? '') && words(message.embeds) === words(part.embeds)
  );
}
