import type { Redis } from 'ioredis';
import { luaScript } from '../redis/lua-script.js';
import type { Timer, TimerEvent } from '../src/ports/scheduler.js';

/**
 * Width of a tick in ms: the timers of a queue due within the same tick share one BullMQ job, run
 * at the tick's end. A job's own cost (adding it, taking it, locking it, finishing it) is then
 * paid once per tick rather than once per timer: when many rounds started together, their cues,
 * ends and scorings fall due together, and that cost was most of what such a burst asked of the
 * process.
 */
export const TICK_MS = 5;

/** How long a tick stays marked as taken by its job: any add to it after is refused. */
const TAKEN_SECONDS = 60;

/**
 * A tick's job falls due this long before the tick, and waits in the process for the tick's time
 * (never running a timer early): BullMQ hands a delayed job to a worker some tens of milliseconds
 * after it falls due (its promotion, the worker's fetch), and this takes most of that wait off the
 * timers' lateness.
 */
export const TICK_EARLY_MS = 25;

/** The name of a tick's job. */
export const TICK_JOB = 'tick';

/** What a tick holds of a timer (its id is the field): enough to run it. */
interface TickedTimer {
  readonly sessionId: string;
  readonly event: TimerEvent;
  readonly dueAt: number;
}

/** What `add` did with a timer. */
export type Ticked =
  /** It waits in its tick. */
  | 'added'
  /** It was waiting in a tick already: left as it is. */
  | 'pending'
  /** Its tick's job has taken the tick already (or it waits in one that has): a job of its own. */
  | 'own job';

/**
 * Adds a timer to its tick unless the tick's job has taken it (`TAKE`): 1 when added, 0 when
 * taken; when the timer waits in a tick already, that tick (the caller looks at whether it is
 * taken). KEYS: the index (timer id → tick), the tick's hash, its taken mark. ARGV: id, tick,
 * the timer.
 */
const ADD = luaScript(`
local held = redis.call('ZSCORE', KEYS[1], ARGV[1])
if held then return 'held ' .. held end
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
return 1
`);

/**
 * A tick's job takes its tick: marks it taken, so nothing is added to it after, and reads it.
 * KEYS: the tick's hash, its taken mark. ARGV: how long the mark stays.
 */
const TAKE = luaScript(`
redis.call('SET', KEYS[2], '1', 'EX', ARGV[1])
return redis.call('HGETALL', KEYS[1])
`);

/** The tick a timer due at `dueAt` waits in: the end of the `TICK_MS` it falls in. */
export function tickOf(dueAt: number): number {
  return Math.ceil(dueAt / TICK_MS) * TICK_MS;
}

/** The id of a tick's job (unique in its queue). */
export function tickJobId(tick: number): string {
  return `tick-${tick}`;
}

/**
 * A queue's timers grouped by when they fall due, kept in Redis: a hash per tick (timer id → the
 * timer), a mark once the tick's job has taken it, and an index of every waiting timer's tick,
 * for cancelling and for counting what falls due soon. Every key starts with the scheduler's
 * prefix, so they share its cluster slot.
 */
export class TimerTicks {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly queue: string,
  ) {}

  /** Adds `timer` to `tick` (see `Ticked`). */
  async add(timer: Timer, tick: number): Promise<Ticked> {
    const ticked: TickedTimer = {
      sessionId: timer.sessionId,
      event: timer.event,
      dueAt: timer.dueAt,
    };
    const result = await ADD(
      this.redis,
      [this.indexKey(), this.tickKey(tick), this.takenKey(tick)],
      [timer.id, String(tick), JSON.stringify(ticked)],
    );
    if (result === 1) return 'added';
    if (typeof result !== 'string') return 'own job';
    // Waiting in a tick already: left there unless that tick's job has taken it.
    const held = Number(result.slice('held '.length));
    return (await this.redis.exists(this.takenKey(held))) === 1 ? 'own job' : 'pending';
  }

  /**
   * Takes `tick` for its job (nothing is added to it after) and returns the timers waiting in it;
   * a field that is no timer is returned apart, to be dropped. Taking it again (the job run again)
   * returns what is left.
   */
  async take(tick: number): Promise<{ timers: Timer[]; unreadable: string[] }> {
    const flat = (await TAKE(
      this.redis,
      [this.tickKey(tick), this.takenKey(tick)],
      [String(TAKEN_SECONDS)],
    )) as string[];
    return read(flat);
  }

  /** Takes the timers `ids` out of `tick`: they ran, or a job of their own runs them now. */
  async remove(tick: number, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.redis
      .multi()
      .hdel(this.tickKey(tick), ...ids)
      .zrem(this.indexKey(), ...ids)
      .exec();
  }

  /** Drops the timers `ids` from the ticks they wait in; those in none are ignored. */
  async cancel(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const ticks = await this.redis.zmscore(this.indexKey(), ...ids);
    const multi = this.redis.multi();
    let any = false;
    ids.forEach((id, i) => {
      const tick = ticks[i];
      if (tick === null || tick === undefined) return;
      multi.hdel(this.tickKey(Number(tick)), id);
      any = true;
    });
    if (!any) return;
    await multi.zrem(this.indexKey(), ...ids).exec();
  }

  /** Timers waiting in ticks due by `until` (epoch ms). */
  dueBy(until: number): Promise<number> {
    return this.redis.zcount(this.indexKey(), '-inf', until);
  }

  /** Ticks due before `before` that still hold timers, at most `limit` (their jobs may be lost). */
  async overdue(before: number, limit: number): Promise<number[]> {
    const entries = await this.redis.zrangebyscore(
      this.indexKey(),
      '-inf',
      `(${before}`,
      'WITHSCORES',
      'LIMIT',
      0,
      limit,
    );
    const ticks = new Set<number>();
    for (let i = 1; i < entries.length; i += 2) ticks.add(Number(entries[i]));
    return [...ticks];
  }

  /** Ids of every timer waiting in a tick, for tests and diagnostics. */
  waiting(): Promise<string[]> {
    return this.redis.zrange(this.indexKey(), '0', '-1');
  }

  /** Every timer waiting in a tick, for tests and diagnostics. */
  async all(): Promise<Timer[]> {
    const entries = await this.redis.zrange(this.indexKey(), '0', '-1', 'WITHSCORES');
    const ticks = new Set<number>();
    for (let i = 1; i < entries.length; i += 2) ticks.add(Number(entries[i]));
    const timers: Timer[] = [];
    for (const tick of ticks) {
      const fields = await this.redis.hgetall(this.tickKey(tick));
      timers.push(...read(Object.entries(fields).flat()).timers);
    }
    return timers;
  }

  private indexKey(): string {
    return `${this.prefix}:ticks:${this.queue}`;
  }

  private tickKey(tick: number): string {
    return `${this.prefix}:tick:${this.queue}:${tick}`;
  }

  private takenKey(tick: number): string {
    return `${this.prefix}:taken:${this.queue}:${tick}`;
  }
}

/** Timers from a tick's fields and values, flat; fields that are no timer apart. */
function read(flat: readonly string[]): { timers: Timer[]; unreadable: string[] } {
  const timers: Timer[] = [];
  const unreadable: string[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const id = flat[i] as string;
    const t = parse(flat[i + 1] as string);
    if (t) timers.push({ id, sessionId: t.sessionId, event: t.event, dueAt: t.dueAt });
    else unreadable.push(id);
  }
  return { timers, unreadable };
}

/** A tick's timer as stored, or undefined when it is not one (a foreign or damaged field). */
function parse(raw: string): TickedTimer | undefined {
  try {
    const t = JSON.parse(raw) as Partial<TickedTimer>;
    return typeof t.sessionId === 'string' &&
      typeof t.dueAt === 'number' &&
      typeof t.event === 'object' &&
      t.event !== null
      ? (t as TickedTimer)
      : undefined;
  } catch {
    return undefined;
  }
}
