import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { ShardingManager } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordShards } from '../../adapters/discord/sharding.js';
import { SHARD_FILE } from '../../cli/shard.js';
import { createLogger } from '../../src/logger.js';
import { REDIS_URL } from '../integration/redis-harness.js';
import { type DiscordRig, startDiscordRig, startRound } from './discord-harness.js';

describe('the sharded Discord entry point', () => {
  let rig: DiscordRig;
  let manager: ShardingManager | undefined;

  beforeAll(async () => {
    rig = await startDiscordRig({ bot: false });
  });

  afterAll(async () => {
    const processes = [...(manager?.shards.values() ?? [])]
      .map((shard) => shard.process)
      .filter((p): p is ChildProcess => p !== null && p.exitCode === null);
    for (const shard of manager?.shards.values() ?? []) shard.kill();
    await Promise.all(processes.map((p) => once(p, 'exit')));
    await rig?.close();
  });

  it('runs one bot process per shard, registers the command once, and serves rounds', async () => {
    const discord = rig.config.discord;
    if (!discord) throw new Error('no Discord config');
    manager = await startDiscordShards(discord, {
      totalShards: 2,
      file: SHARD_FILE,
      spawnDelayMs: 100,
      respawn: false,
      env: {
        REDIS_URL,
        MOCKDESIGN_REDIS_PREFIX: rig.prefix,
        MOCKDESIGN_TIME_SCALE: '0.02',
        DISCORD_APP_ID: discord.appId,
        DISCORD_GUILD_ID: discord.guildId ?? '',
        DISCORD_API_URL: discord.apiUrl ?? '',
      },
      logger: createLogger({ write: () => {} }),
    });

    const identified = rig.fake.gatewayReceived
      .filter((frame) => frame.op === 2)
      .map((frame) => (frame.d as { shard?: number[] }).shard);
    expect(identified).toEqual([
      [0, 2],
      [1, 2],
    ]);
    const registrations = rig.fake.calls.filter(
      (call) => call.method === 'PUT' && call.route?.endsWith('/commands'),
    );
    expect(registrations).toHaveLength(1);

    const { threadId, answer } = await startRound(rig.fake, { minutes: 45 });
    expect(answer).toContain('has started');
    const session = await rig.store.findByThread(`discord:${rig.fake.guildId}:${threadId}`);
    expect(session?.status).toBe('active');
  }, 60_000);
});
