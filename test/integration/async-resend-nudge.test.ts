/** An async round's nudge after a reply the Redis store refused and the candidate sent again. */
import { describe, expect, it, vi } from 'vitest';
import { RedisSessionStore } from '../../redis/redis-session-store.js';
import { HYPOTHESIS, harness } from '../unit/harness.js';
import { testRedis } from './redis-harness.js';

const HOUR = 3_600_000;

const { redis, prefix } = testRedis();

/** Lets timer jobs that went to Redis finish (the fake clock does not wait for round trips). */
const stragglers = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('an async round on the Redis store', () => {
  it('nudges a quiet thread from the resend of a reply the store refused, not from the failed try', async () => {
    const h = await harness({ store: new RedisSessionStore(redis, { prefix }) });
    const thread = await h.start({ mode: 'async', minutes: 72 * 60 });
    const nudges = () => h.platform.events(thread).filter((e) => e.event.startsWith('nudge'));
    await h.clock.advance(1 * HOUR);
    const addReply = h.store.addReply.bind(h.store);
    h.store.addReply = async () => {
      throw new Error('Connection is closed.');
    };
    // The try at 1 h schedules its nudge (due at 11.8 h) before the store refuses it.
    const failed = await h.reply(thread, HYPOTHESIS, 'M1');
    expect(failed.failed).toBe(true);
    expect(failed.text).toMatch(/not part of your round yet/);
    h.store.addReply = addReply;
    // The candidate sends it again three hours later; this one is stored.
    await h.clock.advance(3 * HOUR);
    expect((await h.reply(thread, HYPOTHESIS, 'M2')).failed).toBeUndefined();
    expect((await h.store.findByThread(thread))?.replies).toBe(1);
    // 10.8 h after the failed try, the thread has been quiet for only 7.8 h since the reply.
    await h.clock.advance(8 * HOUR);
    await stragglers();
    expect(nudges()).toEqual([]);
    // 10.8 h (15% of the round) after the stored reply, the nudge comes, once.
    await h.clock.advance(2.8 * HOUR);
    await vi.waitFor(() => expect(nudges()).not.toEqual([]));
    await stragglers();
    expect(nudges()).toEqual([{ event: 'nudge-1', minute: (4 + 10.8) * 60 }]);
    expect(h.errors).toEqual([]);
  });
});
