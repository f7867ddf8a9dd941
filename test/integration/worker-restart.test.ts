import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadLibrary } from '../../rubric/load.js';
import { systemClock } from '../../src/clock.js';
import { RecordingPlatform } from '../fakes/recording-platform.js';
import { listedPosts } from '../fakes/redis-list-platform.js';
import { dropPrefix, randomPrefix, redisClient, redisRounds } from './redis-harness.js';
import { startTestProcess } from './test-process.js';

const EXPECTED = [
  'hypothesis_cut_in',
  'phase-sketch',
  'pivot',
  'phase-deep_dive',
  'five_minute_warning',
  'end',
  'scorecard',
];
const admin = redisClient();
const prefix = randomPrefix();
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await dropPrefix(admin, prefix);
  admin.disconnect();
});

async function startWorker(timeScale: number): Promise<ChildProcess> {
  const { child, ready } = startTestProcess(join(import.meta.dirname, 'worker-process.ts'), {
    MOCKDESIGN_REDIS_PREFIX: prefix,
    MOCKDESIGN_TIME_SCALE: String(timeScale),
  });
  children.push(child);
  expect(await ready).toContain('ready');
  return child;
}

describe('a worker process', () => {
  it('killed with SIGKILL mid-round and started again: every event still fires once, in order', async () => {
    const timeScale = 0.02; // 5-minute rounds in 6 s
    const library = await loadLibrary();
    const producer = await redisRounds({
      library,
      prefix,
      platform: new RecordingPlatform(systemClock),
      timeScale,
      worker: false,
    });
    let worker = await startWorker(timeScale);
    const rounds = 30;
    for (let i = 0; i < rounds; i++) {
      await producer.rounds.handle({
        kind: 'start',
        origin: { platform: 'test', user: `U${i}`, channel: `test:C${i}` },
        mode: 'live',
        minutes: 5,
      });
    }
    const posts = () => listedPosts(admin, `${prefix}:posts`);
    await vi.waitFor(async () => expect((await posts()).length).toBeGreaterThanOrEqual(60), {
      timeout: 20_000,
    });
    worker.kill('SIGKILL');
    await once(worker, 'exit');
    const beforeRestart = (await posts()).length;
    expect(beforeRestart).toBeLessThan(rounds * EXPECTED.length);
    worker = await startWorker(timeScale);
    await vi.waitFor(
      async () =>
        expect((await posts()).filter((p) => p.event === 'scorecard')).toHaveLength(rounds),
      { timeout: 60_000, interval: 250 },
    );
    const byThread = new Map<string, string[]>();
    for (const p of await posts())
      byThread.set(p.address, [...(byThread.get(p.address) ?? []), p.event]);
    expect(byThread.size).toBe(rounds);
    for (const events of byThread.values()) expect(events).toEqual(EXPECTED);

    worker.kill('SIGTERM'); // graceful: drains and exits 0
    const [code] = await once(worker, 'exit');
    expect(code).toBe(0);
    await producer.close();
  });
});
