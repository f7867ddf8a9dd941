import type { webApi } from '@slack/bolt';
import { UserError } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import type { OutboundMessage } from '../../src/messages.js';
import type { Scorecard } from '../../src/scoring/scorecard.js';
import {
  decodeSlackAddress,
  decodeSlackThread,
  encodeSlackAddress,
  type SlackAddress,
} from './address.js';
import { slackCall, slackErrorCode, toPlatformError } from './errors.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { renderMessage } from './render.js';

/** `event_type` of the message metadata carrying the core's delivery key on each post. */
export const DELIVERY_EVENT_TYPE = 'mockdesign_post';

/** Pages of a thread (200 messages each) searched for an earlier delivery before posting again. */
const LOOKUP_PAGES = 10;

/** Permalink look-ups run at once for one scorecard. */
const PERMALINK_CONCURRENCY = 8;

/** Errors of `chat.postMessage` that mean the bot cannot post where the command was run. */
const CANNOT_POST_HERE = new Set(['not_in_channel', 'channel_not_found', 'restricted_action']);

/**
 * Everything mockdesign sends to Slack, over the Web API only: thread roots, thread posts (shown
 * once per delivery key), ephemeral replies and permalinks. A worker process needs nothing else.
 */
export class SlackOutbound {
  constructor(
    private readonly client: webApi.WebClient,
    private readonly logger: Logger,
  ) {}

  /** Posts `message` as a new message in `channel`; its ts is the thread's root. */
  async openThread(
    channel: string,
    message: OutboundMessage,
  ): Promise<{ thread: string; messageId: string }> {
    const where = decodeSlackAddress(channel);
    const { text, blocks } = renderMessage(message);
    let ts: string;
    try {
      const result = await this.client.chat.postMessage({
        channel: where.channel,
        text,
        blocks,
        unfurl_links: false,
        unfurl_media: false,
      });
      ts = result.ts as string;
    } catch (error) {
      const code = slackErrorCode(error);
      if (code === 'is_archived') {
        throw new UserError(
          'This channel is archived, so I cannot post the round here. Start it in another channel.',
        );
      }
      if (code && CANNOT_POST_HERE.has(code)) {
        throw new UserError(
          'I cannot post in this conversation yet. Add me with `/invite @mockdesign` (or run `/mockdesign` in a channel I am in), then start again.',
        );
      }
      throw toPlatformError('chat.postMessage', error);
    }
    return { thread: encodeSlackAddress({ ...where, threadTs: ts }), messageId: ts };
  }

  /**
   * Posts `message` into the thread. The delivery key rides along as message metadata; on a
   * redelivery the thread is searched for it first, so a message that did reach Slack before a
   * crash is not shown twice.
   */
  async post(
    thread: string,
    message: OutboundMessage,
    delivery?: { readonly key: string; readonly redelivery: boolean },
  ): Promise<{ messageId: string }> {
    const where = decodeSlackThread(thread);
    if (delivery?.redelivery) {
      const earlier = await this.findDelivery(where, delivery.key);
      if (earlier) {
        this.logger.info('slack: already delivered, not posting again', { key: delivery.key });
        return { messageId: earlier };
      }
    }
    const links =
      message.kind === 'scorecard'
        ? await this.permalinks(where.channel, evidenceIds(message.scorecard))
        : undefined;
    const { text, blocks } = renderMessage(message, links);
    const result = await slackCall('chat.postMessage', () =>
      this.client.chat.postMessage({
        channel: where.channel,
        thread_ts: where.threadTs,
        text,
        blocks,
        unfurl_links: false,
        unfurl_media: false,
        ...(delivery
          ? { metadata: { event_type: DELIVERY_EVENT_TYPE, event_payload: { key: delivery.key } } }
          : {}),
      }),
    );
    return { messageId: result.ts as string };
  }

  /** Shows `text` (core text; escaped here) to `user` only, in the thread or channel at `address`. */
  async ephemeral(address: string, user: string, text: string): Promise<void> {
    const where = decodeSlackAddress(address);
    await slackCall('chat.postEphemeral', () =>
      this.client.chat.postEphemeral({
        channel: where.channel,
        user,
        text: escapeMrkdwn(text),
        ...(where.threadTs ? { thread_ts: where.threadTs } : {}),
      }),
    );
  }

  /** The permalink of message `messageId` (a ts) in the thread's conversation, if Slack has one. */
  async permalink(thread: string, messageId: string): Promise<string | undefined> {
    const where = decodeSlackAddress(thread);
    return (await this.permalinks(where.channel, [messageId])).get(messageId);
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
      this.logger.warn('slack: some evidence quotes are shown without links', { failures });
    }
    return links;
  }

  /** The ts of our message carrying delivery `key` in the thread, if one was posted. */
  private async findDelivery(
    where: Required<SlackAddress>,
    key: string,
  ): Promise<string | undefined> {
    try {
      let cursor: string | undefined;
      for (let page = 0; page < LOOKUP_PAGES; page++) {
        const result = await this.client.conversations.replies({
          channel: where.channel,
          ts: where.threadTs,
          include_all_metadata: true,
          limit: 200,
          ...(cursor ? { cursor } : {}),
        });
        const found = result.messages?.find(
          (m) =>
            m.metadata?.event_type === DELIVERY_EVENT_TYPE &&
            (m.metadata.event_payload as Record<string, unknown> | undefined)?.key === key,
        );
        if (found?.ts) return found.ts;
        cursor = result.response_metadata?.next_cursor || undefined;
        if (!cursor) return undefined;
      }
    } catch (error) {
      // Better shown twice than lost: post again, and say why.
      this.logger.warn('slack: could not check the thread for an earlier delivery; posting again', {
        key,
        error: slackErrorCode(error) ?? String(error),
      });
    }
    return undefined;
  }
}

/** Message ids the scorecard quotes: criterion evidence and red flags. */
function evidenceIds(card: Scorecard): string[] {
  return [
    ...card.criteria.flatMap((c) => c.evidence.flatMap((e) => (e.messageId ? [e.messageId] : []))),
    ...card.flags.flatMap((f) => (f.messageId ? [f.messageId] : [])),
  ];
}
