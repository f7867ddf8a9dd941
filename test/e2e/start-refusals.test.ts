/**
 * A process whose configuration the platform or Redis refuses stops at start with one line that
 * names the variable to fix: no stack, no secret, no retrying forever. Each runs the real
 * `mockdesign` binary against the fake Slack and Discord and the test Redis.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TIMER_QUEUE } from '../../jobs/bullmq-scheduler.js';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord/index.js';
import { startFakeOpenAI } from '../fakes/openai/fake-openai.js';
import { type FakeSlack, startFakeSlack } from '../fakes/slack/index.js';
import { dropPrefix, REDIS_URL, randomPrefix, redisClient } from '../integration/redis-harness.js';

const ROOT = join(import.meta.dirname, '..', '..');
const admin = redisClient();
const prefix = randomPrefix();
const children: ChildProcess[] = [];
const fakes: { close(): Promise<void> }[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const fake of fakes.splice(0)) await fake.close();
});

afterAll(async () => {
  await dropPrefix(admin, prefix);
  admin.disconnect();
});

async function slack(): Promise<FakeSlack> {
  const fake = await startFakeSlack();
  fakes.push(fake);
  return fake;
}

async function discord(): Promise<FakeDiscord> {
  const fake = await startFakeDiscord();
  fakes.push(fake);
  return fake;
}

/** A port nothing listens on (one that was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

/** Runs `mockdesign ARGS` with only `env` (and PATH); resolves once it exits, with its stderr. */
async function refused(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'mockdesign.js'), ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      REDIS_URL,
      MOCKDESIGN_REDIS_PREFIX: prefix,
      MOCKDESIGN_HEALTH_PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code, signal] = await once(child, 'exit');
  clearTimeout(timer);
  if (signal) throw new Error(`still running after ${timeoutMs} ms; stderr:\n${stderr}`);
  return { code, stderr };
}

/** One line, `mockdesign: …`, with none of `secrets` in it. */
function expectOneLine(stderr: string, pattern: RegExp, secrets: string[]): void {
  expect(stderr.trim().split('\n'), stderr).toHaveLength(1);
  expect(stderr.trim()).toMatch(pattern);
  for (const secret of secrets) expect(stderr).not.toContain(secret);
}

describe('Slack Socket Mode refuses the app-level token', () => {
  it('a wrong SLACK_APP_TOKEN (invalid_auth) stops the start with one line naming it', async () => {
    const fake = await slack();
    const appToken = 'xapp-1-A0-NOTTHERIGHTTOKEN';
    const { code, stderr } = await refused(['serve'], {
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_APP_TOKEN: appToken,
      SLACK_API_URL: fake.apiUrl,
    });
    expect(code).toBe(1);
    expectOneLine(
      stderr,
      /^mockdesign: slack: SLACK_APP_TOKEN was not accepted by Slack \(invalid_auth\): .*xapp-.*connections:write/,
      [appToken, fake.botToken],
    );
  });

  it('a bot token in SLACK_APP_TOKEN (not_allowed_token_type) stops the start instead of retrying forever', async () => {
    const fake = await slack();
    const { code, stderr } = await refused(['serve'], {
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_APP_TOKEN: fake.botToken,
      SLACK_API_URL: fake.apiUrl,
    });
    expect(code).toBe(1);
    expectOneLine(
      stderr,
      /^mockdesign: slack: SLACK_APP_TOKEN was not accepted by Slack \(not_allowed_token_type\): /,
      [fake.botToken],
    );
    expect(fake.callsTo('apps.connections.open')).toHaveLength(1);
  });
});

describe('Slack over HTTP cannot listen', () => {
  it('a PORT another process listens on stops the start with one line naming PORT', async () => {
    const fake = await slack();
    const { taken, port } = await takenPort();
    try {
      const { code, stderr } = await refused(['serve'], {
        SLACK_BOT_TOKEN: fake.botToken,
        SLACK_SIGNING_SECRET: 'start-refusals-secret',
        SLACK_API_URL: fake.apiUrl,
        PORT: String(port),
      });
      expect(code).toBe(1);
      expectOneLine(stderr, new RegExp(`^mockdesign: PORT ${port} is in use: .*PORT`), [
        fake.botToken,
        'start-refusals-secret',
      ]);
    } finally {
      taken.close();
    }
  });
});

describe('a worker checks the credentials it posts with', () => {
  it('a wrong SLACK_BOT_TOKEN stops a worker at start with one line naming it', async () => {
    const fake = await slack();
    const { code, stderr } = await refused(['worker'], {
      SLACK_BOT_TOKEN: 'xoxb-0000-NOTTHERIGHTTOKEN',
      SLACK_SIGNING_SECRET: 'start-refusals-secret',
      SLACK_API_URL: fake.apiUrl,
    });
    expect(code).toBe(1);
    expectOneLine(
      stderr,
      /^mockdesign: slack: SLACK_BOT_TOKEN was not accepted by Slack \(invalid_auth\)/,
      ['NOTTHERIGHTTOKEN'],
    );
    expect(fake.callsTo('auth.test')).toHaveLength(1);
  });

  it('an unreachable SLACK_API_URL stops a worker at start with one line naming it', async () => {
    const port = await closedPort();
    const { code, stderr } = await refused(['worker'], {
      SLACK_BOT_TOKEN: 'xoxb-1-SECRETBOTTOKEN',
      SLACK_SIGNING_SECRET: 'start-refusals-secret',
      SLACK_API_URL: `http://127.0.0.1:${port}/api/`,
    });
    expect(code).toBe(1);
    expectOneLine(
      stderr,
      new RegExp(
        `^mockdesign: slack: cannot reach Slack at SLACK_API_URL http://127\\.0\\.0\\.1:${port}/api/ \\(ECONNREFUSED\\)`,
      ),
      ['SECRETBOTTOKEN'],
    );
  });

  for (const command of ['worker', 'serve']) {
    it(`a garbage DISCORD_TOKEN stops ${command} at start with one line naming it`, async () => {
      const fake = await discord();
      const token = 'MTIz.garbage.NOTTHERIGHTTOKEN';
      const { code, stderr } = await refused([command], {
        DISCORD_TOKEN: token,
        DISCORD_APP_ID: fake.applicationId,
        DISCORD_API_URL: fake.apiUrl,
      });
      expect(code).toBe(1);
      expectOneLine(
        stderr,
        /^mockdesign: discord: DISCORD_TOKEN was not accepted by Discord \(401/,
        [token, fake.token],
      );
    });
  }
});

describe('the LLM settings are checked at start', () => {
  it('a key the LLM server refuses stops a worker with one line naming OPENAI_API_KEY', async () => {
    const fake = await slack();
    const llm = await startFakeOpenAI({ apiKey: 'sk-the-right-key', models: ['gpt-4o-mini'] });
    fakes.push(llm);
    const { code, stderr } = await refused(['worker'], {
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_API_URL: fake.apiUrl,
      OPENAI_API_KEY: 'sk-NOTTHERIGHTKEY',
      OPENAI_BASE_URL: llm.baseURL,
    });
    expect(code).toBe(1);
    expectOneLine(stderr, /^mockdesign: OPENAI_API_KEY: the LLM server at .* refused the key/, [
      'NOTTHERIGHTKEY',
      fake.botToken,
    ]);
  });

  it('a model the LLM server does not serve stops a practice round before it starts', async () => {
    const llm = await startFakeOpenAI({ models: ['gpt-4o', 'gpt-4o-mini'] });
    fakes.push(llm);
    const { code, stderr } = await refused(['practice'], {
      OPENAI_API_KEY: 'sk-anykey',
      OPENAI_BASE_URL: llm.baseURL,
      MOCKDESIGN_MODEL: 'gpt-4o-mni',
      MOCKDESIGN_HOME: tmpdir(),
    });
    expect(code).toBe(1);
    expectOneLine(stderr, /^mockdesign: MOCKDESIGN_MODEL: .* has no model "gpt-4o-mni"/, [
      'sk-anykey',
    ]);
  });
});

describe('REDIS_URL names what Redis said', () => {
  /** A worker whose platform is never reached: Redis is checked first. */
  const worker = (redisUrl: string) =>
    refused(['worker'], { REDIS_URL: redisUrl, DISCORD_TOKEN: 'token', DISCORD_APP_ID: '1' });

  it('a database the Redis does not have stops the start, where jobs went to database 0', async () => {
    const url = REDIS_URL.replace(/\/\d*$/, '');
    const { code, stderr } = await worker(`${url}/99`);
    expect(code).toBe(1);
    expectOneLine(
      stderr,
      /^mockdesign: REDIS_URL: database 99 does not exist on this Redis \(ERR DB index is out of range\)/,
      [],
    );
  });

  it('a refused connection says so', async () => {
    const port = await closedPort();
    const { code, stderr } = await worker(`redis://127.0.0.1:${port}`);
    expect(code).toBe(1);
    expectOneLine(
      stderr,
      new RegExp(
        `^mockdesign: REDIS_URL: cannot reach Redis at redis://127\\.0\\.0\\.1:${port} \\(connect ECONNREFUSED`,
      ),
      [],
    );
  });

  describe('a Redis that requires a password', () => {
    let server: ChildProcess;
    let port: number;

    beforeAll(async () => {
      port = await closedPort();
      server = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--requirepass', 'right-password'],
        { stdio: 'ignore' },
      );
      server.unref();
      for (let i = 0; ; i++) {
        const up = await new Promise<boolean>((resolve) => {
          const socket = connect(port, '127.0.0.1')
            .once('connect', () => resolve(true))
            .once('error', () => resolve(false));
          socket.unref();
          setTimeout(() => socket.destroy(), 100).unref();
        });
        if (up) break;
        if (i > 100) throw new Error('redis-server did not start');
        await new Promise((r) => setTimeout(r, 50));
      }
    });

    afterAll(() => {
      server?.kill('SIGKILL');
    });

    it('no password in REDIS_URL: NOAUTH, and how to give one', async () => {
      const { code, stderr } = await worker(`redis://127.0.0.1:${port}`);
      expect(code).toBe(1);
      expectOneLine(stderr, /^mockdesign: REDIS_URL: .*\(NOAUTH.*\).*redis:\/\/:PASSWORD@/, []);
    });

    it('a wrong password: WRONGPASS, and the password is not printed', async () => {
      const { code, stderr } = await worker(`redis://:wrong-hunter2@127.0.0.1:${port}`);
      expect(code).toBe(1);
      expectOneLine(stderr, /^mockdesign: REDIS_URL: .*\(WRONGPASS/, ['wrong-hunter2']);
    });
  });
});

describe('a process that fails at its platform start', () => {
  it('takes no job from the shared Redis and starts no sweeper before it stops', async () => {
    const fake = await slack();
    const ownPrefix = randomPrefix();
    const queue = new Queue(TIMER_QUEUE, { connection: admin, prefix: `{${ownPrefix}}` });
    try {
      const job = await queue.add('waiting', {});
      const { taken, port } = await takenPort();
      try {
        const { code, stderr } = await refused(['serve'], {
          MOCKDESIGN_REDIS_PREFIX: ownPrefix,
          SLACK_BOT_TOKEN: fake.botToken,
          SLACK_SIGNING_SECRET: 'start-refusals-secret',
          SLACK_API_URL: fake.apiUrl,
          PORT: String(port),
        });
        expect(code).toBe(1);
        expect(stderr).toMatch(/^mockdesign: PORT \d+ is in use/);
      } finally {
        taken.close();
      }
      expect(await queue.getJobSchedulers()).toEqual([]);
      expect(await queue.getJobState(job.id as string)).toBe('waiting');
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
      await dropPrefix(admin, ownPrefix);
    }
  });
});

/** A port another server listens on, and that server (the caller closes it). */
async function takenPort(): Promise<{ taken: Server; port: number }> {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, resolve));
  const address = taken.address();
  return { taken, port: typeof address === 'object' && address ? address.port : 0 };
}
