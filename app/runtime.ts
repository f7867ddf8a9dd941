import { BullMqScheduler } from '../jobs/bullmq-scheduler.js';
import { connectRedis } from '../redis/connection.js';
import { RedisChallengeStore } from '../redis/redis-challenge-store.js';
import { RedisReminderStore } from '../redis/redis-reminder-store.js';
import { RedisSessionStore } from '../redis/redis-session-store.js';
import type { Library } from '../rubric/load.js';
import { catchUp } from '../src/catch-up.js';
import { systemClock } from '../src/clock.js';
import type { Command } from '../src/commands/command.js';
import type { Config } from '../src/config.js';
import { ConfigError } from '../src/errors.js';
import type { Logger } from '../src/logger.js';
import { Platforms } from '../src/platforms.js';
import type { ChatPlatform } from '../src/ports/chat-platform.js';
import type { Scorer } from '../src/ports/scorer.js';
import { Rounds } from '../src/rounds.js';

export interface RuntimeOptions {
  readonly config: Config;
  readonly library: Library;
  readonly scorer: Scorer;
  readonly logger: Logger;
  /** The platforms of this process; each is started only when `listen` is set. */
  readonly platforms: readonly ChatPlatform[];
  /** Take platform events (a bot process); false for a worker-only process. */
  readonly listen: boolean;
  /** Run timer jobs in this process (default true). */
  readonly work?: boolean;
  /** BullMQ job lock; see `BullMqSchedulerOptions.lockDurationMs`. */
  readonly lockDurationMs?: number;
  /**
   * Asks the platforms whether they accept this process's credentials (`composeApp`: Slack's
   * `auth.test`, Discord's `GET /users/@me`). Run once Redis answers and before any job is
   * taken, so a process that could not post takes no work; a rejection stops the start.
   */
  readonly verify?: () => Promise<void>;
}

export interface Runtime {
  readonly rounds: Rounds;
  /** The Redis session store (diagnostics and tests). */
  readonly store: RedisSessionStore;
  /** The BullMQ scheduler (diagnostics and tests). */
  readonly scheduler: BullMqScheduler;
  /** Whether Redis answers a `PING` (the health check; it may hang while Redis is away). */
  redisAnswers(): Promise<boolean>;
  /** Each platform of the process by name, and whether it is connected (the health check). */
  platformsConnected(): Readonly<Record<string, boolean>>;
  /** Stops taking work, lets running jobs finish within a bound, closes connections. */
  stop(): Promise<void>;
}

/**
 * A Redis-backed mockdesign process: the core on the Redis store and BullMQ timers, with the given
 * platforms. Any number of these share one Redis.
 */
export async function startRuntime(o: RuntimeOptions): Promise<Runtime> {
  const url = o.config.redisUrl;
  if (!url) throw new ConfigError('REDIS_URL is required for Slack, Discord and worker processes');
  const work = o.work ?? true;
  const connection = await connectRedis(url, 'store');
  const queueConnection = await connectRedis(url, 'queue');
  const workerConnection = work ? await connectRedis(url, 'worker') : undefined;
  const disconnect = () => {
    for (const redis of [connection, queueConnection, workerConnection]) redis?.disconnect();
  };
  try {
    await o.verify?.();
  } catch (error) {
    disconnect();
    throw error;
  }
  const store = new RedisSessionStore(connection, {
    prefix: o.config.redisPrefix,
    retentionSeconds: o.config.retentionDays * 24 * 3600,
  });
  const scheduler = new BullMqScheduler({
    connection: queueConnection,
    workerConnection,
    prefix: `{${o.config.redisPrefix}}`,
    clock: systemClock,
    logger: o.logger,
    lockDurationMs: o.lockDurationMs,
    platforms: o.platforms.map((p) => p.name),
    scoringConcurrency: o.scorer.concurrency,
  });
  const platforms = new Platforms();
  for (const platform of o.platforms) platforms.add(platform);
  const rounds = new Rounds({
    library: o.library,
    store,
    scheduler,
    scorer: o.scorer,
    platforms,
    clock: systemClock,
    timeScale: o.config.timeScale,
    logger: o.logger,
    limits: { roundsPerDay: o.config.maxRoundsPerDay, repliesPerRound: o.config.maxReplies },
    challenges: new RedisChallengeStore(connection, {
      prefix: o.config.redisPrefix,
      retentionSeconds: o.config.retentionDays * 24 * 3600,
      now: () => systemClock.now(),
    }),
    admins: o.config.admins ?? [],
    reminders: new RedisReminderStore(connection, o.config.redisPrefix),
  });
  const handle = (command: Command) => rounds.handle(command);
  // A platform that (re)connected may have missed replies: they are read and taken in order.
  const stopping = new AbortController();
  const reconnected = (name: string) => () =>
    void catchUp(
      { store, platforms, handle, logger: o.logger, signal: stopping.signal },
      name,
      systemClock.now(),
    );
  // The platforms start before the workers: a process that cannot listen (a port in use, a
  // token Slack or Discord refuses) stops before it takes any job from the shared Redis. What
  // comes in meanwhile only adds jobs, which the workers take a moment later.
  if (o.listen) {
    const started: ChatPlatform[] = [];
    try {
      for (const platform of o.platforms) {
        await platform.start(handle, { reconnected: reconnected(platform.name) });
        started.push(platform);
      }
    } catch (error) {
      stopping.abort();
      await Promise.allSettled(started.map((platform) => platform.stop()));
      disconnect();
      throw error;
    }
  }
  if (work)
    await scheduler.start(
      (timer) => rounds.onTimer(timer),
      () => rounds.sweep(),
    );
  o.logger.info('started', {
    platforms: o.platforms.map((p) => p.name),
    listen: o.listen,
    work,
  });
  return {
    rounds,
    store,
    scheduler,
    async redisAnswers() {
      return (await connection.ping().catch(() => '')) === 'PONG';
    },
    platformsConnected() {
      return Object.fromEntries(o.platforms.map((p) => [p.name, p.connected?.() ?? true]));
    },
    async stop() {
      stopping.abort();
      if (o.listen) for (const platform of o.platforms) await platform.stop();
      await scheduler.stop();
      await Promise.allSettled([
        connection.quit(),
        queueConnection.quit(),
        workerConnection?.quit(),
      ]);
    },
  };
}
