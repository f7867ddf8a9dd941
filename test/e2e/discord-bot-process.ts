// A mockdesign Discord bot process for the restart test: the production composition (`composeApp`:
// the Redis runtime, BullMQ timers, the Discord adapter listening) with a short job lock, so a
// job left running by a killed process is retried within seconds. Configured by environment.

import { composeApp } from '../../app/compose.js';
import { exitOnSignals } from '../../cli/shutdown.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';

const logger = createLogger({ quiet: true });
const runtime = await composeApp(loadConfig(), {
  role: 'bot',
  logger,
  only: ['discord'],
  lockDurationMs: 1000,
});
exitOnSignals(() => runtime.stop(), logger);
process.stdout.write('ready\n');
