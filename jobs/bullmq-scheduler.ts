import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Clock } from '../src/clock.js';
import type { Logger } from '../src/logger.js';
import type { Scheduler, Timer, TimerHandler } from '../src/ports/scheduler.js';

/** Name of the one queue every timer of every round goes through. */
export const TIMER_QUEUE = 'timers';

/** What a timer job carries: ids only; the worker re-reads the session. */
interface TimerData {
  readonly sessionId: string;
  readonly event: string;
  readonly dueAt: number;
}

export interface BullMqSchedulerOptions {
  /** Connection for adding and removing jobs. */
  readonly connection: Redis;
  /** A separate connection for the worker (blocking commands); omit for a producer-only process. */
  readonly workerConnection?: Redis;
  /**
   * BullMQ key prefix (default `{md}`: a hash tag, so every queue key lands in one Redis Cluster
   * slot). Tests use a random one.
   */
  readonly prefix?: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Jobs processed at once by this process's worker (default 50). */
  readonly concurrency?: number;
  /** How long `stop()` lets running jobs finish before abandoning them (default 10 s). */
  readonly drainMs?: number;
  /**
   * Lock of a running job (default BullMQ's 30 s). A process killed mid-job leaves it stalled; it
   * runs again after about this long plus the stalled-check interval (set to the same value).
   */
  readonly lockDurationMs?: number;
}

/**
 * Durable timers on BullMQ: each timer is a delayed job whose id is the timer's deterministic id
 * (`{sessionId}-{event}`), so adding it twice is harmless and it survives restarts. A failed job
 * is retried with exponential backoff (scoring: 8 attempts, about two minutes; interviewer events: 3).
 */
export class BullMqScheduler implements Scheduler {
  private readonly queue: Queue;
  private worker: Worker | undefined;
  private readonly prefix: string;

  constructor(private readonly o: BullMqSchedulerOptions) {
    this.prefix = o.prefix ?? '{md}';
    this.queue = new Queue(TIMER_QUEUE, { connection: o.connection, prefix: this.prefix });
    // Connection drops are retried by ioredis; log them instead of letting them go unhandled.
    this.queue.on('error', (error) => o.logger.warn('timer queue error', { error: error.message }));
  }

  async schedule(timer: Timer): Promise<void> {
    const data: TimerData = { sessionId: timer.sessionId, event: timer.event, dueAt: timer.dueAt };
    const retention = { age: 24 * 3600 };
    await this.queue.add(timer.event, data, {
      jobId: timer.id,
      delay: Math.max(0, timer.dueAt - this.o.clock.now()),
      attempts: timer.event === 'score' ? 8 : 3,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: retention,
      removeOnFail: retention,
    });
  }

  async cancel(timerIds: readonly string[]): Promise<void> {
    // A job that is running right now is locked and stays; it re-reads the session and stops.
    await Promise.all(timerIds.map((id) => this.queue.remove(id).catch(() => 0)));
  }

  async start(handler: TimerHandler): Promise<void> {
    if (!this.o.workerConnection)
      throw new Error('BullMqScheduler: a worker needs workerConnection');
    this.worker = new Worker<TimerData>(
      TIMER_QUEUE,
      async (job: Job<TimerData>) => {
        const { sessionId, event, dueAt } = job.data ?? {};
        if (typeof sessionId !== 'string' || typeof event !== 'string' || !job.id) {
          throw new UnrecoverableError(`timer job ${job.id} has no session or event`);
        }
        await handler({ id: job.id, sessionId, event, dueAt: Number(dueAt) });
      },
      {
        connection: this.o.workerConnection,
        prefix: this.prefix,
        concurrency: this.o.concurrency ?? 50,
        ...(this.o.lockDurationMs
          ? { lockDuration: this.o.lockDurationMs, stalledInterval: this.o.lockDurationMs }
          : {}),
      },
    );
    this.worker.on('failed', (job, error) =>
      this.o.logger.warn('timer failed', {
        job: job?.id,
        attempt: job?.attemptsMade,
        error: error.message,
      }),
    );
    this.worker.on('error', (error) =>
      this.o.logger.error('timer worker error', { error: error.message }),
    );
    await this.worker.waitUntilReady();
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) {
      const drained = worker.close().then(() => true);
      const timeout = new Promise<boolean>((r) =>
        setTimeout(() => r(false), this.o.drainMs ?? 10_000).unref(),
      );
      if (!(await Promise.race([drained, timeout]))) await worker.close(true);
    }
    await this.queue.close();
  }

  /** Ids of the jobs still waiting, for tests and diagnostics. */
  async pending(): Promise<string[]> {
    const jobs = await this.queue.getJobs(['delayed', 'waiting', 'prioritized']);
    return jobs.flatMap((j) => (j?.id ? [j.id] : []));
  }
}
