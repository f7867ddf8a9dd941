import { fileURLToPath } from 'node:url';
import { startDiscordShards } from '../adapters/discord/sharding.js';
import type { Config } from '../src/config.js';
import { ConfigError } from '../src/errors.js';
import type { Logger } from '../src/logger.js';

/** The script each shard process runs: a Discord-only bot process. */
export const SHARD_FILE = fileURLToPath(new URL('./discord-shard.ts', import.meta.url));

/**
 * `mockdesign shard [--shards N]`: a sharded Discord bot, one process per shard (as many as
 * Discord recommends by default). Runs until SIGTERM or SIGINT, which stop every shard.
 */
export async function runShards(
  config: Config,
  shards: string | undefined,
  logger: Logger,
): Promise<void> {
  if (!config.discord) throw new ConfigError('DISCORD_TOKEN is required to run the Discord bot');
  const totalShards = shards === undefined ? 'auto' : Number(shards);
  if (totalShards !== 'auto' && (!Number.isInteger(totalShards) || totalShards < 1)) {
    throw new ConfigError(`--shards must be a whole number from 1, got "${shards}"`);
  }
  const manager = await startDiscordShards(config.discord, {
    totalShards,
    file: SHARD_FILE,
    logger,
  });
  const stop = () => {
    for (const shard of manager.shards.values()) shard.kill();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
