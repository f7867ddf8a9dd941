import type { Redis } from 'ioredis';
import type { ChatPlatform } from '../../src/ports/chat-platform.js';
import type { Card } from '../../src/presentation/card.js';
import { subjectOf } from './delivery-key.js';

/** One post as the list platform records it. */
export interface ListedPost {
  readonly address: string;
  /** The interviewer event's key (`pivot`, `end`), or `scorecard`; the card kind without a key. */
  readonly event: string;
  /** The core's delivery key for it. */
  readonly key?: string;
}

/**
 * An outbound-only chat platform named `test` that records every post in a Redis list, so posts
 * from several processes (and from a process killed mid-round) can be checked in one place. Like
 * a platform with idempotency keys, it shows a message once per delivery key.
 */
export function createRedisListPlatform(redis: Redis, listKey: string): ChatPlatform {
  return {
    name: 'test',
    async start() {},
    async stop() {},
    async openThread() {
      throw new Error('the list platform only posts into existing threads');
    },
    async post(thread: string, card: Card, delivery) {
      const post: ListedPost = {
        address: thread,
        event: delivery ? subjectOf(delivery.key) : card.kind,
        key: delivery?.key,
      };
      // Mark the key and record the post in one step, as a platform's own dedupe would.
      await redis.eval(
        "if ARGV[1] == '' or redis.call('SADD', KEYS[2], ARGV[1]) == 1 then redis.call('RPUSH', KEYS[1], ARGV[2]) end",
        2,
        listKey,
        `${listKey}:keys`,
        delivery?.key ?? '',
        JSON.stringify(post),
      );
      return { messageId: delivery?.key ?? `${thread}-${Date.now()}` };
    },
    async ephemeral() {},
  };
}

export async function listedPosts(redis: Redis, listKey: string): Promise<ListedPost[]> {
  return (await redis.lrange(listKey, 0, -1)).map((j) => JSON.parse(j) as ListedPost);
}
