import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { BullMqScheduler } from '../../jobs/bullmq-scheduler.js';
import { RedisSessionStore } from '../../redis/redis-session-store.js';
import type { Library } from '../../rubric/load.js';
import { systemClock } from '../../src/clock.js';
import { createLogger } from '../../src/logger.js';
import { Platforms } from '../../src/platforms.js';
import type { ChatPlatform } from '../../src/ports/chat-platform.js';
import { Rounds } from '../../src/rounds.js';
import { HeuristicScorer } from '../../src/scoring/heuristic/heuristic-scorer.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A fresh prefix per test so tests never see each other's keys or jobs. */
export const randomPrefix = () => `mdtest${randomBytes(4).toString('hex')}`;

export function redisClient(): Redis {
  return new Redis(REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: false });
}

/** One "process" worth of core: its own connections, store, scheduler and worker. */
export async function redisRounds(options: {
  library: Library;
  prefix: string;
  platform: ChatPlatform;
  timeScale: number;
  worker?: boolean;
}) {
  const connection = redisClient();
  const workerConnection = options.worker === false ? undefined : redisClient();
  const logger = createLogger({ write: () => {} });
  const store = new RedisSessionStore(connection, {
    prefix: options.prefix,
    retentionSeconds: 3600,
  });
  const scheduler = new BullMqScheduler({
    connection,
    workerConnection,
    prefix: `{${options.prefix}}`,
    clock: systemClock,
    logger,
    drainMs: 2000,
  });
  const platforms = new Platforms();
  platforms.add(options.platform);
  const rounds = new Rounds({
    library: options.library,
    store,
    scheduler,
    scorer: new HeuristicScorer(options.library.rubric),
    platforms,
    clock: systemClock,
    timeScale: options.timeScale,
    logger,
  });
  if (workerConnection) await scheduler.start((t) => rounds.onTimer(t));
  return {
    rounds,
    store,
    scheduler,
    connection,
    async close() {
      await scheduler.stop();
      connection.disconnect();
      workerConnection?.disconnect();
    },
  };
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
