import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ShardingManager } from 'discord.js';
import { createDiscordShards, type DiscordShards } from '../adapters/discord/sharding.js';
import { startHealthServer } from '../app/health.js';
import { connectRedis } from '../redis/connection.js';
import type { Config } from '../src/config.js';
import { ConfigError } from '../src/errors.js';
import type { Logger } from '../src/logger.js';
import { exitOnSignals } from './shutdown.js';

/** The script each shard process runs: a Discord-only bot process. */
export const SHARD_FILE = fileURLToPath(new URL('./discord-shard.ts', import.meta.url));

/**
 * How long the manager waits for its shards after a signal: each shard's own bound (15 s, see
 * `exitOnSignals`) and a second for it to exit. Shards still running then are killed.
 */
const SHARDS_STOP_MS = 16_000;

/**
 * `mockdesign shard [--shards N]`: a sharded Discord bot, one process per shard (as many as
 * Discord recommends by default), and the health check on `MOCKDESIGN_HEALTH_PORT` for all of
 * them: 200 when Redis answers this process's ping and every shard's process is running and its
 * gateway ready. On SIGTERM or SIGINT it passes SIGTERM to every shard and exits once they have
 * stopped (each lets its running jobs finish), within `SHARDS_STOP_MS`; a second signal kills
 * them at once.
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
  if (!config.redisUrl) throw new ConfigError('REDIS_URL is required for the Discord shards');
  const redis = await connectRedis(config.redisUrl, 'health');
  const sharded = await createDiscordShards(config.discord, {
    totalShards,
    file: SHARD_FILE,
    logger,
  });
  const health = await startHealthServer({
    port: config.healthPort,
    logger,
    redis: async () => (await redis.ping().catch(() => '')) === 'PONG',
    platforms: () => shardsHealth(sharded),
  });
  logger.info('health check listening', { url: health.url });
  const close = async () => {
    await health.close();
    await redis.quit().catch(() => undefined);
  };
  stopOnSignals(sharded.manager, logger, close);
  try {
    await sharded.spawn();
  } catch (error) {
    sharded.manager.respawn = false;
    killShards(sharded.manager);
    await close();
    throw error;
  }
}

/** Each shard by name (`discord shard 0`, ...): its process is running and its gateway ready. */
function shardsHealth(sharded: DiscordShards): Record<string, boolean> {
  const report: Record<string, boolean> = {};
  for (let id = 0; id < sharded.totalShards; id++) {
    const shard = sharded.manager.shards.get(id);
    const process = shard?.process ?? undefined;
    report[`discord shard ${id}`] = !!process && isRunning(process) && shard?.ready === true;
  }
  return report;
}

/** Kills the shard processes still running. */
function killShards(manager: ShardingManager): void {
  for (const child of running(manager)) child.kill('SIGKILL');
}

/** The shard processes still running. */
function running(manager: ShardingManager): ChildProcess[] {
  return [...manager.shards.values()]
    .map((shard) => shard.process)
    .filter((child): child is ChildProcess => !!child && isRunning(child));
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/**
 * On SIGTERM or SIGINT: no shard is started again, every shard gets SIGTERM and runs its own
 * shutdown, and the process exits once all have exited (or after `SHARDS_STOP_MS`, killing the
 * rest). A second signal kills them and exits at once.
 */
function stopOnSignals(manager: ShardingManager, logger: Logger, close: () => Promise<void>) {
  const stop = async () => {
    manager.respawn = false;
    // A shard the manager starts while stopping (it starts them one by one) stops at once too.
    manager.on('shardCreate', (shard) => {
      shard.once('spawn', () => shard.process?.kill('SIGTERM'));
    });
    const children = running(manager);
    logger.info('stopping the shards', { shards: children.length });
    const exited = Promise.all(
      children.map((child) => new Promise((resolve) => child.once('exit', resolve))),
    );
    for (const child of children) child.kill('SIGTERM');
    await exited;
    await close();
  };
  exitOnSignals(stop, logger, { boundMs: SHARDS_STOP_MS, giveUp: () => killShards(manager) });
}
