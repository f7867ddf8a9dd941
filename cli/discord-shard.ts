// One Discord shard: a bot process serving Discord alone (sessions in Redis, timers on BullMQ).
// `mockdesign shard` runs one per shard through discord.js's ShardingManager, which passes each
// its shard ids in the environment; run on its own it is a single-shard Discord bot. Configured
// by the environment (see docs/discord.md).

import { composeApp } from '../app/compose.js';
import { loadConfig } from '../src/config.js';
import { MockdesignError } from '../src/errors.js';
import { createLogger } from '../src/logger.js';
import { exitOnSignals } from './shutdown.js';

const logger = createLogger();
try {
  const runtime = await composeApp(loadConfig(), { role: 'bot', logger, only: ['discord'] });
  // Under `mockdesign shard` the manager passes SIGTERM on. A terminal's Ctrl-C reaches every
  // process of the group at once, and the manager's SIGTERM after it would be a second signal,
  // which stops a shard at once: SIGINT is left to the manager.
  const managed = process.send !== undefined;
  if (managed) process.on('SIGINT', () => {});
  exitOnSignals(() => runtime.stop(), logger, managed ? { signals: ['SIGTERM'] } : {});
} catch (error) {
  const message = error instanceof MockdesignError ? error.message : String(error);
  process.stderr.write(`mockdesign: ${message}\n`);
  process.exit(1);
}
