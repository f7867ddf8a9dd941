/**
 * An async round's nudge timers on Redis and BullMQ: each move of the candidate cancels the nudge
 * the move before it scheduled, so a round answered over days keeps one nudge job, not one per
 * answer, and ending it leaves none.
 */
import { type Job, Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { TIMER_QUEUE } from '../../jobs/bullmq-scheduler.js';
import { loadLibrary } from '../../rubric/load.js';
import { systemClock } from '../../src/clock.js';
import type { Origin } from '../../src/commands/command.js';
import { RecordingPlatform } from '../fakes/recording-platform.js';
import { HYPOTHESIS } from '../unit/harness.js';
import { REDIS_URL, testNodes } from './redis-harness.js';

const nodes = testNodes();

/** The waiting nudge jobs of a round, by the move they count from (`n`). */
async function nudgeJobs(queue: Queue, sessionId: string): Promise<number[]> {
  const jobs: Job[] = await queue.getJobs(['delayed', 'waiting', 'prioritized']);
  return jobs
    .map((job) => job.data as { sessionId?: string; event?: { kind: string; n?: number } })
    .filter((d) => d.sessionId === sessionId && d.event?.kind === 'nudge')
    .map((d) => d.event?.n ?? -1)
    .sort();
}

describe('an async round’s nudges on BullMQ', () => {
  it('keeps the last move’s nudge job only, and none once the round ends', async () => {
    const library = await loadLibrary();
    const platform = new RecordingPlatform(systemClock, 1);
    const { rounds, store, prefix } = await nodes.start({ library, platform, timeScale: 1 });
    const origin: Origin = { platform: 'test', user: 'U1', channel: 'test:C1' };
    await rounds.handle({ kind: 'start', origin, mode: 'async', minutes: 72 * 60 });
    const session = await store.findActive('test', 'U1');
    if (!session) throw new Error('the round did not start');
    const queue = new Queue(TIMER_QUEUE, { connection: { url: REDIS_URL }, prefix: `{${prefix}}` });
    try {
      const thread = { ...origin, thread: session.thread };
      expect(await nudgeJobs(queue, session.id)).toEqual([0]);
      await rounds.handle({ kind: 'reply', origin: thread, messageId: 'M1', text: HYPOTHESIS });
      expect(await nudgeJobs(queue, session.id)).toEqual([1]);
      await rounds.handle({ kind: 'next', origin: thread });
      expect(await nudgeJobs(queue, session.id)).toEqual([2]);
      await rounds.handle({
        kind: 'reply',
        origin: thread,
        messageId: 'M2',
        text: 'The control arm keeps last cycle’s feedback mix.',
      });
      expect(await nudgeJobs(queue, session.id)).toEqual([3]);
      await rounds.handle({ kind: 'end', origin: thread });
      expect(await nudgeJobs(queue, session.id)).toEqual([]);
    } finally {
      await queue.close();
    }
  });
});
