import type { webApi } from '@slack/bolt';
import { PlatformError } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import type { Delivery, OutgoingFile } from '../../src/ports/chat-platform.js';
import type { Card } from '../../src/presentation/card.js';
import {
  decodeSlackAddress,
  decodeSlackThread,
  encodeSlackAddress,
  SLACK,
  type SlackAddress,
} from './address.js';
import { slackCall, slackErrorCode } from './errors.js';
import { shareUploads, uploadFiles } from './files.js';
import { PAGE_SIZE, pagesOf } from './pages.js';
import { quotedMessageIds, type RenderedMessage, renderCard } from './render.js';

/** `event_type` of the message metadata carrying the core's delivery key on each post. */
export const DELIVERY_EVENT_TYPE = 'mockdesign_post';

/** The message metadata carrying `delivery`'s key. */
function deliveryMetadata(delivery: Delivery) {
  return { event_type: DELIVERY_EVENT_TYPE, event_payload: { key: delivery.key } };
}

/** Whether a message Slack lists carries the delivery `key` in its metadata. */
function carriesDelivery(
  message: { metadata?: { event_type?: string; event_payload?: unknown } },
  key: string,
): boolean {
  return (
    message.metadata?.event_type === DELIVERY_EVENT_TYPE &&
    (message.metadata.event_payload as Record<string, unknown> | undefined)?.key === key
  );
}

/** Allowance for our clock against Slack's when reading a conversation back to a moment. */
const CLOCK_SKEW_MS = 60_000;

/** Permalink look-ups run at once for one card. */
const PERMALINK_CONCURRENCY = 8;

/**
 * Everything mockdesign sends to Slack, over the Web API only: thread roots, thread posts (shown
 * once per delivery key), ephemeral replies, edits of the bot's messages, rounds in the bot's
 * direct messages with a person, cards and files sent there, and permalinks. A worker process needs nothing else.
 * Every card is rendered with links to the candidate messages it quotes. A refusal the person can
 * fix (archived channel, bot not in it) is a `PlatformError` with its `refusal`: the core words it.
 */
export class SlackOutbound {
  constructor(
    private readonly client: webApi.WebClient,
    private readonly logger: Logger,
  ) {}

  /**
   * Posts `card` as a new message in `channel`; its ts is the thread's root. With `delivery`, the
   * key rides along as message metadata, and on a redelivery the channel's recent top-level
   * messages are searched for it first (as `post` searches a thread): a root that reached Slack
   * before a failure is returned as the thread's root instead of being posted again.
   */
  async openThread(
    channel: string,
    card: Card,
    delivery?: Delivery,
  ): Promise<{ thread: string; messageId: string }> {
    const where = decodeSlackAddress(channel);
    if (delivery?.redelivery) {
      const earlier = await this.findRootDelivery(where.channel, delivery);
      if (earlier) {
        this.logger.info('slack: already delivered, not posting again', { key: delivery.key });
        return { thread: encodeSlackAddress({ ...where, threadTs: earlier }), messageId: earlier };
      }
    }
    return this.postRoot(where, card, delivery);
  }

  /** Posts `card` as a new message in the conversation of `where`, the key as its metadata. */
  private async postRoot(
    where: SlackAddress,
    card: Card,
    delivery: Delivery | undefined,
  ): Promise<{ thread: string; messageId: string }> {
    const { text, blocks } = await this.render(where.channel, card);
    const result = await slackCall('chat.postMessage', () =>
      this.client.chat.postMessage({
        channel: where.channel,
        text,
        blocks,
        unfurl_links: false,
        unfurl_media: false,
        ...(delivery ? { metadata: deliveryMetadata(delivery) } : {}),
      }),
    );
    const ts = result.ts as string;
    return { thread: encodeSlackAddress({ ...where, threadTs: ts }), messageId: ts };
  }

  /**
   * Posts `card` into the thread. The delivery key rides along as message metadata; on a
   * redelivery the thread is searched for it first, so a message that did reach Slack before a
   * crash is not shown twice.
   */
  async post(thread: string, card: Card, delivery?: Delivery): Promise<{ messageId: string }> {
    const where = decodeSlackThread(thread);
    if (delivery?.redelivery) {
      const earlier = await this.findDelivery(where, delivery.key);
      if (earlier) {
        this.logger.info('slack: already delivered, not posting again', { key: delivery.key });
        return { messageId: earlier };
      }
    }
    const { text, blocks } = await this.render(where.channel, card);
    const result = await slackCall('chat.postMessage', () =>
      this.client.chat.postMessage({
        channel: where.channel,
        thread_ts: where.threadTs,
        text,
        blocks,
        unfurl_links: false,
        unfurl_media: false,
        ...(delivery ? { metadata: deliveryMetadata(delivery) } : {}),
      }),
    );
    return { messageId: result.ts as string };
  }

  /**
   * Replaces what the bot's message `messageId` (its ts) shows with `card`, rendered as a post is
   * (`chat.update` with text and blocks), in the conversation of `address` (a channel or a thread
   * address: a message is found by its conversation and ts alone).
   */
  async edit(address: string, messageId: string, card: Card): Promise<void> {
    const where = decodeSlackAddress(address);
    const { text, blocks } = await this.render(where.channel, card);
    await slackCall('chat.update', () =>
      this.client.chat.update({ channel: where.channel, ts: messageId, text, blocks }),
    );
  }

  /**
   * Opens the bot's DM with `user` (`conversations.open`; the same conversation every time) and
   * posts `card` there as a new message, the root of the round's thread. `channel` names the
   * workspace. Returns the thread, the card's ts, and the DM itself as `conversation`: the
   * person's plain messages there come in as replies too.
   */
  async openPrivate(
    channel: string,
    user: string,
    card: Card,
  ): Promise<{ thread: string; messageId: string; conversation: string }> {
    const conversation = await this.openDirect(channel, user);
    return { ...(await this.openThread(conversation, card)), conversation };
  }

  /**
   * Sends `card` to the bot's DM with `user` in the workspace of `near` (`conversations.open`, the
   * same conversation every time), as a new message rendered as posts are (`chat.postMessage`),
   * and then `files`, shared together as one message of the bot's right under the card, at the
   * top of the DM: in the card's thread they would hide behind "1 reply". The bytes are uploaded
   * before the card is posted, so a failed upload leaves nothing in the DM. With `delivery`, the
   * key rides along as message metadata, and on a redelivery the DM's recent history is searched
   * for it first (as `post` searches a thread).
   */
  async direct(
    near: string,
    user: string,
    card: Card,
    files: readonly OutgoingFile[] = [],
    delivery?: Delivery,
  ): Promise<void> {
    const conversation = await this.openDirect(near, user);
    const where = decodeSlackAddress(conversation);
    if (delivery?.redelivery && (await this.findRootDelivery(where.channel, delivery))) {
      this.logger.info('slack: already delivered, not sending again', { key: delivery.key });
      return;
    }
    const [first, ...rest] = await uploadFiles(this.client, files);
    await this.postRoot(where, card, delivery);
    if (first) await shareUploads(this.client, where.channel, [first, ...rest]);
  }

  /** Shows `card` to `user` only, in the thread or channel at `address`. */
  async ephemeral(address: string, user: string, card: Card): Promise<void> {
    const where = decodeSlackAddress(address);
    const { text, blocks } = await this.render(where.channel, card);
    await slackCall('chat.postEphemeral', () =>
      this.client.chat.postEphemeral({
        channel: where.channel,
        user,
        text,
        blocks,
        ...(where.threadTs ? { thread_ts: where.threadTs } : {}),
      }),
    );
  }

  /** The permalink of message `messageId` (a ts) in the thread's conversation, if Slack has one. */
  async permalink(thread: string, messageId: string): Promise<string | undefined> {
    const where = decodeSlackAddress(thread);
    return (await this.permalinks(where.channel, [messageId])).get(messageId);
  }

  /** `card` as Block Kit, its quotes linked to the messages they come from in `channel`. */
  async render(channel: string, card: Card): Promise<RenderedMessage> {
    const quoted = quotedMessageIds(card);
    const links = quoted.length > 0 ? await this.permalinks(channel, quoted) : undefined;
    return renderCard(card, links);
  }

  /** Permalinks of the messages `ids` in `channel`; ids that are no Slack ts, or fail, are left out. */
  async permalinks(channel: string, ids: readonly string[]): Promise<Map<string, string>> {
    const links = new Map<string, string>();
    const queue = [...new Set(ids)].filter((id) => /^\d+\.\d+$/.test(id));
    const failures: string[] = [];
    const worker = async () => {
      for (let ts = queue.shift(); ts !== undefined; ts = queue.shift()) {
        try {
          const result = await this.client.chat.getPermalink({ channel, message_ts: ts });
          if (result.permalink) links.set(ts, result.permalink);
        } catch (error) {
          failures.push(`${ts}: ${slackErrorCode(error) ?? String(error)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: PERMALINK_CONCURRENCY }, worker));
    if (failures.length > 0) {
      this.logger.warn('slack: some quotes are shown without links', { failures });
    }
    return links;
  }

  /** The address (`slack:T:D`) of the bot's DM with `user`, in the workspace of `near`. */
  private async openDirect(near: string, user: string): Promise<string> {
    const { team } = decodeSlackAddress(near);
    const opened = await slackCall('conversations.open', () =>
      this.client.conversations.open({ users: user }),
    );
    const dm = opened.channel?.id;
    if (!dm) {
      throw new PlatformError(SLACK, 'conversations.open failed: no conversation in the answer');
    }
    return encodeSlackAddress({ team, channel: dm });
  }

  /**
   * The ts of our top-level message carrying `delivery`'s key in `channel` (a channel or the DM
   * with a person), if one was posted: `conversations.history` with metadata, newest first, page
   * by page until one reaches back past when the message was decided (`delivery.since`, less a
   * minute for clocks). A redelivery follows its first try within minutes, so the first page
   * nearly always holds it.
   */
  private async findRootDelivery(channel: string, delivery: Delivery): Promise<string | undefined> {
    const pages = pagesOf((cursor) =>
      this.client.conversations.history({
        channel,
        include_all_metadata: true,
        limit: PAGE_SIZE,
        ...(cursor ? { cursor } : {}),
      }),
    );
    return this.lookUp(delivery.key, 'conversation', pages, (messages) => {
      const oldest = Number(messages.at(-1)?.ts);
      return delivery.since !== undefined && oldest * 1000 < delivery.since - CLOCK_SKEW_MS;
    });
  }

  /** The ts of our message carrying delivery `key` in the thread, if one was posted. */
  private findDelivery(where: Required<SlackAddress>, key: string): Promise<string | undefined> {
    const pages = pagesOf((cursor) =>
      this.client.conversations.replies({
        channel: where.channel,
        ts: where.threadTs,
        include_all_metadata: true,
        limit: PAGE_SIZE,
        ...(cursor ? { cursor } : {}),
      }),
    );
    return this.lookUp(key, 'thread', pages);
  }

  /**
   * The ts of the first message of `pages` carrying delivery `key`, reading no further than a
   * page for which `past` holds; `undefined` when none does, or when the pages cannot be read:
   * better shown twice than lost, so the caller posts again, and the log says why.
   */
  private async lookUp(
    key: string,
    where: 'thread' | 'conversation',
    pages: AsyncGenerator<
      { ts?: string; metadata?: { event_type?: string; event_payload?: unknown } }[]
    >,
    past: (messages: { ts?: string }[]) => boolean = () => false,
  ): Promise<string | undefined> {
    try {
      for await (const messages of pages) {
        const found = messages.find((m) => carriesDelivery(m, key));
        if (found?.ts) return found.ts;
        if (past(messages)) return undefined;
      }
    } catch (error) {
      this.logger.warn(
        `slack: could not check the ${where} for an earlier delivery; posting again`,
        {
          key,
          error: slackErrorCode(error) ?? String(error),
        },
      );
    }
    return undefined;
  }
}
