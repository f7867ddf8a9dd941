// A sharded Discord bot, for bots in more guilds than one gateway connection may serve (Discord
// requires sharding from 2,500 guilds). A discord.js `ShardingManager` runs one bot process
// (`serve.ts`) per shard; every process shares one Redis, so any shard's worker may fire any
// round's timers. Run it: `node --import tsx adapters/discord/sharding.ts [--shards N]`.

import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type APIGatewayBotInfo, REST, Routes, ShardingManager } from 'discord.js';
import { type DiscordConfig, loadConfig } from '../../src/config.js';
import { ConfigError, MockdesignError } from '../../src/errors.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { discordCall } from './errors.js';

/** The bot process each shard runs. */
export const SHARD_FILE = fileURLToPath(new URL('./serve.ts', import.meta.url));

export interface DiscordShardingOptions {
  /**
   * Shards across all managers (default `auto`: Discord's recommendation, asked on the configured
   * REST base, `DISCORD_API_URL`). Tests always pass a number.
   */
  readonly totalShards?: number | 'auto';
  /** The process each shard runs (default {@link SHARD_FILE}). */
  readonly file?: string;
  /** Node options of the shard processes (default `--import tsx`, which runs TypeScript). */
  readonly execArgv?: readonly string[];
  /** Extra environment of the shard processes, over this process's own. */
  readonly env?: Readonly<Record<string, string>>;
  /** Wait between two shards' starts (default 5500 ms: Discord lets a bot identify once per 5 s). */
  readonly spawnDelayMs?: number;
  /** How long a shard may take to become ready (default 30 s). */
  readonly readyTimeoutMs?: number;
  /** Restart a shard process that exits (default true). */
  readonly respawn?: boolean;
  readonly logger: Logger;
}

/** Discord's recommended shard count for this bot (`GET /gateway/bot`). */
export async function recommendedShards(config: DiscordConfig): Promise<number> {
  const rest = new REST(config.apiUrl ? { api: config.apiUrl } : {}).setToken(config.token);
  const info = (await discordCall('ask for the recommended shard count', () =>
    rest.get(Routes.gatewayBot()),
  )) as APIGatewayBotInfo;
  return Math.max(1, info.shards);
}

/** Starts every shard and resolves once each is ready; stop with `manager.shards.each(s => s.kill())`. */
export async function startDiscordShards(
  config: DiscordConfig,
  o: DiscordShardingOptions,
): Promise<ShardingManager> {
  const totalShards =
    o.totalShards === undefined || o.totalShards === 'auto'
      ? await recommendedShards(config)
      : o.totalShards;
  const manager = new ShardingManager(o.file ?? SHARD_FILE, {
    token: config.token,
    totalShards,
    mode: 'process',
    respawn: o.respawn ?? true,
    execArgv: [...(o.execArgv ?? ['--import', 'tsx'])],
  });
  manager.on('shardCreate', (shard) => {
    Object.assign(shard.env as Record<string, unknown>, o.env ?? {});
    shard.on('death', () => o.logger.warn('discord shard exited', { shard: shard.id }));
    o.logger.info('discord shard starting', { shard: shard.id, of: totalShards });
  });
  await manager.spawn({
    amount: totalShards,
    delay: o.spawnDelayMs ?? 5500,
    timeout: o.readyTimeoutMs ?? 30_000,
  });
  return manager;
}

async function main(): Promise<void> {
  const logger = createLogger();
  try {
    const { values } = parseArgs({ options: { shards: { type: 'string' } } });
    const config = loadConfig();
    if (!config.discord) throw new ConfigError('DISCORD_TOKEN is required to run the Discord bot');
    const shards = values.shards === undefined ? 'auto' : Number(values.shards);
    if (shards !== 'auto' && (!Number.isInteger(shards) || shards < 1)) {
      throw new ConfigError(`--shards must be a whole number from 1, got "${values.shards}"`);
    }
    const manager = await startDiscordShards(config.discord, { totalShards: shards, logger });
    const stop = () => {
      for (const shard of manager.shards.values()) shard.kill();
      process.exit(0);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  } catch (error) {
    const message = error instanceof MockdesignError ? error.message : String(error);
    process.stderr.write(`mockdesign: ${message}\n`);
    process.exit(1);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
