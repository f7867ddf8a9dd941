import { describe, expect, it } from 'vitest';
import { MemoryScheduler } from '../../src/memory/memory-scheduler.js';
import { timerFor } from '../../src/ports/scheduler.js';
import { FakeClock } from '../fakes/fake-clock.js';

describe('the in-memory scheduler', () => {
  it('takes a timer already waiting once, and runs one that has run again when scheduled again', async () => {
    const clock = new FakeClock();
    const scheduler = new MemoryScheduler(clock);
    const ran: number[] = [];
    await scheduler.start(async () => {
      ran.push(clock.now());
    });
    const probe = timerFor('round', { kind: 'probe', n: 1 }, clock.now() + 1000);
    await scheduler.schedule(probe);
    await scheduler.schedule({ ...probe, dueAt: clock.now() + 2000 });
    await clock.advance(5000);
    expect(ran).toHaveLength(1);
    // A probe foreseen for a reply that was not stored: the reply comes again, and so does it.
    await scheduler.schedule({ ...probe, dueAt: clock.now() });
    await clock.advance(0);
    expect(ran).toHaveLength(2);
    await scheduler.stop();
  });
});
