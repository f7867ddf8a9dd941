// A sharded Discord bot, for bots in more guilds than one gateway connection may serve (Discord
// requires sharding from 2,500 guilds). A discord.js `ShardingManager` runs one bot process per
// shard (`mockdesign shard` gives it `cli/discord-shard.ts`); every process shares one Redis, so
// any shard's worker may fire any round's timers.

import { type APIGatewayBotInfo, REST, Routes, ShardingManager } from 'discord.js';
import type { DiscordConfig } from '../../src/config.js';
import type { Logger } from '../../src/logger.js';
import { discordCall } from './errors.js';

export interface DiscordShardingOptions {
  /**
   * Shards across all managers (default `auto`: Discord's recommendation, asked on the configured
   * REST base, `DISCORD_API_URL`). Tests always pass a number.
   */
  readonly totalShards?: number | 'auto';
  /** The script each shard process runs. */
  readonly file: string;
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

/** A sharding manager whose shard processes are not started yet. */
export interface DiscordShards {
  readonly manager: ShardingManager;
  /** How many shards it runs (Discord's recommendation when asked for `auto`). */
  readonly totalShards: number;
  /** Starts every shard process, one after the other; resolves once each is ready. */
  spawn(): Promise<void>;
}

/** The manager of `o.totalShards` shard processes, each running `o.file`; none started yet. */
export async function createDiscordShards(
  config: DiscordConfig,
  o: DiscordShardingOptions,
): Promise<DiscordShards> {
  const totalShards =
    o.totalShards === undefined || o.totalShards === 'auto'
      ? await recommendedShards(config)
      : o.totalShards;
  const manager = new ShardingManager(o.file, {
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
  return {
    manager,
    totalShards,
    async spawn() {
      await manager.spawn({
        amount: totalShards,
        delay: o.spawnDelayMs ?? 5500,
        timeout: o.readyTimeoutMs ?? 30_000,
      });
    },
  };
}

/** Starts every shard and resolves once each is ready; stop with `manager.shards.each(s => s.kill())`. */
export async function startDiscordShards(
  config: DiscordConfig,
  o: DiscordShardingOptions,
): Promise<ShardingManager> {
  const shards = await createDiscordShards(config, o);
  await shards.spawn();
  return shards.manager;
}
