/** The interviewer timers waiting on a test prefix, whether as jobs of their own or in ticks. */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { TIMER_QUEUE } from '../../jobs/bullmq-scheduler.js';
import { TICK_JOB, TimerTicks } from '../../jobs/timer-ticks.js';
import type { Timer } from '../../src/ports/scheduler.js';
import { REDIS_URL } from './redis-harness.js';

/** Every timer of the timer queue under `prefix` (the scheduler's, braces included) still to run. */
export async function waitingTimers(prefix: string): Promise<Timer[]> {
  const queue = new Queue(TIMER_QUEUE, { connection: { url: REDIS_URL }, prefix });
  const redis = new Redis(REDIS_URL);
  try {
    const jobs = await queue.getJobs(['delayed', 'waiting', 'prioritized']);
    const own = jobs.flatMap((job) =>
      job?.id && job.name !== TICK_JOB && job.data?.event ? [{ id: job.id, ...job.data }] : [],
    );
    return [...own, ...(await new TimerTicks(redis, prefix, TIMER_QUEUE).all())];
  } finally {
    await queue.close();
    redis.disconnect();
  }
}
