import type { Redis } from 'ioredis';
import { luaScript } from '../redis/lua-script.js';
import type { Timer, TimerEvent } from '../src/ports/scheduler.js';

/**
 * Width of a tick in ms: the interviewer timers of every round due within the same tick share
 * one BullMQ job, run at the tick's end. A job's own cost (taking it, locking it, finishing it)
 * is then paid once per tick rather than once per timer: when many rounds started together, their
 * cues fall due together, and that cost was most of what a burst of them asked of the process.
 */
export const TICK_MS = 5;

/**
 * A timer due sooner than this gets a job of its own: its tick's job may have started already,
 * and a timer added to a tick after its job read it would never run.
 */
export const TICK_LEAD_MS = 2000;

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
  /** Too soon for a tick (or its tick is due): it needs a job of its own. */
  | 'own job';

/**
 * Adds a timer to its tick unless the tick falls due within the lead (read on Redis's clock, the
 * one every process shares), or the timer waits in a tick already.
 * KEYS: the index (timer id → tick), the tick's hash. ARGV: id, tick, the timer, lead ms.
 */
const ADD = luaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lead = tonumber(ARGV[4])
local held = redis.call('ZSCORE', KEYS[1], ARGV[1])
if held then
  if tonumber(held) > now + lead then return 2 end
  return 0
end
if tonumber(ARGV[2]) <= now + lead then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
return 1
`);

/** The tick a timer due at `dueAt` waits in: the end of the `TICK_MS` it falls in. */
export function tickOf(dueAt: number): number {
  return Math.ceil(dueAt / TICK_MS) * TICK_MS;
}

/** The id of a tick's job. */
export function tickJobId(tick: number): string {
  return `tick-${tick}`;
}

/**
 * Interviewer timers grouped by when they fall due, kept in Redis: a hash per tick (timer id →
 * the timer) and an index of every waiting timer's tick, for cancelling and for counting what
 * falls due soon. Every key starts with the scheduler's prefix, so they share its cluster slot.
 */
export class TimerTicks {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Adds `timer` to its tick (see `Ticked`). */
  async add(timer: Timer): Promise<Ticked> {
    const tick = tickOf(timer.dueAt);
    const ticked: TickedTimer = {
      sessionId: timer.sessionId,
      event: timer.event,
      dueAt: timer.dueAt,
    };
    const result = await ADD(
      this.redis,
      [this.indexKey(), this.tickKey(tick)],
      [timer.id, String(tick), JSON.stringify(ticked), String(TICK_LEAD_MS)],
    );
    return result === 1 ? 'added' : result === 2 ? 'pending' : 'own job';
  }

  /** The timers waiting in `tick`, as the handler takes them; a field that is no timer is dropped. */
  async timers(tick: number): Promise<{ timers: Timer[]; unreadable: string[] }> {
    const fields = await this.redis.hgetall(this.tickKey(tick));
    const timers: Timer[] = [];
    const unreadable: string[] = [];
    for (const [id, raw] of Object.entries(fields)) {
      const t = parse(raw);
      if (t) timers.push({ id, sessionId: t.sessionId, event: t.event, dueAt: t.dueAt });
      else unreadable.push(id);
    }
    return { timers, unreadable };
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
    for (const tick of ticks) timers.push(...(await this.timers(tick)).timers);
    return timers;
  }

  private indexKey(): string {
    return `${this.prefix}:ticks`;
  }

  private tickKey(tick: number): string {
    return `${this.prefix}:tick:${tick}`;
  }
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
