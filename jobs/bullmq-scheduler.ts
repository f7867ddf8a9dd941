import { DelayedError, type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { CHALLENGE_EVENT_KINDS } from '../src/challenges/challenge-events.js';
import type { Clock } from '../src/clock.js';
import type { Logger } from '../src/logger.js';
import {
  NotYet,
  type Repeat,
  retryDelayMs,
  type Scheduler,
  type Sweep,
  TIMER_ATTEMPTS,
  type Timer,
  type TimerEvent,
  type TimerHandler,
  type TimerRef,
  timerKey,
} from '../src/ports/scheduler.js';
import { TICK_EARLY_MS, TICK_JOB, TimerTicks, tickJobId, tickOf } from './timer-ticks.js';

/** The queue of interviewer events (phase openings, cut-ins, probes, nudges, the end). */
export const TIMER_QUEUE = 'timers';
/** The queue of scoring jobs, apart so slow scoring never delays an interviewer event. */
export const SCORING_QUEUE = 'scoring';
/** The queue of a platform's posts: only processes that serve the platform take its jobs. */
export const postQueue = (platform: string) => `post-${platform}`;

/**
 * Options of every timer job: retried with the platform's backoff, then gone for the sweeper.
 * Gone once done, too: a timer scheduled again (a probe foreseen for a reply that was not stored,
 * the reply sent again) runs again, as with the memory scheduler; what it did is in the round, so
 * a run that finds it done does nothing.
 */
const JOB_OPTIONS = {
  attempts: TIMER_ATTEMPTS,
  backoff: { type: 'platform' },
  removeOnComplete: true,
  // Gone once failed for good, so the sweeper can add it again.
  removeOnFail: true,
};

/**
 * A scoring job waits while the interviewer lane is busy, at most `scoringYieldMs`: an interviewer
 * line is due at a given second, a scorecard a moment later is not. Scoring has a queue of its own,
 * but reading the transcript, saving the card and posting it share the main thread with the
 * interviewer's lines (the scoring itself runs on a thread of its own). Busy: a tenth or more of
 * the lane's slots in use (events falling due steadily keep a few busy: 10,000 live rounds, about
 * 4 of 100), or more jobs started within `BURST_WINDOW_MS` than the lane has slots (a burst, such
 * as the ends of rounds that started together: its slots free and fill again all the time, and the
 * slots in use alone would let scoring in whenever they dip).
 */
const SCORING_YIELDS_AT = 0.1;
const BURST_WINDOW_MS = 250;
/** How often a waiting scoring job looks at the interviewer lane again. */
const YIELD_POLL_MS = 50;
/**
 * How far ahead a waiting scoring job looks at the interviewer jobs of every process: while more
 * than half a lane's slots' worth are in progress, waiting or falling due within this, scoring
 * waits too (a burst under way or due, whatever lull this process sees; steady load of tens a
 * second does not hold it back).
 */
const LOOKAHEAD_MS = 1000;

/**
 * Workers sharing the interviewer lane's slots. A BullMQ worker fetches jobs one round trip at a
 * time until it holds its concurrency's worth (or finds none due) before it starts the first, so
 * at the start of a burst one worker of 100 slots holds the first job back for up to 100 fetches;
 * four of 25 fetch side by side.
 */
const TIMER_WORKERS = 4;

/** How often the sweeper runs (one process at a time: it is a job itself). */
export const SWEEP_EVERY_MS = 10_000;
const SWEEP_JOB = 'sweep';

/** What a timer job carries: ids and the typed event only; the worker re-reads the session. */
interface TimerData {
  readonly sessionId: string;
  readonly event: TimerEvent;
  readonly dueAt: number;
  readonly platform?: string;
  /** Failed runs before this job (a timer of a tick that failed there is handed to a job). */
  readonly attempt?: number;
}

/** The job data of `timer`, which failed `attempt` times before (as a tick's timer). */
function timerData(timer: Timer, attempt = 0): TimerData {
  return {
    sessionId: timer.sessionId,
    event: timer.event,
    dueAt: timer.dueAt,
    ...(timer.platform === undefined ? {} : { platform: timer.platform }),
    ...(attempt > 0 ? { attempt } : {}),
  };
}

/** What a tick's job carries: the tick (see `TimerTicks`). */
interface TickData {
  readonly tick: number;
}

/** A timer due longer ago than this is run by a job of its own, at once. */
const TICK_OVERDUE_MS = 1000;

/** The queues whose timers wait in ticks: interviewer events and scoring (never a post). */
const TICKED_QUEUES = [TIMER_QUEUE, SCORING_QUEUE] as const;
type TickedQueue = (typeof TICKED_QUEUES)[number];

function isTicked(queue: string): queue is TickedQueue {
  return (TICKED_QUEUES as readonly string[]).includes(queue);
}

/** The tick of a tick's job. */
function tickOfJob(job: Job<TimerData>): number {
  return Number((job.data as unknown as TickData | undefined)?.tick);
}

const EVENT_KINDS = new Set<string>([
  'phase',
  'cue',
  'end',
  'probe',
  'nudge',
  'score',
  'post',
  'reminder',
  ...CHALLENGE_EVENT_KINDS,
]);

/** Whether a job's payload holds a timer event (a job from an older or foreign version may not). */
function isTimerEvent(value: unknown): value is TimerEvent {
  return (
    typeof value === 'object' &&
    value !== null &&
    EVENT_KINDS.has(String((value as { kind?: unknown }).kind))
  );
}

export interface BullMqSchedulerOptions {
  /**
   * Connection for adding and removing jobs, without auto-pipelining (`connectRedis(url, 'queue')`):
   * BullMQ defines its scripts on it, and ioredis copies them into every pipeline it builds.
   */
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
  /** Interviewer-event jobs processed at once by this process (default 100: they wait on I/O). */
  readonly concurrency?: number;
  /** Scoring jobs processed at once by this process (default 10). */
  readonly scoringConcurrency?: number;
  /** The longest a scoring job waits for the interviewer lane to ease (default 10 s). */
  readonly scoringYieldMs?: number;
  /** The platforms this process posts to: it takes their post jobs and no others' (default none). */
  readonly platforms?: readonly string[];
  /** Posts made at once by this process, per platform (default 50). */
  readonly postConcurrency?: number;
  /** How long `stop()` lets running jobs finish before abandoning them (default 10 s). */
  readonly drainMs?: number;
  /**
   * Lock of a running job (default BullMQ's 30 s). A process killed mid-job leaves it stalled; it
   * runs again after about this long plus the stalled-check interval (set to the same value).
   */
  readonly lockDurationMs?: number;
  /**
   * How long past its time a tick still holding timers waits before the sweep gives it its job
   * again (default 30 s: longer than a tick job's first retries).
   */
  readonly tickSweepAfterMs?: number;
}

/**
 * Durable timers on BullMQ: each timer is a delayed job whose id is the timer's deterministic id
 * (`{sessionId}-{event key}`), so adding it twice is harmless and it survives restarts. Interviewer
 * events and scoring change state only, so any process takes them; posts go to a queue per
 * platform (`post-slack`, `post-discord`) taken only by processes that serve it, so processes of
 * different platforms can share one Redis. A failed job is tried again up to `TIMER_ATTEMPTS`
 * times, after the delay the platform asked for or doubling up to a minute (about six minutes in
 * all); one that fails for good is removed, and the sweeper (a repeatable job) starts its work
 * again later.
 */
export class BullMqScheduler implements Scheduler {
  private readonly queues = new Map<string, Queue>();
  private workers: Worker[] = [];
  /** Interviewer timers this process is running now. */
  private interviewerJobs = 0;
  /** The interviewer lane's slots not in use, and the timers waiting for one. */
  private freeSlots: number;
  private readonly slotWaiters: (() => void)[] = [];
  /** Interviewer-event jobs started in the current and the previous `BURST_WINDOW_MS`. */
  private starts = { window: 0, now: 0, before: 0 };
  private stopping = false;
  private readonly prefix: string;
  /** Interviewer-event slots of this process (`concurrency`, default 100). */
  private readonly slots: number;
  /** The last reading of the shared interviewer lane, shared by every waiting scoring job. */
  private lane: { at: number; busy: Promise<boolean> } | undefined;
  /** Interviewer timers and scorings waiting in ticks, a job per tick, by queue. */
  private readonly ticks: Record<TickedQueue, TimerTicks>;
  /** Ticks (`queue:tick`) whose job this process has added: adding it again is not needed. */
  private readonly tickJobs = new Map<string, number>();

  constructor(private readonly o: BullMqSchedulerOptions) {
    this.prefix = o.prefix ?? '{md}';
    this.slots = o.concurrency ?? 100;
    this.freeSlots = this.slots;
    this.ticks = {
      [TIMER_QUEUE]: new TimerTicks(o.connection, this.prefix, TIMER_QUEUE),
      [SCORING_QUEUE]: new TimerTicks(o.connection, this.prefix, SCORING_QUEUE),
    };
    for (const redis of [o.connection, o.workerConnection]) {
      // Each batch of an auto-pipelined connection would copy BullMQ's 64 scripts (54 µs a batch),
      // and the session store that pipelines would pay for them on every command it sends.
      if (redis?.options.enableAutoPipelining) {
        throw new Error('BullMqScheduler: give it connections without auto-pipelining');
      }
    }
  }

  async schedule(timer: Timer): Promise<void> {
    const queue = this.queueOf(timer);
    // An interviewer timer or a scoring waits in its tick, with the others due then (one due
    // now, such as a round's scoring at its end, in the next); its tick's job is added first, so
    // a timer is never in a tick without one. One long overdue (a sweep's) runs on its own.
    const now = this.o.clock.now();
    if (isTicked(queue) && timer.dueAt > now - TICK_OVERDUE_MS) {
      const tick = tickOf(Math.max(timer.dueAt, now));
      await this.addTickJob(queue, tick);
      if ((await this.ticks[queue].add(timer, tick)) !== 'own job') return;
    }
    await this.queue(queue).add(timerKey(timer.event), timerData(timer), {
      jobId: timer.id,
      delay: Math.max(0, timer.dueAt - now),
      ...JOB_OPTIONS,
    });
  }

  /**
   * Adds the job of `tick` (once: its id is the tick's), unless this process added it already.
   * `again`: whatever this process remembers (the sweep's, for a tick whose job may be lost).
   */
  private async addTickJob(queue: TickedQueue, tick: number, again = false): Promise<void> {
    const key = `${queue}:${tick}`;
    if (!again && this.tickJobs.has(key)) return;
    const now = this.o.clock.now();
    const data: TickData = { tick };
    await this.queue(queue).add(TICK_JOB, data as unknown as TimerData, {
      jobId: tickJobId(tick),
      delay: Math.max(0, tick - TICK_EARLY_MS - now),
      ...JOB_OPTIONS,
    });
    // What it remembers only saves adding a job again: past ticks go, and all when too many wait.
    if (this.tickJobs.size >= 10_000) {
      for (const [k, t] of this.tickJobs) if (t < now - 60_000) this.tickJobs.delete(k);
      if (this.tickJobs.size >= 10_000) this.tickJobs.clear();
    }
    this.tickJobs.set(key, tick);
  }

  async repeat(repeat: Repeat): Promise<void> {
    const data: TimerData = {
      sessionId: repeat.id,
      event: repeat.event,
      dueAt: 0,
      platform: repeat.platform,
    };
    // A job scheduler adds one job per occurrence, with an id of its own: several processes
    // upserting it, or taking its jobs, still run each occurrence once.
    await this.queue(postQueue(repeat.platform)).upsertJobScheduler(
      repeat.id,
      { pattern: repeat.pattern, tz: repeat.timeZone },
      { name: timerKey(repeat.event), data, opts: JOB_OPTIONS },
    );
  }

  async unrepeat(id: string, platform: string): Promise<void> {
    await this.queue(postQueue(platform)).removeJobScheduler(id);
  }

  async nextRepeat(id: string, platform: string): Promise<number | undefined> {
    const scheduler = await this.queue(postQueue(platform)).getJobScheduler(id);
    return scheduler?.next ?? undefined;
  }

  async cancel(timers: readonly TimerRef[]): Promise<void> {
    // A job that is running right now is locked and stays; it re-reads the session and stops.
    await Promise.all([
      ...TICKED_QUEUES.map((queue) =>
        this.ticks[queue]
          .cancel(timers.filter((t) => this.queueOf(t) === queue).map((t) => t.id))
          .catch(() => undefined),
      ),
      ...timers.map((t) =>
        this.queue(this.queueOf(t))
          .remove(t.id)
          .catch(() => 0),
      ),
    ]);
  }

  async start(handler: TimerHandler, sweep?: Sweep): Promise<void> {
    const connection = this.o.workerConnection;
    if (!connection) throw new Error('BullMqScheduler: a worker needs workerConnection');
    this.stopping = false;
    const process = async (job: Job<TimerData>, token?: string) => {
      if (job.name === SWEEP_JOB) {
        await this.sweepTicks();
        return sweep?.();
      }
      const { sessionId, event, dueAt, platform, attempt } = job.data ?? {};
      if (typeof sessionId !== 'string' || !isTimerEvent(event) || !job.id) {
        throw new UnrecoverableError(`timer job ${job.id} has no session or event`);
      }
      const timer: Timer = {
        id: job.id,
        sessionId,
        event,
        // An occurrence of a job scheduler is due at the time its rule gave.
        dueAt: Number(job.opts.prevMillis ?? dueAt),
        // A job picked up again after its process died was started before without failing.
        attempt:
          (typeof attempt === 'number' ? attempt : 0) +
          Math.max(job.attemptsMade, (job.attemptsStarted ?? 1) - 1),
        ...(typeof platform === 'string' ? { platform } : {}),
      };
      try {
        await handler(timer);
      } catch (error) {
        if (!(error instanceof NotYet)) throw error;
        // Run again later, without a failed try: BullMQ leaves a job it was told is delayed.
        await job.moveToDelayed(Date.now() + error.afterMs, token);
        throw new DelayedError();
      }
    };
    // One worker per entry: the interviewer lane's slots split among up to `TIMER_WORKERS`.
    const timerWorkers = Math.min(TIMER_WORKERS, this.slots);
    const lanes: { name: string; concurrency: number }[] = [
      ...Array.from({ length: timerWorkers }, (_, i) => ({
        name: TIMER_QUEUE,
        concurrency:
          Math.floor(this.slots / timerWorkers) + (i < this.slots % timerWorkers ? 1 : 0),
      })),
      { name: SCORING_QUEUE, concurrency: this.o.scoringConcurrency ?? 10 },
      ...(this.o.platforms ?? []).map((p) => ({
        name: postQueue(p),
        concurrency: this.o.postConcurrency ?? 50,
      })),
    ];
    if (sweep) {
      await this.queue(TIMER_QUEUE).upsertJobScheduler(
        SWEEP_JOB,
        { every: SWEEP_EVERY_MS },
        { name: SWEEP_JOB, opts: { removeOnComplete: true, removeOnFail: true } },
      );
    }
    const processors: Record<string, (job: Job<TimerData>, token?: string) => Promise<void>> = {
      [TIMER_QUEUE]: (job, token) =>
        job.name === TICK_JOB
          ? this.runTick(
              TIMER_QUEUE,
              tickOfJob(job),
              (timer) => this.interviewer(() => handler(timer)),
              this.slots,
            )
          : this.interviewer(() => process(job, token)),
      [SCORING_QUEUE]: async (job, token) => {
        const until = this.o.clock.now() + (this.o.scoringYieldMs ?? 10_000);
        while (
          !this.stopping &&
          (this.interviewerBusy() || (await this.burstDue())) &&
          this.o.clock.now() < until
        ) {
          await new Promise((go) => setTimeout(go, YIELD_POLL_MS));
        }
        // A tick's rounds are scored one after another: as many at once as scoring jobs.
        if (job.name === TICK_JOB) await this.runTick(SCORING_QUEUE, tickOfJob(job), handler, 1);
        else await process(job, token);
      },
    };
    this.workers = lanes.map((lane) =>
      this.worker(connection, lane, processors[lane.name] ?? process),
    );
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
  }

  /**
   * Runs an interviewer timer in one of the lane's slots (the timers of a tick and the timers with
   * jobs of their own share them), counted in the lane this process reads before it scores.
   */
  private async interviewer(run: () => Promise<void>): Promise<void> {
    if (this.freeSlots > 0) this.freeSlots--;
    else await new Promise<void>((go) => this.slotWaiters.push(go));
    this.countStart();
    this.interviewerJobs++;
    try {
      await run();
    } finally {
      this.interviewerJobs--;
      const next = this.slotWaiters.shift();
      if (next) next();
      else this.freeSlots++;
    }
  }

  /**
   * Runs the timers waiting in `tick`, at most `slots` at once; each is taken
   * out of the tick once it ran, or once a job of its own took it over (it failed, or asked to
   * wait: that job tries it again as a timer's own job would). The tick's job fails, and runs
   * again for those left, only when handing one over failed too.
   */
  private async runTick(
    queue: TickedQueue,
    tick: number,
    run: TimerHandler,
    slots: number,
  ): Promise<void> {
    if (!Number.isFinite(tick)) throw new UnrecoverableError('tick job has no tick');
    // The job falls due a little before its tick (`TICK_EARLY_MS`); its timers run at the tick.
    const early = tick - this.o.clock.now();
    if (early > 0) await new Promise((go) => setTimeout(go, Math.min(early, TICK_EARLY_MS)));
    const ticks = this.ticks[queue];
    const { timers, unreadable } = await ticks.take(tick);
    if (unreadable.length > 0) {
      this.o.logger.warn('tick: timers that cannot be read are dropped', { tick, unreadable });
    }
    const done = [...unreadable];
    let failed: unknown;
    const left = [...timers];
    const next = async (): Promise<void> => {
      for (let timer = left.shift(); timer; timer = left.shift()) {
        try {
          if (isTimerEvent(timer.event)) await run({ ...timer, attempt: 0 });
          else this.o.logger.warn('tick: a timer without an event is dropped', { job: timer.id });
          done.push(timer.id);
        } catch (error) {
          try {
            await this.runAlone(queue, timer, error);
            done.push(timer.id);
          } catch (handOver) {
            failed ??= handOver;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(slots, timers.length) }, next));
    await ticks.remove(tick, done);
    if (failed !== undefined) throw failed;
  }

  /**
   * A timer of a tick that failed (or asked to wait, `NotYet`) goes on as a job of its own: tried
   * again after the platform's delay with the tries it has left, or after the wait it asked for.
   */
  private async runAlone(queue: TickedQueue, timer: Timer, error: unknown): Promise<void> {
    const wait = error instanceof NotYet;
    if (!wait) {
      this.o.logger.warn('timer failed', {
        job: timer.id,
        attempt: 1,
        error: error instanceof Error ? error.message : String(error),
      });
    }
    await this.queue(queue).add(timerKey(timer.event), timerData(timer, wait ? 0 : 1), {
      jobId: timer.id,
      ...JOB_OPTIONS,
      delay: wait ? error.afterMs : retryDelayMs(1, error),
      attempts: wait ? TIMER_ATTEMPTS : TIMER_ATTEMPTS - 1,
    });
  }

  /** Gives ticks long past that still hold timers their job again (a lost one); never fails. */
  private async sweepTicks(): Promise<void> {
    try {
      for (const queue of TICKED_QUEUES) {
        const ticks = await this.ticks[queue].overdue(
          this.o.clock.now() - (this.o.tickSweepAfterMs ?? 30_000),
          100,
        );
        for (const tick of ticks) await this.addTickJob(queue, tick, true);
        if (ticks.length > 0) {
          this.o.logger.warn('sweep: ticks past due got their job again', { queue, ticks });
        }
      }
    } catch (error) {
      this.o.logger.warn('sweep: ticks could not be looked at', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /** One BullMQ worker of a lane, reporting failed jobs and its own errors to the log. */
  private worker(
    connection: Redis,
    lane: { name: string; concurrency: number },
    processor: (job: Job<TimerData>, token?: string) => Promise<void>,
  ): Worker<TimerData> {
    const worker = new Worker<TimerData>(lane.name, processor, {
      connection,
      prefix: this.prefix,
      concurrency: lane.concurrency,
      settings: { backoffStrategy: (attempts, _type, error) => retryDelayMs(attempts, error) },
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
  }

  async stop(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    this.stopping = true;
    await Promise.all(
      workers.map(async (worker) => {
        const drained = worker.close().then(() => true);
        const timeout = new Promise<boolean>((r) =>
          setTimeout(() => r(false), this.o.drainMs ?? 10_000).unref(),
        );
        if (!(await Promise.race([drained, timeout]))) await worker.close(true);
      }),
    );
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }

  /** Ids of the round jobs still waiting (interviewer events and scoring), for tests and diagnostics. */
  async pending(): Promise<string[]> {
    const jobs = await Promise.all(
      [TIMER_QUEUE, SCORING_QUEUE].map((name) =>
        this.queue(name).getJobs(['delayed', 'waiting', 'prioritized']),
      ),
    );
    const own = jobs
      .flat()
      .flatMap((j) => (j?.id && j.name !== SWEEP_JOB && j.name !== TICK_JOB ? [j.id] : []));
    const ticked = await Promise.all(TICKED_QUEUES.map((q) => this.ticks[q].waiting()));
    return [...own, ...ticked.flat()];
  }

  /** Counts an interviewer job's start in its `BURST_WINDOW_MS`. */
  private countStart(): void {
    this.roll();
    this.starts.now++;
  }

  /** Moves the burst windows on to the present. */
  private roll(): void {
    const window = Math.floor(this.o.clock.now() / BURST_WINDOW_MS);
    if (window === this.starts.window) return;
    const before = window === this.starts.window + 1 ? this.starts.now : 0;
    this.starts = { window, now: 0, before };
  }

  /** Whether scoring should wait for the interviewer lane (see `SCORING_YIELDS_AT`). */
  private interviewerBusy(): boolean {
    this.roll();
    return (
      this.interviewerJobs >= Math.max(1, Math.ceil(this.slots * SCORING_YIELDS_AT)) ||
      this.starts.now + this.starts.before > this.slots
    );
  }

  /**
   * Whether the interviewer queue, across every process, has more than half a lane's slots' worth
   * of jobs in progress, waiting or falling due within `LOOKAHEAD_MS` (read at most every
   * `YIELD_POLL_MS`; a failed read is no reason to wait). In progress counts: a burst's jobs taken
   * by a worker but not yet started by its handler are in no process's own count.
   */
  private burstDue(): Promise<boolean> {
    // BullMQ's own clock: a delayed job's score is its due time × 0x1000 plus a counter.
    const now = Date.now();
    if (this.lane && now - this.lane.at < YIELD_POLL_MS) return this.lane.busy;
    const queue = this.queue(TIMER_QUEUE);
    const redis = this.o.connection;
    const busy = Promise.all([
      redis.llen(queue.toKey('active')),
      redis.llen(queue.toKey('wait')),
      redis.zcount(queue.toKey('delayed'), '-inf', (now + LOOKAHEAD_MS) * 0x1000 - 1),
      // A tick's timers count one by one (its job, above, once more: no matter).
      this.ticks[TIMER_QUEUE].dueBy(now + LOOKAHEAD_MS),
    ])
      .then((counts) => counts.reduce((a, b) => a + b, 0) > this.slots / 2)
      .catch(() => false);
    this.lane = { at: now, busy };
    return busy;
  }

  /** Timers that post (a round's posts, a challenge's) go to their platform's queue. */
  private queueOf(timer: TimerRef & Pick<Timer, 'platform'>): string {
    if (timer.event.kind === 'post' || timer.platform !== undefined) {
      return postQueue(timer.platform ?? 'unknown');
    }
    return timer.event.kind === 'score' ? SCORING_QUEUE : TIMER_QUEUE;
  }

  /** The queue called `name`, made on first use (a post may go to any platform's queue). */
  private queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.o.connection, prefix: this.prefix });
      // Connection drops are retried by ioredis; log them instead of letting them go unhandled.
      queue.on('error', (error) =>
        this.o.logger.warn('timer queue error', { error: error.message }),
      );
      this.queues.set(name, queue);
    }
    return queue;
  }
}
