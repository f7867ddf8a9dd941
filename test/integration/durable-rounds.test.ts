import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadLibrary } from '../../rubric/load.js';
import { systemClock } from '../../src/clock.js';
import type { Rounds } from '../../src/rounds.js';
import { RecordingPlatform } from '../fakes/recording-platform.js';
import { dropPrefix, randomPrefix, redisClient, redisRounds } from './redis-harness.js';

const EXPECTED = [
  'hypothesis_cut_in',
  'phase-sketch',
  'pivot',
  'phase-deep_dive',
  'five_minute_warning',
  'end',
];
const admin = redisClient();
const prefixes: string[] = [];

afterAll(async () => {
  for (const p of prefixes) await dropPrefix(admin, p);
  admin.disconnect();
});

async function startRounds(rounds: Rounds, count: number, minutes: number) {
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      rounds.handle({
        kind: 'start',
        origin: { platform: 'test', user: `U${i}`, channel: `test:C${i}` },
        mode: 'live',
        minutes,
        promptId: 'alignment-feedback-loops',
      }),
    ),
  );
}

function eventsByThread(platform: RecordingPlatform) {
  const threads = new Map<string, string[]>();
  for (const p of platform.posts) {
    const list = threads.get(p.address) ?? [];
    list.push(p.card.kind === 'interviewer' ? p.subject : p.card.kind);
    threads.set(p.address, list);
  }
  return threads;
}

/** Waits for `count` scorecards, lets stragglers arrive, then checks every thread's sequence. */
async function expectEveryRoundComplete(platform: RecordingPlatform, count: number) {
  await vi.waitFor(
    () => expect(platform.posts.filter((p) => p.card.kind === 'scorecard')).toHaveLength(count),
    { timeout: 30_000, interval: 200 },
  );
  await new Promise((r) => setTimeout(r, 300)); // nothing late or duplicated arrives afterwards
  // In normal operation nothing is even offered twice (no redelivery for the platform to drop).
  expect(platform.duplicatesDropped).toBe(0);
  const threads = eventsByThread(platform);
  expect(threads.size).toBe(count);
  for (const events of threads.values())
    expect(events).toEqual(['prompt', ...EXPECTED, 'scorecard']);
}

describe('rounds on Redis and BullMQ', () => {
  it('gives 200 concurrent rounds every event exactly once and in order', async () => {
    const prefix = randomPrefix();
    prefixes.push(prefix);
    const library = await loadLibrary();
    const platform = new RecordingPlatform(systemClock);
    const node = await redisRounds({ library, prefix, platform, timeScale: 0.004 });
    await startRounds(node.rounds, 200, 5); // 5-minute rounds in 1.2 s
    await expectEveryRoundComplete(platform, 200);
    await node.close();
  });

  it('never posts an event twice with two workers on one queue', async () => {
    const prefix = randomPrefix();
    prefixes.push(prefix);
    const library = await loadLibrary();
    const platform = new RecordingPlatform(systemClock);
    const a = await redisRounds({ library, prefix, platform, timeScale: 0.004 });
    const b = await redisRounds({ library, prefix, platform, timeScale: 0.004 });
    await startRounds(a.rounds, 50, 5);
    await expectEveryRoundComplete(platform, 50);
    await Promise.all([a.close(), b.close()]);
  });

  it('stores a reply once per message id and removes pending timers when a round ends early', async () => {
    const prefix = randomPrefix();
    prefixes.push(prefix);
    const library = await loadLibrary();
    const platform = new RecordingPlatform(systemClock);
    const node = await redisRounds({ library, prefix, platform, timeScale: 1 });
    const origin = { platform: 'test', user: 'U1', channel: 'test:C1' };
    await node.rounds.handle({ kind: 'start', origin, mode: 'live' });
    const session = await node.store.findActive('test', 'U1');
    const thread = session?.thread ?? '';
    const reply = {
      kind: 'reply' as const,
      origin: { ...origin, thread },
      messageId: 'M1',
      text: 'I hypothesize X reduces error rate by 10% vs baseline.',
    };
    await Promise.all([
      node.rounds.handle(reply),
      node.rounds.handle(reply),
      node.rounds.handle(reply),
    ]);
    expect(await node.store.messages(session?.id ?? '')).toHaveLength(1);
    expect((await node.store.get(session?.id ?? ''))?.replies).toBe(1);
    expect((await node.scheduler.pending()).length).toBe(6);
    await node.rounds.handle({ kind: 'end', origin: { ...origin, thread } });
    await vi.waitFor(
      async () => expect((await node.store.get(session?.id ?? ''))?.status).toBe('done'),
      { timeout: 10_000 },
    );
    expect(await node.scheduler.pending()).toEqual([]);
    expect(await node.store.findActive('test', 'U1')).toBeUndefined();
    await node.close();
  });
});
