/**
 * A job whose handler cannot do its work yet (a post waiting for another message of its round)
 * runs again after the wait it asks for, as often as it needs, without using up its tries: on
 * the real BullMQ, as on the in-memory scheduler.
 */
import { describe, expect, it } from 'vitest';
import { NotYet, TIMER_ATTEMPTS, type Timer, timerFor } from '../../src/ports/scheduler.js';
import { lane, signal } from './scheduler-lane.js';

describe('a timer that is not ready yet', () => {
  let handle: (timer: Timer) => Promise<void> = async () => {};
  const scheduler = lane({ platforms: ['test'] }, (timer) => handle(timer));

  it('runs again after its wait, more times than it has tries, and then fails as usual', async () => {
    const waits = TIMER_ATTEMPTS + 3;
    const runs: number[] = [];
    const done = signal();
    handle = async (timer) => {
      runs.push(timer.attempt ?? 0);
      if (runs.length <= waits) throw new NotYet('the closing line first', 50);
      if (runs.length === waits + 1) throw new Error('platform unavailable');
      done.fire();
    };
    await scheduler.schedule(
      timerFor('round-1', { kind: 'post', keys: ['scorecard'], retry: true }, Date.now(), 'test'),
    );
    await done.done;
    expect(runs).toHaveLength(waits + 2);
    // The failure after the waits is the job's first, retried after a second, not a minute.
    expect(runs.at(-1)).toBeGreaterThan(0);
  }, 30_000);
});
