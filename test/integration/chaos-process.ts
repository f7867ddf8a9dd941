// A worker-only mockdesign process for the chaos test: the real runtime (Redis store, BullMQ
// timers, graceful shutdown) posting through the faulty platform. Configured by environment:
// REDIS_URL, MOCKDESIGN_REDIS_PREFIX and MOCKDESIGN_TIME_SCALE as usual, MOCKDESIGN_CHAOS_SEED
// (the fault generator's seed, default 1). Warnings, errors and every injected fault go to
// stderr. Prints `ready` once it takes jobs.

import { Redis } from 'ioredis';
import { startRuntime } from '../../app/runtime.js';
import { exitOnSignals } from '../../cli/shutdown.js';
import { loadLibrary } from '../../rubric/load.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { HeuristicScorer } from '../../src/scoring/heuristic/heuristic-scorer.js';
import { createFaultyPlatform } from '../fakes/faulty-platform.js';

const config = loadConfig();
const logger = createLogger({ quiet: true });
const library = await loadLibrary();
// The platform's own connection fails a post quickly while Redis is down, as an unreachable
// platform would, instead of queueing it until Redis is back.
const platformRedis = new Redis(config.redisUrl ?? '', {
  maxRetriesPerRequest: 2,
  retryStrategy: (attempt) => Math.min(1000, 50 * 2 ** attempt),
});
platformRedis.on('error', () => {});
const platform = createFaultyPlatform({
  redis: platformRedis,
  prefix: config.redisPrefix,
  seed: Number(process.env.MOCKDESIGN_CHAOS_SEED ?? 1),
  onFault: (kind, key) => logger.warn('fault injected', { kind, key, pid: process.pid }),
});
const runtime = await startRuntime({
  config,
  library,
  scorer: new HeuristicScorer(library.rubric),
  logger,
  platforms: [platform],
  listen: false,
  lockDurationMs: 1000,
});
exitOnSignals(async () => {
  await runtime.stop();
  platformRedis.disconnect();
}, logger);
process.stdout.write('ready\n');
