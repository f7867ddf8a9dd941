import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { BullMqScheduler } from '../../jobs/bullmq-scheduler.js';
import { type ConnectionName, connectionOptions } from '../../redis/connection.js';
import { systemClock } from '../../src/clock.js';
import { createLogger } from '../../src/logger.js';

const logger = createLogger({ write: () => {} });

/** A connection that is never opened (nothing here talks to Redis). */
const unopened = (name: ConnectionName) =>
  new Redis({ ...connectionOptions(name), lazyConnect: true });

describe('BullMqScheduler connections', () => {
  it('refuses the store connection, which pipelines automatically', () => {
    expect(
      () => new BullMqScheduler({ connection: unopened('store'), clock: systemClock, logger }),
    ).toThrow(/without auto-pipelining/);
    expect(
      () =>
        new BullMqScheduler({
          connection: unopened('queue'),
          workerConnection: unopened('store'),
          clock: systemClock,
          logger,
        }),
    ).toThrow(/without auto-pipelining/);
  });

  it('takes the queue and worker connections', () => {
    expect(
      () =>
        new BullMqScheduler({
          connection: unopened('queue'),
          workerConnection: unopened('worker'),
          clock: systemClock,
          logger,
        }),
    ).not.toThrow();
  });
});
