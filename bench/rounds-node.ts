import { createScorer } from '../app/scorer.js';
import { BullMqScheduler } from '../jobs/bullmq-scheduler.js';
import { connectionOptions } from '../redis/connection.js';
import { RedisSessionStore } from '../redis/redis-session-store.js';
import type { Library } from '../rubric/load.js';
import { systemClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { Platforms } from '../src/platforms.js';
import { timerKey } from '../src/ports/scheduler.js';
import { Rounds } from '../src/rounds.js';
import { CommandCounter } from './command-counter.js';
import { RecordingPlatform } from './recording-platform.js';
import { benchRedis } from './redis-info.js';

/** When the worker handed a timer job to the core, and when the core was done with it. */
export interface HandledJob {
  readonly jobId: string;
  readonly event: string;
  readonly dueAt: number;
  readonly pickedUpAt: number;
  doneAt: number;
}

/**
 * One mockdesign process as production wires it: a Redis session store and a BullMQ scheduler on
 * their own connections, with one worker (production concurrency) feeding due timers to the core,
 * and a recording chat platform. Counts the Redis commands it sends, and logs warnings and errors.
 */
export async function startRoundsNode(options: {
  readonly library: Library;
  readonly redisUrl: string;
  /** Session key prefix; the BullMQ prefix is `{prefix}`, as the integration tests wire it. */
  readonly prefix: string;
  readonly timeScale: number;
  readonly concurrency: number;
  /** Whether its workers take due timers (default true); without, timers are only scheduled. */
  readonly work?: boolean;
}) {
  // Connections as production opens them (`connectRedis`), minus its start-up check.
  const connection = benchRedis(options.redisUrl, 'rounds', connectionOptions('store'));
  const queueConnection = benchRedis(options.redisUrl, 'rounds-queue', connectionOptions('queue'));
  const workerConnection = benchRedis(
    options.redisUrl,
    'rounds-worker',
    connectionOptions('worker'),
  );
  const problems: string[] = [];
  const logger = createLogger({
    write: (line) => {
      if (!line.includes('"level":"info"')) problems.push(line.trim());
    },
  });
  const commands = new CommandCounter()
    .watch(connection)
    .watch(queueConnection)
    .watch(workerConnection);
  const store = new RedisSessionStore(connection, {
    prefix: options.prefix,
    retentionSeconds: 3600,
  });
  // Scored as a bot process scores (`app/compose.ts`): the heuristic on a thread of its own.
  const scorer = createScorer(loadConfig({}), options.library, logger, 'heuristic', true);
  const scheduler = new BullMqScheduler({
    connection: queueConnection,
    workerConnection,
    prefix: `{${options.prefix}}`,
    clock: systemClock,
    logger,
    concurrency: options.concurrency,
    scoringConcurrency: scorer.concurrency,
    drainMs: 5000,
    platforms: ['bench'],
  });
  const platform = new RecordingPlatform();
  const platforms = new Platforms();
  platforms.add(platform);
  const rounds = new Rounds({
    library: options.library,
    store,
    scheduler,
    scorer,
    platforms,
    clock: systemClock,
    timeScale: options.timeScale,
    logger,
  });
  const handled: HandledJob[] = [];
  if (options.work !== false) await startWorkers(scheduler, rounds, handled);
  return {
    rounds,
    store,
    platform,
    commands,
    handled,
    problems,
    async close() {
      await scheduler.stop();
      await Promise.allSettled([
        connection.quit(),
        queueConnection.quit(),
        workerConnection.quit(),
      ]);
    },
  };
}

/** Starts the scheduler's workers, handing each due timer to the core and recording its times. */
async function startWorkers(scheduler: BullMqScheduler, rounds: Rounds, handled: HandledJob[]) {
  await scheduler.start(async (timer) => {
    const job: HandledJob = {
      jobId: timer.id,
      event: timerKey(timer.event),
      dueAt: timer.dueAt,
      pickedUpAt: Date.now(),
      doneAt: 0,
    };
    handled.push(job);
    try {
      await rounds.onTimer(timer);
    } finally {
      job.doneAt = Date.now();
    }
  });
}

export type RoundsNode = Awaited<ReturnType<typeof startRoundsNode>>;
