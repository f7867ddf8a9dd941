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
  /** Epoch milliseconds at which the platform recorded it (Redis server time). */
  readonly at?: number;
}

export interface RedisListPlatformOptions {
  /**
   * When the platform looks a delivery key up before showing a message (default `always`, like
   * Discord's enforced nonce). `redelivery`: only when the core flags a redelivery, like the Slack
   * adapter; a repeat of a shown key without the flag is shown again, so the list holds it twice.
   */
  readonly lookUp?: 'always' | 'redelivery';
}

// Marks the key and records the post in one step, as a platform's own dedupe would. A repeat that
// is dropped is counted in `{listKey}:dropped`.
const RECORD = `
local key, post, lookUp = ARGV[1], ARGV[2], ARGV[3]
if key ~= '' and redis.call('SADD', KEYS[2], key) == 0 and lookUp == '1' then
  redis.call('INCR', KEYS[3])
  return 0
end
local t = redis.call('TIME')
local at = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('RPUSH', KEYS[1], string.sub(post, 1, -2) .. ',"at":' .. at .. '}')
return 1`;

/**
 * An outbound-only chat platform named `test` that records every post in a Redis list, so posts
 * from several processes (and from a process killed mid-round) can be checked in one place. Like
 * a platform with idempotency keys, it shows a message once per delivery key (see `lookUp`).
 */
export function createRedisListPlatform(
  redis: Redis,
  listKey: string,
  options: RedisListPlatformOptions = {},
): ChatPlatform {
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
      const lookUp = options.lookUp !== 'redelivery' || delivery?.redelivery === true;
      await redis.eval(
        RECORD,
        3,
        listKey,
        `${listKey}:keys`,
        `${listKey}:dropped`,
        delivery?.key ?? '',
        JSON.stringify(post),
        lookUp ? '1' : '0',
      );
      return { messageId: delivery?.key ?? `${thread}-${Date.now()}` };
    },
    async ephemeral() {},
  };
}

export async function listedPosts(redis: Redis, listKey: string): Promise<ListedPost[]> {
  return (await redis.lrange(listKey, 0, -1)).map((j) => JSON.parse(j) as ListedPost);
}
