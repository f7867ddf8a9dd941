import { afterAll, describe, expect, it, vi } from 'vitest';
import { startRuntime } from '../../app/runtime.js';
import { loadLibrary } from '../../rubric/load.js';
import { systemClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { cardText } from '../../src/presentation/card.js';
import { HeuristicScorer } from '../../src/scoring/heuristic/heuristic-scorer.js';
import { RecordingPlatform } from '../fakes/recording-platform.js';
import { PersistentRedis } from './redis-server.js';

const EXPECTED = [
  'prompt',
  'hypothesis_cut_in',
  'phase-sketch',
  'pivot',
  'phase-deep_dive',
  'five_minute_warning',
  'end',
  'scorecard',
];
let server: PersistentRedis | undefined;

afterAll(async () => {
  await server?.kill();
});

describe('Redis restarted mid-round (append-only persistence)', () => {
  it('resumes every round: the remaining events fire once, in order', async () => {
    server = await PersistentRedis.create();
    const library = await loadLibrary();
    const platform = new RecordingPlatform(systemClock);
    const config = loadConfig({ REDIS_URL: server.url, MOCKDESIGN_TIME_SCALE: '0.02' }); // 5-minute rounds in 6 s
    const runtime = await startRuntime({
      config,
      library,
      scorer: new HeuristicScorer(library.rubric),
      logger: createLogger({ write: () => {} }),
      platforms: [platform],
      listen: false,
      lockDurationMs: 1000,
    });
    const rounds = 20;
    for (let i = 0; i < rounds; i++) {
      await runtime.rounds.handle({
        kind: 'start',
        origin: { platform: 'test', user: `U${i}`, channel: `test:C${i}` },
        mode: 'live',
        minutes: 5,
      });
    }
    await vi.waitFor(() => expect(platform.posts.length).toBeGreaterThanOrEqual(rounds + 20), {
      timeout: 10_000,
    });
    await server.kill();
    await new Promise((r) => setTimeout(r, 1000));
    await server.start();
    await vi.waitFor(
      () => expect(platform.posts.filter((p) => p.card.kind === 'scorecard')).toHaveLength(rounds),
      {
        timeout: 60_000,
        interval: 250,
      },
    );
    const byThread = new Map<string, string[]>();
    for (const p of platform.posts) {
      const event = p.card.kind === 'interviewer' ? p.subject : p.card.kind;
      byThread.set(p.address, [...(byThread.get(p.address) ?? []), event]);
    }
    expect(byThread.size).toBe(rounds);
    for (const events of byThread.values()) expect(events).toEqual(EXPECTED);
    await runtime.stop();
  });

  it('refuses a reply visibly while Redis is down, and takes it once Redis is back', async () => {
    const redis = await PersistentRedis.create();
    try {
      const library = await loadLibrary();
      const platform = new RecordingPlatform(systemClock);
      const config = loadConfig({ REDIS_URL: redis.url });
      const runtime = await startRuntime({
        config,
        library,
        scorer: new HeuristicScorer(library.rubric),
        logger: createLogger({ write: () => {} }),
        platforms: [platform],
        listen: false,
      });
      const origin = { platform: 'test', user: 'U1', channel: 'test:C1' };
      await runtime.rounds.handle({ kind: 'start', origin, mode: 'live' });
      const thread = platform.posts[0]?.address ?? '';
      const reply = {
        kind: 'reply' as const,
        origin: { ...origin, thread },
        messageId: 'M1',
        text: 'I hypothesize X cuts error rate by 10% vs baseline.',
      };
      await redis.kill();
      const refused = await runtime.rounds.handle(reply);
      expect(refused.failed).toBe(true);
      expect(refused.card && cardText(refused.card)).toMatch(/could not be saved just now/);
      await redis.start();
      await vi.waitFor(
        async () => expect((await runtime.rounds.handle(reply)).failed).toBeUndefined(),
        { timeout: 15_000, interval: 500 },
      );
      const status = await runtime.rounds.handle({ kind: 'status', origin: { ...origin, thread } });
      expect(status.card && cardText(status.card)).toMatch(/hypothesis stated at/);
      await runtime.stop();
    } finally {
      await redis.kill();
    }
  });
});
