/** A BullMQ scheduler on queues of its own, for tests of how it runs jobs. */
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { BullMqScheduler, type BullMqSchedulerOptions } from '../../jobs/bullmq-scheduler.js';
import { type ConnectionName, connectionOptions } from '../../redis/connection.js';
import { systemClock } from '../../src/clock.js';
import { createLogger } from '../../src/logger.js';
import type { Sweep, Timer } from '../../src/ports/scheduler.js';
import { dropPrefix, REDIS_URL, randomPrefix, redisClient } from './redis-harness.js';

const connect = (name: ConnectionName) =>
  new Redis(REDIS_URL, { ...connectionOptions(name), maxRetriesPerRequest: null });

/** A promise with its resolver. */
export function signal(): { done: Promise<void>; fire: () => void } {
  let fire = () => {};
  const done = new Promise<void>((r) => {
    fire = r;
  });
  return { done, fire };
}

/**
 * A scheduler running `handle` (and `sweep`, if given) on its own queues with the given lane
 * sizes, started before the block's tests and stopped (its keys dropped) after them.
 */
export function lane(
  options: Partial<BullMqSchedulerOptions>,
  handle: (timer: Timer) => Promise<void>,
  sweep?: Sweep,
): BullMqScheduler {
  const prefix = `{${randomPrefix()}}`;
  const connections = [connect('queue'), connect('worker')] as const;
  const scheduler = new BullMqScheduler({
    connection: connections[0],
    workerConnection: connections[1],
    prefix,
    clock: systemClock,
    logger: createLogger({ write: () => {} }),
    ...options,
  });
  beforeAll(() => scheduler.start(handle, sweep));
  afterAll(async () => {
    await scheduler.stop();
    const admin = redisClient();
    await dropPrefix(admin, prefix);
    admin.disconnect();
    for (const c of connections) c.disconnect();
  });
  return scheduler;
}
