import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { plainTextOf, SlackUser, startFakeSlack } from '../fakes/slack/index.js';
import { dropPrefix, REDIS_URL, randomPrefix, redisClient } from '../integration/redis-harness.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SIGNING_SECRET = 'serve-test-secret';
const admin = redisClient();
const prefix = randomPrefix();
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await dropPrefix(admin, prefix);
  admin.disconnect();
});

function mockdesign(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'mockdesign.js'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  return { child, stderr: () => stderr };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The first answer from `url`, asking every 100 ms for up to ten seconds. */
async function firstAnswer(url: string): Promise<Response> {
  for (let i = 0; i < 100; i++) {
    const answer = await fetch(url).catch(() => undefined);
    if (answer) return answer;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing answered at ${url}`);
}

describe('mockdesign serve and worker', () => {
  it('serves Slack from the environment with a health check, runs a round, and shuts down cleanly on SIGTERM', async () => {
    const fake = await startFakeSlack();
    const port = await freePort();
    const healthPort = await freePort();
    const { child } = mockdesign(['serve'], {
      MOCKDESIGN_HEALTH_PORT: String(healthPort),
      REDIS_URL,
      MOCKDESIGN_REDIS_PREFIX: prefix,
      MOCKDESIGN_TIME_SCALE: '0.005',
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: String(port),
    });
    const url = `http://127.0.0.1:${port}/slack/events`;
    const user = new SlackUser({ url, signingSecret: SIGNING_SECRET, workspace: fake });
    // The health server starts last, after the Slack receiver on PORT: once it answers, the
    // whole process is up.
    const health = await firstAnswer(`http://127.0.0.1:${healthPort}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true, redis: true, platforms: { slack: true } });
    expect((await user.command('start --minutes 5')).status).toBe(200);
    // 5-minute round at 0.005: 1.5 s to the scorecard.
    await fake.waitForMessage((m) => /SCORECARD|\/100/.test(plainTextOf(m)), 20_000);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    await fake.close();
  });

  it('stops at start with one line naming REDIS_URL when Redis does not answer', async () => {
    const { child, stderr } = mockdesign(['worker'], {
      MOCKDESIGN_HEALTH_PORT: '0',
      REDIS_URL: 'redis://127.0.0.1:1',
      DISCORD_TOKEN: 'token',
      DISCORD_APP_ID: '1',
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(stderr().trim()).toMatch(
      /^mockdesign: REDIS_URL: cannot reach Redis at redis:\/\/127\.0\.0\.1:1/,
    );
    expect(stderr().trim().split('\n')).toHaveLength(1);
  });

  it('refuses a worker with no platform to post with', async () => {
    const { child, stderr } = mockdesign(['worker'], { REDIS_URL, MOCKDESIGN_HEALTH_PORT: '0' });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(stderr()).toMatch(/SLACK_BOT_TOKEN or DISCORD_TOKEN is required: a worker process/);
  });

  it('refuses to serve with no platform when nobody is at the terminal, naming the variables', async () => {
    const { child, stderr } = mockdesign(['serve'], { REDIS_URL, MOCKDESIGN_HEALTH_PORT: '0' });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(stderr().trim().split('\n')).toHaveLength(1);
    expect(stderr()).toMatch(
      /^mockdesign: no chat platform is configured: set SLACK_BOT_TOKEN .*DISCORD_TOKEN .*`mockdesign practice`/,
    );
  });
});
