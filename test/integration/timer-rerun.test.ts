import { describe, expect, it, vi } from 'vitest';
import { RedisSessionStore } from '../../redis/redis-session-store.js';
import { MemorySessionStore } from '../../src/memory/memory-session-store.js';
import type { SessionStore } from '../../src/ports/session-store.js';
import { HYPOTHESIS, harness } from '../unit/harness.js';
import { testRedis } from './redis-harness.js';

const MINUTE = 60_000;

const { redis, prefix } = testRedis();

const stores: [string, () => SessionStore][] = [
  ['memory', () => new MemorySessionStore()],
  // The Redis store starts a commit from the round as it last saw it: a job run again must still
  // find what it left to post in the round as stored.
  ['redis', () => new RedisSessionStore(redis, { prefix, retentionSeconds: 60 })],
];

describe.each(stores)('a timer job run again, on the %s store', (_name, store) => {
  it('posts the line its process died before posting, once', async () => {
    const h = await harness({ store: store() });
    const thread = await h.start();
    await h.reply(thread, HYPOTHESIS);
    const sketch = h.scheduler.list().find((t) => t.event.kind === 'phase');
    h.platform.hangs = 1; // the process dies once the line is decided, before it is posted
    await h.clock.advance(15 * MINUTE);
    // On the Redis store the line is decided over real round trips, which may outlast the fake
    // clock's settling: the round is read until it holds the line (or the wait gives up).
    await vi.waitFor(async () => {
      const left = await h.store.findByThread(thread);
      expect(left?.outbox.map((e) => e.key)).toEqual(['event-phase-sketch']);
    });
    expect(h.platform.events(thread)).toEqual([]);
    // The job that decided it is run again (BullMQ: a stalled job), so no sweeper is needed yet.
    expect(await h.store.due(h.clock.now() + MINUTE, 10)).toEqual([]);
    if (!sketch) throw new Error('no phase timer was scheduled');
    await h.rounds.onTimer({ ...sketch, attempt: 1 });
    expect(h.platform.events(thread).map((e) => e.event)).toEqual(['phase-sketch']);
    expect((await h.store.findByThread(thread))?.outbox).toEqual([]);
    // Run once more (a second redelivery), it finds nothing left to post.
    await h.rounds.onTimer({ ...sketch, attempt: 2 });
    expect(h.platform.events(thread).map((e) => e.event)).toEqual(['phase-sketch']);
  });
});
