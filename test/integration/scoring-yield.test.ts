import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { BullMqScheduler } from '../../jobs/bullmq-scheduler.js';
import { type ConnectionName, connectionOptions } from '../../redis/connection.js';
import { systemClock } from '../../src/clock.js';
import { createLogger } from '../../src/logger.js';
import { type Timer, timerFor } from '../../src/ports/scheduler.js';
import { dropPrefix, REDIS_URL, randomPrefix, redisClient } from './redis-harness.js';

const connect = (name: ConnectionName) =>
  new Redis(REDIS_URL, { ...connectionOptions(name), maxRetriesPerRequest: null });

describe('the scoring lane', () => {
  const prefix = `{${randomPrefix()}}`;
  const connections = [connect('queue'), connect('worker')] as const;
  const scheduler = new BullMqScheduler({
    connection: connections[0],
    workerConnection: connections[1],
    prefix,
    clock: systemClock,
    logger: createLogger({ write: () => {} }),
    // One interviewer slot in use is half of two: scoring waits for it.
    concurrency: 2,
  });
  afterAll(async () => {
    await scheduler.stop();
    const admin = redisClient();
    await dropPrefix(admin, prefix);
    admin.disconnect();
    for (const c of connections) c.disconnect();
  });

  it('waits while the interviewer lane is busy, and scores once it eases', async () => {
    const ran: string[] = [];
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let started = () => {};
    const cueStarted = new Promise<void>((r) => {
      started = r;
    });
    let scored = () => {};
    const scoring = new Promise<void>((r) => {
      scored = r;
    });
    await scheduler.start(async (timer: Timer) => {
      if (timer.event.kind === 'score') {
        ran.push('score');
        scored();
        return;
      }
      started();
      await held;
      ran.push('cue');
    });
    await scheduler.schedule(timerFor('r1', { kind: 'cue', id: 'pivot' }, Date.now()));
    await cueStarted;
    await scheduler.schedule(timerFor('r2', { kind: 'score' }, Date.now()));
    // The score job is picked up at once, and held while the cue runs.
    await new Promise((r) => setTimeout(r, 1500));
    expect(ran).toEqual([]);
    release();
    await scoring;
    expect(ran).toEqual(['cue', 'score']);
  });
});
