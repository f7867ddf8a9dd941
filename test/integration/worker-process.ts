// A worker-only mockdesign process for the restart tests: the real runtime (Redis store, BullMQ
// timers, graceful shutdown) posting through the Redis list platform. Configured by environment.

import { startRuntime } from '../../app/runtime.js';
import { exitOnSignals } from '../../cli/shutdown.js';
import { loadLibrary } from '../../rubric/load.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { HeuristicScorer } from '../../src/scoring/heuristic/heuristic-scorer.js';
import { createRedisListPlatform } from '../fakes/redis-list-platform.js';
import { redisClient } from './redis-harness.js';

const config = loadConfig();
const library = await loadLibrary();
const logger = createLogger({ quiet: true });
const listRedis = redisClient();
const runtime = await startRuntime({
  config,
  library,
  scorer: new HeuristicScorer(library.rubric),
  logger,
  platforms: [createRedisListPlatform(listRedis, `${config.redisPrefix}:posts`)],
  listen: false,
  lockDurationMs: 1000,
});
exitOnSignals(async () => {
  await runtime.stop();
  listRedis.disconnect();
}, logger);
process.stdout.write('ready\n');
