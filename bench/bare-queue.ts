import { type Job, Queue, Worker } from 'bullmq';
import { CommandCounter } from './command-counter.js';
import { benchRedis } from './redis-info.js';

/** A processed bare job: when it was due by BullMQ's own reckoning and when the worker began it. */
export interface BareRun {
  /** The timeline event the job mirrors, as `addBulk` was given it. */
  readonly event: string;
  /**
   * `job.timestamp + job.opts.delay`: when BullMQ considered it due (`job.delay` itself is reset
   * to 0 when BullMQ promotes a delayed job, so the option is the record of the delay).
   */
  readonly dueAt: number;
  readonly startedAt: number;
  finishedAt: number;
}

/**
 * The control group: BullMQ on its own, with a queue of its own prefix and a worker that does
 * nothing, on its own two connections, and job options like mockdesign's (attempts, backoff,
 * removed once done), so whatever lateness it shows is BullMQ's and Redis's, not the core's.
 */
export async function startBareQueue(options: {
  readonly redisUrl: string;
  readonly prefix: string;
  readonly concurrency: number;
}) {
  const connection = benchRedis(options.redisUrl, 'bare');
  const workerConnection = benchRedis(options.redisUrl, 'bare-worker');
  const commands = new CommandCounter().watch(connection).watch(workerConnection);
  const queue = new Queue('bare', { connection, prefix: options.prefix });
  const runs: BareRun[] = [];
  const errors: string[] = [];
  const worker = new Worker(
    'bare',
    async (job: Job) => {
      const run: BareRun = {
        event: String(job.data?.event ?? ''),
        dueAt: job.timestamp + (job.opts.delay ?? 0),
        startedAt: Date.now(),
        finishedAt: 0,
      };
      runs.push(run);
      run.finishedAt = Date.now();
    },
    { connection: workerConnection, prefix: options.prefix, concurrency: options.concurrency },
  );
  queue.on('error', (error) => errors.push(error.message));
  worker.on('error', (error) => errors.push(error.message));
  worker.on('failed', (_job, error) => errors.push(error.message));
  await worker.waitUntilReady();
  return {
    runs,
    errors,
    commands,
    /**
     * Adds no-op jobs, each `delayMs` from now, with ids like timer ids and mockdesign's job
     * options (attempts, backoff, removed once done), in one round trip; `event` is what each
     * stands for.
     */
    async addBulk(jobs: readonly { id: string; event: string; delayMs: number }[]): Promise<void> {
      await queue.addBulk(
        jobs.map((j) => ({
          name: 'noop',
          data: { id: j.id, event: j.event },
          opts: {
            jobId: j.id,
            delay: Math.max(0, j.delayMs),
            attempts: 3,
            backoff: { type: 'exponential' as const, delay: 1000 },
            removeOnComplete: true,
            removeOnFail: true,
          },
        })),
      );
    },
    async close() {
      await worker.close();
      await queue.close();
      await Promise.allSettled([connection.quit(), workerConnection.quit()]);
    },
  };
}

export type BareQueue = Awaited<ReturnType<typeof startBareQueue>>;
