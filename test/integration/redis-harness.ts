import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { startRuntime } from '../../app/runtime.js';
import type { Library } from '../../rubric/load.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import type { ChatPlatform } from '../../src/ports/chat-platform.js';
import { HeuristicScorer } from '../../src/scoring/heuristic/heuristic-scorer.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A fresh prefix per test so tests never see each other's keys or jobs. */
export const randomPrefix = () => `mdtest${randomBytes(4).toString('hex')}`;

export function redisClient(): Redis {
  return new Redis(REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: false });
}

/**
 * One "process" worth of core: the production runtime (its own connections, Redis store, BullMQ
 * scheduler and, unless `worker: false`, a worker) on a test prefix, posting to `platform`.
 */
export async function redisRounds(options: {
  library: Library;
  prefix: string;
  platform: ChatPlatform;
  timeScale: number;
  worker?: boolean;
  /** `MOCKDESIGN_ADMINS`. */
  admins?: string;
}) {
  const runtime = await startRuntime({
    config: loadConfig({
      REDIS_URL,
      MOCKDESIGN_REDIS_PREFIX: options.prefix,
      MOCKDESIGN_TIME_SCALE: String(options.timeScale),
      MOCKDESIGN_ADMINS: options.admins,
    }),
    library: options.library,
    scorer: new HeuristicScorer(options.library.rubric),
    logger: createLogger({ write: () => {} }),
    platforms: [options.platform],
    listen: false,
    work: options.worker !== false,
  });
  return { ...runtime, close: () => runtime.stop() };
}

/** A connection and a fresh prefix for one test file: its keys deleted after the file's tests. */
export function testRedis(): { redis: Redis; prefix: string } {
  const redis = redisClient();
  const prefix = randomPrefix();
  afterAll(async () => {
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });
  return { redis, prefix };
}

/** Deletes every key of a test prefix. */
export async function dropPrefix(redis: Redis, prefix: string): Promise<void> {
  for (const pattern of [`${prefix}:*`, `{${prefix}}:*`]) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  }
}

/**
 * Runtimes for one test file, each on a fresh prefix (or one given, to share it): all stopped,
 * and every key of their prefixes deleted, after the file's tests.
 */
export function testNodes() {
  const admin = redisClient();
  const prefixes = new Set<string>();
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const close of closers) await close();
    for (const prefix of prefixes) await dropPrefix(admin, prefix);
    admin.disconnect();
  });
  return {
    /** Deletes the keys of `prefix` with the others (a test's own queue prefix). */
    drop(prefix: string) {
      prefixes.add(prefix);
    },
    async start(options: Omit<Parameters<typeof redisRounds>[0], 'prefix'> & { prefix?: string }) {
      const prefix = options.prefix ?? randomPrefix();
      prefixes.add(prefix);
      const node = await redisRounds({ ...options, prefix });
      closers.push(node.close);
      return { ...node, prefix };
    },
  };
}
