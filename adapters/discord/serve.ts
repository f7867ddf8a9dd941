// A Discord bot process: the Redis-backed runtime (sessions in Redis, timers on BullMQ) with
// Discord listening. Run it directly — `node --import tsx adapters/discord/serve.ts` — or as every
// shard of `sharding.ts`. Configured by the environment (see docs/discord.md).

import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Runtime } from '../../cli/runtime.js';
import { serveChat } from '../../cli/serve.js';
import { exitOnSignals } from '../../cli/shutdown.js';
import { type Library, loadLibrary } from '../../rubric/load.js';
import { type Config, loadConfig } from '../../src/config.js';
import { ConfigError, MockdesignError } from '../../src/errors.js';
import { createLogger, type Logger } from '../../src/logger.js';

export interface DiscordBotOptions {
  readonly config: Config;
  readonly logger: Logger;
  /** Default: loaded from `config` (`MOCKDESIGN_RUBRIC_DIR`, `MOCKDESIGN_PROMPTS_DIR`). */
  readonly library?: Library;
  /** BullMQ job lock; see `RuntimeOptions.lockDurationMs` (default BullMQ's 30 s). */
  readonly lockDurationMs?: number;
}

/**
 * Starts a bot process: Discord on the gateway, and a worker for the round timers. Only Discord:
 * each shard is one of these, and Slack, if configured, is served by `mockdesign serve` elsewhere.
 */
export async function startDiscordBot(o: DiscordBotOptions): Promise<Runtime> {
  if (!o.config.discord) throw new ConfigError('DISCORD_TOKEN is required to run the Discord bot');
  const config: Config = { ...o.config, slack: undefined };
  const library = o.library ?? (await loadLibrary(config));
  return serveChat(config, library, o.logger, 'bot', o.lockDurationMs);
}

async function main(): Promise<void> {
  const logger = createLogger();
  try {
    const runtime = await startDiscordBot({ config: loadConfig(), logger });
    exitOnSignals(() => runtime.stop(), logger);
  } catch (error) {
    const message = error instanceof MockdesignError ? error.message : String(error);
    process.stderr.write(`mockdesign: ${message}\n`);
    process.exit(1);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
