import type { Redis } from 'ioredis';
import { PlatformError } from '../../src/errors.js';
import type { ChatPlatform } from '../../src/ports/chat-platform.js';
import { createRedisListPlatform } from './redis-list-platform.js';

/** What went wrong with a post: a 5xx, a rate limit, an answer that never came, an outage. */
export type FaultKind = '5xx' | '429' | 'timeout' | 'outage';

export const FAULT_KINDS: readonly FaultKind[] = ['5xx', '429', 'timeout', 'outage'];

/** Where the faulty platform keeps its state, shared by every process that posts through it. */
export function faultKeys(prefix: string) {
  return {
    /** The list of posts shown (see `createRedisListPlatform`). */
    posts: `${prefix}:posts`,
    /** Set while the platform is down: every post fails. */
    outage: `${prefix}:outage`,
    /** Hash of faults injected, by kind. */
    faults: `${prefix}:faults`,
  };
}

export interface FaultyPlatformOptions {
  /** Client for the platform's state: posts, the outage flag and the fault counts. */
  readonly redis: Redis;
  /** Prefix of the platform's keys (see `faultKeys`). */
  readonly prefix: string;
  /** Seed of the generator that picks which posts fail, and how. */
  readonly seed: number;
  /** Share of posts that fail outside an outage (default 0.1). */
  readonly rate?: number;
  /** How long a timed-out post takes to fail after the platform showed it (default 1500 ms). */
  readonly timeoutMs?: number;
  /** Told of every fault injected, with the post's delivery key. */
  readonly onFault?: (kind: FaultKind, key: string | undefined) => void;
}

/**
 * A chat platform named `test` that shows posts in a Redis list (looking a delivery key up only on
 * a redelivery, as the Slack adapter does) and makes some of them fail: a seeded share with a 503,
 * a 429 asking for one second, or a timeout (shown, but the answer never comes back), and every
 * post while the outage flag is set. Faults are counted by kind in Redis, across processes.
 */
export function createFaultyPlatform(o: FaultyPlatformOptions): ChatPlatform {
  const keys = faultKeys(o.prefix);
  const inner = createRedisListPlatform(o.redis, keys.posts, { lookUp: 'redelivery' });
  const random = seededRandom(o.seed);
  const rate = o.rate ?? 0.1;
  const injected = async (kind: FaultKind, key: string | undefined) => {
    o.onFault?.(kind, key);
    await o.redis.hincrby(keys.faults, kind, 1);
  };
  return {
    ...inner,
    async post(thread, card, delivery) {
      // Both numbers are drawn for every post, so the sequence does not depend on outages.
      const fails = random() < rate;
      const pick = random();
      if ((await o.redis.exists(keys.outage)) === 1) {
        await injected('outage', delivery?.key);
        throw new PlatformError('test', '503 service unavailable (outage)');
      }
      if (!fails) return inner.post(thread, card, delivery);
      if (pick < 1 / 3) {
        await injected('5xx', delivery?.key);
        throw new PlatformError('test', '503 service unavailable');
      }
      if (pick < 2 / 3) {
        await injected('429', delivery?.key);
        throw new PlatformError('test', 'rate limited', 1000);
      }
      await inner.post(thread, card, delivery);
      await injected('timeout', delivery?.key);
      await new Promise((r) => setTimeout(r, o.timeoutMs ?? 1500));
      throw new PlatformError('test', 'timed out waiting for the answer');
    },
  };
}

/** Faults injected so far, by kind. */
export async function faultCounts(
  redis: Redis,
  prefix: string,
): Promise<Record<FaultKind, number>> {
  const counts = await redis.hgetall(faultKeys(prefix).faults);
  return Object.fromEntries(FAULT_KINDS.map((k) => [k, Number(counts[k] ?? 0)])) as Record<
    FaultKind,
    number
  >;
}

/** mulberry32: small, fast and good enough to pick faults reproducibly from a seed. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
