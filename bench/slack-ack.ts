/**
 * Slack slash-command ack latency: signed `/mockdesign` commands sent at a fixed rate to the real
 * mockdesign Slack app (Bolt over HTTP, Redis store and BullMQ timers, Web API on the local fake
 * Slack) and, in the same run and at the same instants, to a bare Bolt app whose listener only
 * acks. Target: mockdesign's p99 at most 1.3× the bare app's.
 *
 * Each app runs in its own child process (this file, started with `SLACK_ACK_ROLE`), so the work
 * mockdesign does after an ack competes with its own acks, not with the bare app's; the fake Slack
 * and the load generator share the parent process, equally for both.
 *
 * Run alone with `tsx bench/slack-ack.ts` (REDIS_URL, BENCH_SLACK_COMMANDS, BENCH_SLACK_RATE).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { App, LogLevel } from '@slack/bolt';
import { Redis } from 'ioredis';
import { createSlackPlatform } from '../adapters/slack/index.js';
import { startRuntime } from '../app/runtime.js';
import { exitOnSignals } from '../cli/shutdown.js';
import { loadLibrary } from '../rubric/load.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { HeuristicScorer } from '../src/scoring/heuristic/heuristic-scorer.js';
import { type FakeSlack, SlackUser, startFakeSlack } from '../test/fakes/slack/index.js';
import { deleteKeys } from './redis-info.js';
import { type Summary, summarize } from './stats.js';

export interface SlackAckBenchOptions {
  /** Redis for the real app (default `REDIS_URL`, else `redis://127.0.0.1:6379`). */
  readonly redisUrl?: string;
  /** Commands sent to each app (default 500). */
  readonly commands?: number;
  /** Commands per second sent to each app (default 50). */
  readonly ratePerSecond?: number;
  /**
   * Share of commands that are `start --minutes 45` (default 0.1: every tenth), each by a new user
   * so each opens a round (a thread on the fake Slack, a session and its timers in Redis); the
   * others alternate `status` (a Redis look-up) and `help` (no I/O but the answer).
   */
  readonly startShare?: number;
  /** Unmeasured commands of the same mix sent to each app first (default 25). */
  readonly warmup?: number;
  /** Redis key prefix of the real app's rounds and timers (default random); deleted afterwards. */
  readonly redisPrefix?: string;
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void;
}

/** Latencies of one app, in milliseconds from sending a command to its HTTP answer. */
export interface AckFigures extends Summary {
  /** Answers other than HTTP 200 (counted, not in the latencies). */
  readonly errors: number;
}

export interface SlackAckBenchResult {
  readonly commands: number;
  readonly ratePerSecond: number;
  /** How many commands of each kind were sent to each app. */
  readonly mix: { readonly start: number; readonly status: number; readonly help: number };
  /** mockdesign's app. */
  readonly app: AckFigures;
  /** The bare Bolt app that only acks. */
  readonly bare: AckFigures;
  /** `app.p99 / bare.p99`. */
  readonly p99Ratio: number;
  /** The target for `p99Ratio`: 1.3. */
  readonly target: number;
  /** No errors and `p99Ratio <= target`. */
  readonly pass: boolean;
  /** Rounds the real app opened (thread roots posted on the fake Slack). */
  readonly roundsStarted: number;
  /** Wall time of the measured part, in milliseconds. */
  readonly durationMs: number;
}

const SIGNING_SECRET = 'bench-signing-secret';
const TARGET = 1.3;
const ROLE_VARIABLE = 'SLACK_ACK_ROLE';

type Role = 'app' | 'bare';
type Sample = { status: number; ms: number };

/** Runs the benchmark and returns its figures; everything it starts is stopped and deleted. */
export async function benchSlackAck(
  options: SlackAckBenchOptions = {},
): Promise<SlackAckBenchResult> {
  const commands = options.commands ?? 500;
  const rate = options.ratePerSecond ?? 50;
  const startEvery = Math.max(1, Math.round(1 / (options.startShare ?? 0.1)));
  const warmup = options.warmup ?? 25;
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = options.redisPrefix ?? `mdbslack${randomBytes(4).toString('hex')}`;
  const log = options.log ?? (() => {});

  const fake = await startFakeSlack();
  const children: ChildProcess[] = [];
  try {
    const env = {
      PATH: process.env.PATH ?? '',
      REDIS_URL: redisUrl,
      MOCKDESIGN_REDIS_PREFIX: prefix,
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: '0',
    };
    const [app, bare] = await Promise.all(
      (['app', 'bare'] as const).map((role) => startServer(role, env, children)),
    );
    const targets: Record<Role, string> = { app: app as string, bare: bare as string };
    const send = async (role: Role, text: string, userId: string): Promise<Sample> => {
      const user = new SlackUser({
        url: targets[role],
        signingSecret: SIGNING_SECRET,
        workspace: fake,
        userId,
      });
      const started = performance.now();
      const { status } = await user.command(text);
      return { status, ms: performance.now() - started };
    };
    const plan = Array.from({ length: commands }, (_, i) =>
      i % startEvery === 0
        ? { text: 'start --minutes 45', userId: `UBENCH${i.toString(36).toUpperCase()}` }
        : { text: i % 2 === 0 ? 'status' : 'help', userId: 'UBENCHCHECK' },
    );

    log(`slack-ack: warming up with ${warmup} commands per app`);
    // The same mix as the measured run, by other users, so every code path is compiled and every
    // Redis script loaded before the clock starts.
    for (const [i, step] of plan.slice(0, warmup).entries()) {
      const userId = `${step.userId}W${i}`;
      await Promise.all([send('app', step.text, userId), send('bare', step.text, userId)]);
    }
    log(`slack-ack: ${commands} commands per app at ${rate}/s; every ${startEvery}th is start`);
    const samples: Record<Role, Sample[]> = { app: [], bare: [] };
    const inflight: Promise<void>[] = [];
    const t0 = performance.now();
    for (const [i, step] of plan.entries()) {
      const wait = t0 + (i * 1000) / rate - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      // Both apps get the same command at the same instant; which is sent first alternates.
      for (const role of i % 2 === 0 ? (['app', 'bare'] as const) : (['bare', 'app'] as const)) {
        inflight.push(send(role, step.text, step.userId).then((s) => void samples[role].push(s)));
      }
    }
    await Promise.all(inflight);
    const durationMs = performance.now() - t0;
    await settled(fake, warmup + commands, log);

    const app_ = figures(samples.app);
    const bare_ = figures(samples.bare);
    const p99Ratio = app_.p99 / bare_.p99;
    const count = (text: string) => plan.filter((p) => p.text.startsWith(text)).length;
    return {
      commands,
      ratePerSecond: rate,
      mix: { start: count('start'), status: count('status'), help: count('help') },
      app: app_,
      bare: bare_,
      p99Ratio,
      target: TARGET,
      pass: app_.errors === 0 && bare_.errors === 0 && p99Ratio <= TARGET,
      roundsStarted: fake.messages.filter((m) => m.thread_ts === undefined).length,
      durationMs,
    };
  } finally {
    await Promise.all(children.map(stopChild));
    await fake.close().catch(() => {});
    await dropKeys(redisUrl, prefix).catch(() => {});
  }
}

function figures(samples: readonly Sample[]): AckFigures {
  return {
    ...summarize(samples.filter((s) => s.status === 200).map((s) => s.ms)),
    errors: samples.filter((s) => s.status !== 200).length,
  };
}

/** Waits until the real app has answered every command (its work after the ack is done). */
async function settled(fake: FakeSlack, answers: number, log: (line: string) => void) {
  await fake
    .waitFor(() => fake.responses.length >= answers, 30_000, 'every answer')
    .catch(() =>
      log(`slack-ack: ${answers - fake.responses.length} answers still missing after 30 s`),
    );
}

/** Starts one app in a child process; resolves with its events URL. */
async function startServer(
  role: Role,
  env: Record<string, string>,
  children: ChildProcess[],
): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...env, [ROLE_VARIABLE]: role },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const [line] = (await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`slack-ack: the ${role} process exited with ${code} before it was ready`);
    }),
  ])) as [string];
  const url = /^ready (\S+)$/.exec(line)?.[1];
  if (!url) throw new Error(`slack-ack: the ${role} process said "${line}"`);
  return url;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Deletes every key of the real app's prefix (sessions and BullMQ queues). */
async function dropKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 3 });
  try {
    await deleteKeys(redis, prefix);
  } finally {
    redis.disconnect();
  }
}

/** A child process: mockdesign's Slack app (`app`) or a bare Bolt app that only acks (`bare`). */
async function serve(role: string): Promise<void> {
  const config = loadConfig();
  const slack = config.slack;
  if (!slack)
    throw new Error('slack-ack: the child needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET');
  const logger = createLogger({ quiet: true });
  if (role === 'app') {
    const library = await loadLibrary();
    const platform = createSlackPlatform(slack, { logger, host: '127.0.0.1' });
    const runtime = await startRuntime({
      config,
      library,
      scorer: new HeuristicScorer(library.rubric),
      logger,
      platforms: [platform],
      listen: true,
    });
    exitOnSignals(() => runtime.stop(), logger);
    process.stdout.write(`ready ${platform.eventsUrl}\n`);
    return;
  }
  const app = new App({
    token: slack.botToken,
    signingSecret: slack.signingSecret,
    clientOptions: { slackApiUrl: slack.apiUrl },
    logLevel: LogLevel.ERROR,
  });
  app.command('/mockdesign', async ({ ack }) => ack());
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as {
    address(): { port: number };
  };
  exitOnSignals(async () => {
    await app.stop();
  }, logger);
  process.stdout.write(`ready http://127.0.0.1:${server.address().port}/slack/events\n`);
}

const role = process.env[ROLE_VARIABLE];
if (role) {
  await serve(role);
} else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await benchSlackAck({
    commands: Number(process.env.BENCH_SLACK_COMMANDS ?? 500),
    ratePerSecond: Number(process.env.BENCH_SLACK_RATE ?? 50),
    log: (line) => process.stdout.write(`${line}\n`),
  });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  process.exitCode = result.pass ? 0 : 1;
}
