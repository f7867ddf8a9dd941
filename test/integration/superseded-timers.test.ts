/**
 * Timers a candidate's move makes pointless leave the queue (or their tick) at once, instead of firing to
 * do nothing: each move of an async round cancels the nudge the move before it scheduled (a round
 * answered over days keeps one nudge job, not one per answer, and ending it leaves none), and a
 * deleted answer cancels the probe it brought.
 */
import { describe, expect, it } from 'vitest';
import { loadLibrary } from '../../rubric/load.js';
import { systemClock } from '../../src/clock.js';
import type { Origin } from '../../src/commands/command.js';
import { RecordingPlatform } from '../fakes/recording-platform.js';
import { HYPOTHESIS } from '../unit/harness.js';
import { testNodes } from './redis-harness.js';
import { waitingTimers } from './waiting-timers.js';

const nodes = testNodes();

/** The waiting timers of a round of `kind`, by their `n` (the move, or the probe). */
async function jobsOf(prefix: string, sessionId: string, kind: string): Promise<number[]> {
  return (await waitingTimers(prefix))
    .filter((t) => t.sessionId === sessionId && t.event.kind === kind)
    .map((t) => ('n' in t.event ? Number(t.event.n) : -1))
    .sort();
}

/** A round started by U1 on a fresh node, and its node's timer prefix. */
async function started(mode: 'live' | 'async', minutes: number) {
  const library = await loadLibrary();
  const platform = new RecordingPlatform(systemClock, 1);
  const { rounds, store, prefix } = await nodes.start({ library, platform, timeScale: 1 });
  const origin: Origin = { platform: 'test', user: 'U1', channel: 'test:C1' };
  await rounds.handle({ kind: 'start', origin, mode, minutes });
  const session = await store.findActive('test', 'U1');
  if (!session) throw new Error('the round did not start');
  return { rounds, session, prefix: `{${prefix}}`, thread: { ...origin, thread: session.thread } };
}

describe('an async round’s nudges on BullMQ', () => {
  it('keeps the last move’s nudge job only, and none once the round ends', async () => {
    const { rounds, session, prefix, thread } = await started('async', 72 * 60);
    const nudgeJobs = () => jobsOf(prefix, session.id, 'nudge');
    expect(await nudgeJobs()).toEqual([0]);
    await rounds.handle({ kind: 'reply', origin: thread, messageId: 'M1', text: HYPOTHESIS });
    expect(await nudgeJobs()).toEqual([1]);
    await rounds.handle({ kind: 'next', origin: thread });
    expect(await nudgeJobs()).toEqual([2]);
    await rounds.handle({
      kind: 'reply',
      origin: thread,
      messageId: 'M2',
      text: 'The control arm keeps last cycle’s feedback mix.',
    });
    expect(await nudgeJobs()).toEqual([3]);
    await rounds.handle({ kind: 'end', origin: thread });
    expect(await nudgeJobs()).toEqual([]);
  });
});

describe('a deleted answer that brought a probe', () => {
  it('takes the probe’s job off the queue', async () => {
    const { rounds, session, prefix, thread } = await started('live', 45);
    const probeJobs = () => jobsOf(prefix, session.id, 'probe');
    const reply = (messageId: string, text: string) =>
      rounds.handle({ kind: 'reply', origin: thread, messageId, text });
    await reply('M1', 'We will stream every rating through Kafka.');
    await reply('M2', 'And run the judges on Kubernetes.');
    expect(await probeJobs()).toEqual([1]);
    await rounds.handle({ kind: 'withdraw', origin: thread, messageId: 'M2' });
    expect(await probeJobs()).toEqual([1]);
    await rounds.handle({ kind: 'withdraw', origin: thread, messageId: 'M1' });
    expect(await probeJobs()).toEqual([]);
  });
});
