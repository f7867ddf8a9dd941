import { Redis, type RedisOptions } from 'ioredis';

/** A connection for the benchmark: its own bookkeeping (INFO, SCAN, DEL), or a node's, with `options`. */
export function benchRedis(url: string, name: string, options: RedisOptions = {}): Redis {
  const redis = new Redis(url, {
    ...options,
    maxRetriesPerRequest: null,
    connectionName: `mdbench-${name}`,
  });
  redis.on('error', () => {}); // a lost connection surfaces as a failed command
  return redis;
}

/** `INFO <section>` as a map of field → value. */
export async function info(redis: Redis, section: string): Promise<Map<string, string>> {
  const text = await redis.info(section);
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0 && !line.startsWith('#')) fields.set(line.slice(0, at), line.slice(at + 1));
  }
  return fields;
}

/** `used_memory` in bytes. */
export async function usedMemory(redis: Redis): Promise<number> {
  return Number((await info(redis, 'memory')).get('used_memory'));
}

/** Redis CPU seconds (user + sys, main thread and children) so far. */
export async function redisCpuSeconds(redis: Redis): Promise<number> {
  const cpu = await info(redis, 'cpu');
  return Number(cpu.get('used_cpu_user') ?? 0) + Number(cpu.get('used_cpu_sys') ?? 0);
}

/** Calls per command (`INFO commandstats`), e.g. `evalsha` → 1234. */
export async function commandCalls(redis: Redis): Promise<Map<string, number>> {
  const calls = new Map<string, number>();
  for (const [key, value] of await info(redis, 'commandstats')) {
    const match = /calls=(\d+)/.exec(value);
    if (key.startsWith('cmdstat_') && match) calls.set(key.slice(8), Number(match[1]));
  }
  return calls;
}

/** Per-command difference `after - before`, without zeros. */
export function callsBetween(
  before: Map<string, number>,
  after: Map<string, number>,
): Record<string, number> {
  const diff: Record<string, number> = {};
  for (const [name, n] of after) {
    const d = n - (before.get(name) ?? 0);
    if (d > 0) diff[name] = d;
  }
  return diff;
}

/** Facts about the Redis server that bear on timer lateness. */
export async function serverFacts(redis: Redis) {
  const server = await info(redis, 'server');
  const [, hz] = (await redis.config('GET', 'hz')) as [string, string];
  return {
    version: server.get('redis_version') ?? 'unknown',
    hz: Number(hz ?? server.get('hz')),
    mode: server.get('redis_mode') ?? 'unknown',
  };
}

/** Deletes every key whose name contains `marker`; returns how many. */
export async function deleteKeys(redis: Redis, marker: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `*${marker}*`, 'COUNT', 5000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

/** Keys in every database (`INFO keyspace`). */
export async function totalKeys(redis: Redis): Promise<number> {
  let total = 0;
  for (const [, value] of await info(redis, 'keyspace'))
    total += Number(/keys=(\d+)/.exec(value)?.[1] ?? 0);
  return total;
}

/** Keys whose name contains `marker`. */
export async function countKeys(redis: Redis, marker: string): Promise<number> {
  let cursor = '0';
  let count = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `*${marker}*`, 'COUNT', 10_000);
    cursor = next;
    count += keys.length;
  } while (cursor !== '0');
  return count;
}
