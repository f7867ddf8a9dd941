import type { Redis } from 'ioredis';
import { activeKey, sessionKeys, threadKey, userKey } from '../redis/keys.js';
import type { StartedRound } from './round-driver.js';

/** Bytes per round by kind of key, from `MEMORY USAGE` (sampled rounds; shared keys ÷ N). */
export type MemoryBreakdown = Record<string, number>;

/** How many rounds' keys are sized one by one. */
const SAMPLE = 20;

/**
 * Where a round's Redis memory goes: `MEMORY USAGE` of every key of a sample of rounds, averaged,
 * plus the queue's shared keys (delayed set, event stream, ...) and the timer ticks divided by the
 * number of rounds.
 * Complements the `INFO memory` difference, which also counts allocator and dictionary overhead.
 */
export async function memoryBreakdown(
  redis: Redis,
  o: { storePrefix: string; queuePrefix: string; queueName: string; platform: string },
  rounds: readonly StartedRound[],
  /** Timer event ids of a round: its job ids are `{sessionId}-{event}`. */
  events: readonly string[],
): Promise<MemoryBreakdown> {
  const sums: Record<string, number> = {};
  const add = (kind: string, bytes: number) => {
    sums[kind] = (sums[kind] ?? 0) + bytes;
  };
  const step = Math.max(1, Math.floor(rounds.length / SAMPLE));
  const sample = rounds.filter((_, i) => i % step === 0).slice(0, SAMPLE);
  const jobPrefix = `${o.queuePrefix}:${o.queueName}:`;
  for (const r of sample) {
    const user = `U${/^[^:]+:C(\d+):/.exec(r.thread)?.[1] ?? ''}`;
    const keys = sessionKeys(o.storePrefix, r.id);
    add('session JSON', await usage(redis, keys.session));
    add('thread index', await usage(redis, threadKey(o.storePrefix, r.thread)));
    add('active index', await usage(redis, activeKey(o.storePrefix, o.platform, user)));
    add('user history', await usage(redis, userKey(o.storePrefix, o.platform, user)));
    add('pending-timer set', await usage(redis, `${o.queuePrefix}:session-timers:{${r.id}}`));
    for (const event of events)
      add('job hashes', await usage(redis, `${jobPrefix}${r.id}-${event}`));
  }
  const breakdown: MemoryBreakdown = {};
  for (const [kind, bytes] of Object.entries(sums))
    breakdown[kind] = Math.round(bytes / sample.length);
  let shared = 0;
  for (const key of await scan(redis, `${jobPrefix}*`)) {
    if (!/:r[0-9a-f]+-[^:]+$/.test(key)) shared += await usage(redis, key);
  }
  breakdown['queue shared keys ÷ N'] = Math.round(shared / rounds.length);
  // Interviewer timers due together wait in one hash per tick, with an index of them all.
  let ticks = 0;
  for (const pattern of ['ticks:*', 'tick:*', 'taken:*']) {
    for (const key of await scan(redis, `${o.queuePrefix}:${pattern}`))
      ticks += await usage(redis, key);
  }
  breakdown['timer ticks ÷ N'] = Math.round(ticks / rounds.length);
  return breakdown;
}

async function usage(redis: Redis, key: string): Promise<number> {
  return Number((await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) ?? 0);
}

async function scan(redis: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 10_000);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found;
}
