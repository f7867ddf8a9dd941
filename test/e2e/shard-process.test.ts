/**
 * `mockdesign shard` as an operator runs it: the real command, two shard processes against the
 * fake Discord, its health check on MOCKDESIGN_HEALTH_PORT, and a SIGTERM that lets every shard
 * stop in its own time before the manager exits.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_URL } from '../integration/redis-harness.js';
import { type DiscordRig, startDiscordRig } from './discord-harness.js';

const ROOT = join(import.meta.dirname, '..', '..');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The process ids of the shard processes `pid` started. */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid), '-f', 'discord-shard'], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('mockdesign shard', () => {
  let rig: DiscordRig;
  let manager: ChildProcess;
  let healthPort: number;
  let shardPids: number[] = [];
  let logs = '';

  beforeAll(async () => {
    rig = await startDiscordRig({ bot: false });
    const discord = rig.config.discord;
    if (!discord) throw new Error('no Discord config');
    healthPort = await freePort();
    manager = spawn(
      process.execPath,
      [join(ROOT, 'bin', 'mockdesign.js'), 'shard', '--shards', '2'],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          REDIS_URL,
          MOCKDESIGN_REDIS_PREFIX: rig.prefix,
          MOCKDESIGN_HEALTH_PORT: String(healthPort),
          DISCORD_TOKEN: discord.token,
          DISCORD_APP_ID: discord.appId,
          DISCORD_GUILD_ID: discord.guildId ?? '',
          DISCORD_API_URL: discord.apiUrl ?? '',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    manager.stdout?.on('data', (d) => (logs += d));
    manager.stderr?.on('data', (d) => (logs += d));
  });

  afterAll(async () => {
    for (const pid of [manager?.pid ?? 0, ...shardPids]) {
      if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
    }
    await rig?.close();
  });

  it('serves /healthz on MOCKDESIGN_HEALTH_PORT: 200 once every shard process is ready', async () => {
    const url = `http://127.0.0.1:${healthPort}/healthz`;
    let last: { status: number; body: unknown } | undefined;
    for (let i = 0; i < 300; i++) {
      last = await fetch(url).then(
        async (r) => ({ status: r.status, body: await r.json() }),
        () => undefined,
      );
      if (last?.status === 200) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(last, logs).toEqual({
      status: 200,
      body: {
        ok: true,
        redis: true,
        platforms: { 'discord shard 0': true, 'discord shard 1': true },
      },
    });
    shardPids = childrenOf(manager.pid ?? 0);
    expect(shardPids).toHaveLength(2);
  }, 60_000);

  it('on SIGTERM, passes it to the shards and exits only once they have stopped', async () => {
    // Both shards up (also when the health check above did not come up).
    for (let i = 0; i < 600 && (logs.match(/"message":"started"/g) ?? []).length < 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    shardPids = childrenOf(manager.pid ?? 0);
    expect(shardPids).toHaveLength(2);
    manager.kill('SIGTERM');
    const [code] = await once(manager, 'exit');
    expect(shardPids.filter(alive), logs).toEqual([]);
    expect(code, logs).toBe(0);
    // Each shard ran its own shutdown: stop taking work, let running jobs finish, close.
    expect(logs.match(/"message":"shutting down"/g) ?? [], logs).toHaveLength(3);
  }, 90_000);

  it('Ctrl-C in a terminal (SIGINT to the whole process group) lets every shard drain once', async () => {
    const discord = rig.config.discord;
    if (!discord) throw new Error('no Discord config');
    const group = spawn(
      process.execPath,
      [join(ROOT, 'bin', 'mockdesign.js'), 'shard', '--shards', '1'],
      {
        cwd: ROOT,
        detached: true,
        env: {
          PATH: process.env.PATH ?? '',
          REDIS_URL,
          MOCKDESIGN_REDIS_PREFIX: rig.prefix,
          MOCKDESIGN_HEALTH_PORT: '0',
          DISCORD_TOKEN: discord.token,
          DISCORD_APP_ID: discord.appId,
          DISCORD_GUILD_ID: discord.guildId ?? '',
          DISCORD_API_URL: discord.apiUrl ?? '',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    group.stdout?.on('data', (d) => (out += d));
    group.stderr?.on('data', (d) => (out += d));
    for (let i = 0; i < 600 && !out.includes('"message":"started"'); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const shards = childrenOf(group.pid ?? 0);
    shardPids.push(...shards);
    expect(shards, out).toHaveLength(1);
    process.kill(-(group.pid ?? 0), 'SIGINT');
    const [code] = await once(group, 'exit');
    expect(shards.filter(alive), out).toEqual([]);
    expect(code, out).toBe(0);
    expect(out).not.toContain('second signal');
  }, 90_000);
});
