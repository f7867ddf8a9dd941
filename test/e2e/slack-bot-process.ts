// A mockdesign Slack bot process for the restart test: the real runtime (Redis store, BullMQ
// timers) with the Slack platform listening over HTTP, configured by environment exactly like
// `mockdesign serve`. Prints `ready <events URL>` once it takes requests.

import { createSlackPlatform } from '../../adapters/slack/index.js';
import { startRuntime } from '../../app/runtime.js';
import { exitOnSignals } from '../../cli/shutdown.js';
import { loadLibrary } from '../../rubric/load.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { HeuristicScorer } from '../../src/scoring/heuristic/heuristic-scorer.js';

const config = loadConfig();
if (!config.slack)
  throw new Error('slack-bot-process: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET');
const library = await loadLibrary();
const logger = createLogger({ quiet: true });
const platform = createSlackPlatform(config.slack, { logger, host: '127.0.0.1' });
const runtime = await startRuntime({
  config,
  library,
  scorer: new HeuristicScorer(library.rubric),
  logger,
  platforms: [platform],
  listen: true,
  lockDurationMs: 1000,
});
exitOnSignals(() => runtime.stop(), logger);
process.stdout.write(`ready ${platform.eventsUrl}\n`);
