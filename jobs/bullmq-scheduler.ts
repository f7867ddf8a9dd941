import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Clock } from '../src/clock.js';
import type { Logger } from '../src/logger.js';
import type { Scheduler, Timer, TimerHandler } from '../src/ports/scheduler.js';
import { eventKey, type RoundEvent } from '../src/round/events.js';

/** The queue of interviewer events (phase openings, cut-ins, probes, nudges). */
export const TIMER_QUEUE = 'timers';
/** The queue of scoring jobs, apart so slow scoring never delays an interviewer event. */
export const SCORING_QUEUE = 'scoring';

/** A queue with its retry policy and this process's worker concurrency for it. */
interface Lane {
  readonly name: string;
  readonly attempts: number;
  readonly concurrency: number;
  readonly queue: Queue;
}

/** What a timer job carries: ids only; the worker re-reads the session. */
interface TimerData {
  readonly sessionId: string;
  readonly event: RoundEvent;
  readonly dueAt: number;
}

const EVENT_KINDS = new Set<string>(['phase', 'cue', 'end', 'probe', 'nudge', 'score']);

/** Whether a job's payload holds a round event (a job from an older or foreign version may not). */
function isRoundEvent(value: unknown): value is RoundEvent {
  return (
    typeof value === 'object' &&
    value !== null &&
    EVENT_KINDS.has(String((value as { kind?: unknown }).kind))
  );
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
  /** Interviewer-event jobs processed at once by this process (default 50). */
  readonly concurrency?: number;
  /** Scoring jobs processed at once by this process (default 10). */
  readonly scoringConcurrency?: number;
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
 * is retried with exponential backoff (scoring: 8 attempts, about two minutes; interviewer events:
 * 3). Scoring has a queue of its own, so slow scoring (an LLM call can take seconds) never delays
 * an interviewer's cut-in in another round.
 */
export class BullMqScheduler implements Scheduler {
  private readonly lanes: readonly Lane[];
  private workers: Worker[] = [];
  private readonly prefix: string;

  constructor(private readonly o: BullMqSchedulerOptions) {
    this.prefix = o.prefix ?? '{md}';
    this.lanes = [
      { name: TIMER_QUEUE, attempts: 3, concurrency: o.concurrency ?? 50 },
      { name: SCORING_QUEUE, attempts: 8, concurrency: o.scoringConcurrency ?? 10 },
    ].map((lane) => {
      const queue = new Queue(lane.name, { connection: o.connection, prefix: this.prefix });
      // Connection drops are retried by ioredis; log them instead of letting them go unhandled.
      queue.on('error', (error) => o.logger.warn('timer queue error', { error: error.message }));
      return { ...lane, queue };
    });
  }

  async schedule(timer: Timer): Promise<void> {
    const lane = this.laneOf(timer.event);
    const data: TimerData = { sessionId: timer.sessionId, event: timer.event, dueAt: timer.dueAt };
    const retention = { age: 24 * 3600 };
    await lane.queue.add(eventKey(timer.event), data, {
      jobId: timer.id,
      delay: Math.max(0, timer.dueAt - this.o.clock.now()),
      attempts: lane.attempts,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: retention,
      removeOnFail: retention,
    });
  }

  async cancel(timerIds: readonly string[]): Promise<void> {
    // A job that is running right now is locked and stays; it re-reads the session and stops.
    await Promise.all(
      timerIds.flatMap((id) => this.lanes.map((lane) => lane.queue.remove(id).catch(() => 0))),
    );
  }

  async start(handler: TimerHandler): Promise<void> {
    const connection = this.o.workerConnection;
    if (!connection) throw new Error('BullMqScheduler: a worker needs workerConnection');
    const process = async (job: Job<TimerData>) => {
      const { sessionId, event, dueAt } = job.data ?? {};
      if (typeof sessionId !== 'string' || !isRoundEvent(event) || !job.id) {
        throw new UnrecoverableError(`timer job ${job.id} has no session or event`);
      }
      await handler({ id: job.id, sessionId, event, dueAt: Number(dueAt) });
    };
    this.workers = this.lanes.map((lane) => {
      const worker = new Worker<TimerData>(lane.name, process, {
        connection,
        prefix: this.prefix,
        concurrency: lane.concurrency,
        ...(this.o.lockDurationMs
          ? { lockDuration: this.o.lockDurationMs, stalledInterval: this.o.lockDurationMs }
          : {}),
      });
      worker.on('failed', (job, error) =>
        this.o.logger.warn('timer failed', {
          job: job?.id,
          attempt: job?.attemptsMade,
          error: error.message,
        }),
      );
      worker.on('error', (error) =>
        this.o.logger.error('timer worker error', { error: error.message }),
      );
      return worker;
    });
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
  }

  async stop(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    await Promise.all(
      workers.map(async (worker) => {
        const drained = worker.close().then(() => true);
        const timeout = new Promise<boolean>((r) =>
          setTimeout(() => r(false), this.o.drainMs ?? 10_000).unref(),
        );
        if (!(await Promise.race([drained, timeout]))) await worker.close(true);
      }),
    );
    await Promise.all(this.lanes.map((lane) => lane.queue.close()));
  }

  /** Ids of the jobs still waiting, for tests and diagnostics. */
  async pending(): Promise<string[]> {
    const jobs = await Promise.all(
      this.lanes.map((lane) => lane.queue.getJobs(['delayed', 'waiting', 'prioritized'])),
    );
    return jobs.flat().flatMap((j) => (j?.id ? [j.id] : []));
  }

  private laneOf(event: RoundEvent): Lane {
    return (event.kind === 'score' ? this.lanes[1] : this.lanes[0]) as Lane;
  }
}
