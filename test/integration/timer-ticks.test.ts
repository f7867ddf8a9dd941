/**
 * Interviewer timers due in the same tick share one BullMQ job (`TimerTicks`): each still runs
 * once, at or after its time; a cancelled one never runs; one that fails, or asks to wait, goes on
 * as a job of its own without running the others again; one long overdue, or whose tick's job has
 * taken the tick already, gets its own job; scorings due at once share a tick of their queue;
 * a tick whose job was lost gets it again from the sweep. On the real Redis and BullMQ.
 */
import { describe, expect, it, vi } from 'vitest';
import { SWEEP_EVERY_MS, TIMER_QUEUE } from '../../jobs/bullmq-scheduler.js';
import {
  TICK_EARLY_MS,
  TICK_JOB,
  TICK_MS,
  TimerTicks,
  tickJobId,
  tickOf,
} from '../../jobs/timer-ticks.js';
import { NotYet, type Timer, timerFor } from '../../src/ports/scheduler.js';
import { dropPrefix, randomPrefix, redisClient } from './redis-harness.js';
import { lane } from './scheduler-lane.js';

/** Timers of `n` rounds, all due at `at` (one tick), as cues. */
function cues(prefix: string, n: number, at: number): Timer[] {
  return Array.from({ length: n }, (_, i) =>
    timerFor(`${prefix}${i}`, { kind: 'cue', id: 'pivot' }, at),
  );
}

/** How far ahead the timers of a test fall due. */
const LEAD_MS = 1500;

/** A due time at the end of a tick ahead. */
const ahead = (ms = LEAD_MS) => tickOf(Date.now() + ms);

describe('interviewer timers due together', () => {
  const ran: { timer: Timer; at: number }[] = [];
  let fail: (timer: Timer, run: number) => Error | undefined = () => undefined;
  const scheduler = lane({ concurrency: 8 }, async (timer) => {
    const runs = ran.filter((r) => r.timer.id === timer.id).length;
    ran.push({ timer, at: Date.now() });
    const error = fail(timer, runs);
    if (error) throw error;
  });
  const runsOf = (id: string) => ran.filter((r) => r.timer.id === id);

  it('wait in one tick and each runs once, on time, from one job', async () => {
    const at = ahead();
    const timers = cues('a', 30, at);
    await Promise.all(timers.map((t) => scheduler.schedule(t)));
    // Scheduled twice, as a sweep or a retried step would: still once.
    await scheduler.schedule(timers[0] as Timer);
    const pending = await scheduler.pending();
    expect(pending.filter((id) => id.startsWith('a'))).toHaveLength(30);
    const redis = redisClient();
    const prefix = (scheduler as unknown as { prefix: string }).prefix;
    const jobs = await redis.keys(`${prefix}:timers:${tickJobId(at)}`);
    expect(jobs).toHaveLength(1);
    // Due a little before the tick: it waits in the process, and no timer runs before its time.
    const [timestamp, delay] = await redis.hmget(
      `${prefix}:timers:${tickJobId(at)}`,
      'timestamp',
      'delay',
    );
    expect(Number(timestamp) + Number(delay)).toBeLessThanOrEqual(at - TICK_EARLY_MS + 20);
    expect(Number(timestamp) + Number(delay)).toBeGreaterThan(at - TICK_EARLY_MS - 50);
    await vi.waitFor(() => expect(ran.filter((r) => r.timer.id.startsWith('a'))).toHaveLength(30), {
      timeout: LEAD_MS + 5000,
    });
    for (const t of timers) {
      const [run] = runsOf(t.id);
      expect(run?.timer).toMatchObject({ id: t.id, sessionId: t.sessionId, dueAt: at, attempt: 0 });
      expect(run?.at).toBeGreaterThanOrEqual(at);
    }
    await vi.waitFor(async () =>
      expect(await redis.exists(`${prefix}:tick:${TIMER_QUEUE}:${at}`)).toBe(0),
    );
    expect((await scheduler.pending()).filter((id) => id.startsWith('a'))).toEqual([]);
    redis.disconnect();
  }, 15_000);

  it('never runs a cancelled timer of a tick', async () => {
    const at = ahead();
    const [kept, dropped] = cues('b', 2, at) as [Timer, Timer];
    await scheduler.schedule(kept);
    await scheduler.schedule(dropped);
    await scheduler.cancel([dropped]);
    expect((await scheduler.pending()).filter((id) => id.startsWith('b'))).toEqual([kept.id]);
    await vi.waitFor(() => expect(runsOf(kept.id)).toHaveLength(1), {
      timeout: LEAD_MS + 5000,
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(runsOf(dropped.id)).toEqual([]);
  }, 15_000);

  it('tries a timer that failed in its tick again as a job of its own, the others once', async () => {
    const at = ahead();
    const timers = cues('c', 5, at);
    const [failing, waiting] = timers as [Timer, Timer];
    fail = (timer, run) => {
      if (timer.id === failing.id && run === 0) return new Error('store unavailable');
      if (timer.id === waiting.id && run < 2) return new NotYet('an earlier line first', 100);
      return undefined;
    };
    await Promise.all(timers.map((t) => scheduler.schedule(t)));
    await vi.waitFor(
      () => {
        expect(runsOf(failing.id)).toHaveLength(2);
        expect(runsOf(waiting.id)).toHaveLength(3);
      },
      { timeout: LEAD_MS + 8000 },
    );
    // The retry counts the failed try; a wait is no failed try.
    expect(runsOf(failing.id).map((r) => r.timer.attempt)).toEqual([0, 1]);
    expect(
      runsOf(waiting.id)
        .map((r) => r.timer.attempt)
        .slice(0, 2),
    ).toEqual([0, 0]);
    for (const t of timers.slice(2)) expect(runsOf(t.id)).toHaveLength(1);
    fail = () => undefined;
  }, 20_000);

  it('gives a timer long overdue, or one whose tick was taken already, a job of its own', async () => {
    const redis = redisClient();
    const prefix = (scheduler as unknown as { prefix: string }).prefix;
    const [overdue] = cues('d', 1, Date.now() - 5000) as [Timer];
    await scheduler.schedule(overdue);
    // Its own job, due at once (it may have run already): in no tick.
    expect(await new TimerTicks(redis, prefix, TIMER_QUEUE).waiting()).not.toContain(overdue.id);
    // A tick's job takes its tick as it starts: a timer added after would never run there.
    const at = ahead();
    const ticks = new TimerTicks(redis, prefix, TIMER_QUEUE);
    await ticks.take(at);
    const [late] = cues('d-late', 1, at) as [Timer];
    expect(await ticks.add(late, at)).toBe('own job');
    await scheduler.schedule(late);
    expect(await redis.exists(`${prefix}:timers:${late.id}`)).toBe(1);
    redis.disconnect();
    await vi.waitFor(
      () => {
        expect(runsOf(overdue.id)).toHaveLength(1);
        expect(runsOf(late.id)).toHaveLength(1);
      },
      { timeout: LEAD_MS + 5000 },
    );
    expect(runsOf(late.id)[0]?.at).toBeGreaterThanOrEqual(at);
  }, 15_000);

  it('scores the rounds due now in one tick of the scoring queue, each once', async () => {
    const now = Date.now();
    const scorings = Array.from({ length: 6 }, (_, i) => timerFor(`s${i}`, { kind: 'score' }, now));
    await Promise.all(scorings.map((t) => scheduler.schedule(t)));
    await vi.waitFor(() => expect(ran.filter((r) => r.timer.id.startsWith('s'))).toHaveLength(6), {
      timeout: 5000,
    });
    for (const t of scorings) expect(runsOf(t.id)).toHaveLength(1);
    expect((await scheduler.pending()).filter((id) => id.startsWith('s'))).toEqual([]);
  }, 10_000);

  it('leaves ticks a width of TICK_MS apart', () => {
    expect(tickOf(1_000)).toBe(1_000);
    expect(tickOf(1_001)).toBe(1_000 + TICK_MS);
    expect(TICK_JOB).toBe('tick');
  });
});

describe('a tick whose job was lost', () => {
  const ran: string[] = [];
  const scheduler = lane(
    { concurrency: 4, tickSweepAfterMs: 0 },
    async (timer) => {
      ran.push(timer.id);
    },
    async () => undefined,
  );

  it('gets its job again from the sweep, and its timers run', async () => {
    const at = ahead();
    const timers = cues('e', 3, at);
    await Promise.all(timers.map((t) => scheduler.schedule(t)));
    const redis = redisClient();
    const prefix = (scheduler as unknown as { prefix: string }).prefix;
    // The job is lost (a Redis without persistence restarted, say); the tick still holds them.
    const { Queue } = await import('bullmq');
    const queue = new Queue('timers', { connection: redis, prefix });
    expect(await queue.remove(tickJobId(at))).toBe(1);
    await new Promise((r) => setTimeout(r, at - Date.now() + 200));
    expect(ran).toEqual([]);
    // The sweep runs every SWEEP_EVERY_MS.
    await vi.waitFor(() => expect([...ran].sort()).toEqual(timers.map((t) => t.id).sort()), {
      timeout: SWEEP_EVERY_MS + 5000,
    });
    await queue.close();
    redis.disconnect();
  }, 30_000);
});

describe('a tick, as its timers are added and it is taken', () => {
  it('adds a timer once, leaves it while its tick waits, and refuses it once the tick is taken', async () => {
    const redis = redisClient();
    const prefix = `{${randomPrefix()}}`;
    try {
      const ticks = new TimerTicks(redis, prefix, TIMER_QUEUE);
      const at = ahead();
      const [timer] = cues('f', 1, at) as [Timer];
      expect(await ticks.add(timer, at)).toBe('added');
      expect(await ticks.add(timer, at)).toBe('pending');
      expect((await ticks.take(at)).timers.map((t) => t.id)).toEqual([timer.id]);
      // Scheduled again once its tick's job has read the tick: a job of its own runs it.
      expect(await ticks.add(timer, at)).toBe('own job');
      const [other] = cues('g', 1, at) as [Timer];
      expect(await ticks.add(other, at)).toBe('own job');
      await ticks.remove(at, [timer.id]);
      expect(await ticks.waiting()).toEqual([]);
    } finally {
      await dropPrefix(redis, prefix);
      redis.disconnect();
    }
  });
});
