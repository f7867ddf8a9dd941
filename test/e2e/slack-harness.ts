/**
 * Runs the real mockdesign Slack bot for end-to-end tests: the Redis runtime (real store, real
 * BullMQ timers) with the Slack platform on a real Bolt app, against the fake Slack. Each bot
 * gets its own random Redis prefix, deleted when it stops.
 */

import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createSlackPlatform, type SlackPlatform } from '../../adapters/slack/index.js';
import { type Runtime, startRuntime } from '../../app/runtime.js';
import { RedisSessionStore } from '../../redis/redis-session-store.js';
import { type Library, loadLibrary } from '../../rubric/load.js';
import type { Command, CommandResult } from '../../src/commands/command.js';
import type { Config } from '../../src/config.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { HeuristicScorer } from '../../src/scoring/heuristic/heuristic-scorer.js';
import type { Session, StoredMessage } from '../../src/session.js';
import {
  type FakeSlack,
  type FakeSlackMessage,
  type FakeSlackOptions,
  SlackUser,
  startFakeSlack,
} from '../fakes/slack/index.js';
import { dropPrefix, REDIS_URL, randomPrefix, redisClient } from '../integration/redis-harness.js';
import { startTestProcess } from '../integration/test-process.js';

export const SIGNING_SECRET = 'e2e-signing-secret';

/**
 * Starts the bot as a process of its own over HTTP (`slack-bot-process.ts`) against `fake`, on
 * the Redis prefix `prefix`; resolves, once it is ready, with the process and a user who speaks
 * to it. The caller stops the process.
 */
export async function startSlackBotProcess(
  fake: FakeSlack,
  prefix: string,
  timeScale: number,
): Promise<{ child: ChildProcess; candidate: SlackUser }> {
  const { child, ready } = startTestProcess(join(import.meta.dirname, 'slack-bot-process.ts'), {
    MOCKDESIGN_REDIS_PREFIX: prefix,
    MOCKDESIGN_TIME_SCALE: String(timeScale),
    SLACK_BOT_TOKEN: fake.botToken,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    PORT: '0',
  });
  const line = await ready;
  const url = /^ready (\S+)$/.exec(line)?.[1];
  if (!url) {
    child.kill();
    throw new Error(`bot process said "${line}"`);
  }
  return {
    child,
    candidate: new SlackUser({ url, signingSecret: SIGNING_SECRET, workspace: fake }),
  };
}

/** A strong candidate's first lines (from a scored fixture): a hypothesis, then its test. */
export const STRONG_LINES = [
  'I expect a two-stage retriever — hybrid BM25 + dense recall, then a cross-encoder reranker — to cut the answer-level hallucination rate by at least 15% relative, from 12.5% to 10.6% or lower, against the current single-stage retriever.',
  'Arms: control is today’s dense retriever; treatment is the two-stage retriever; an oracle arm feeds gold passages to the same generator. I measure unsupported claims per answer with an NLI judge validated against 600 human-graded answers.',
  'Every retrieval stage is a config toggle — BM25 on/off, reranker on/off — so the same harness produces the ablation grid and tells me whether the gain comes from recall or from reranking, with p95 latency under 2 s as the guardrail.',
];

let library: Promise<Library> | undefined;

/** Slack settings for a bot talking to `fake`. */
export function slackConfig(fake: FakeSlack, socket = false) {
  return {
    botToken: fake.botToken,
    signingSecret: socket ? undefined : SIGNING_SECRET,
    appToken: socket ? fake.appToken : undefined,
    apiUrl: fake.apiUrl,
    port: 0,
  };
}

export interface SlackBot {
  readonly platform: SlackPlatform;
  readonly runtime: Runtime;
  /** Reads what the bot stored, under its prefix. */
  readonly store: RedisSessionStore;
  readonly prefix: string;
  /** Log lines the bot wrote (JSON). */
  readonly logs: string[];
  /** A person speaking to the bot over signed HTTP. */
  user(userId?: string): SlackUser;
  /** The round of a thread root, and what it stored as its transcript. */
  round(root: FakeSlackMessage): Promise<{ session: Session; messages: StoredMessage[] }>;
  stop(): Promise<void>;
}

/**
 * A Slack platform, not started, against a fake Slack of its own (`fake` its options), quiet;
 * `cleanups` gets what stops both, for the test's `afterEach` to run in reverse.
 */
export async function platformOnFake(
  cleanups: (() => Promise<void>)[],
  options: { socket?: boolean; listen: boolean; fake?: FakeSlackOptions },
): Promise<{ fake: FakeSlack; platform: SlackPlatform }> {
  const fake = await startFakeSlack(options.fake);
  const platform = createSlackPlatform(slackConfig(fake, options.socket), {
    listen: options.listen,
    logger: createLogger({ write: () => {} }),
    host: '127.0.0.1',
  });
  cleanups.push(() => fake.close());
  cleanups.push(() => platform.stop());
  return { fake, platform };
}

/** Starts a bot (HTTP by default, Socket Mode with `socket`) against `fake`. */
export async function startSlackBot(
  fake: FakeSlack,
  options: { timeScale: number; socket?: boolean; prefix?: string },
): Promise<SlackBot> {
  const prefix = options.prefix ?? randomPrefix();
  const logs: string[] = [];
  const logger = createLogger({ write: (line) => logs.push(line) });
  const config: Config = Object.freeze({
    redisUrl: REDIS_URL,
    slack: slackConfig(fake, options.socket),
    timeScale: options.timeScale,
    retentionDays: 1,
    healthPort: 0,
    redisPrefix: prefix,
  });
  library ??= loadLibrary();
  const lib = await library;
  const platform = createSlackPlatform(config.slack as NonNullable<Config['slack']>, {
    logger,
    host: '127.0.0.1',
  });
  const runtime = await startRuntime({
    config,
    library: lib,
    scorer: new HeuristicScorer(lib.rubric),
    logger,
    platforms: [platform],
    listen: true,
  });
  const redis = redisClient();
  const store = new RedisSessionStore(redis, { prefix, retentionSeconds: 3600 });
  return {
    platform,
    runtime,
    store,
    prefix,
    logs,
    user: (userId) =>
      new SlackUser({
        url: platform.eventsUrl ?? 'http://127.0.0.1:9/no-http-in-socket-mode',
        signingSecret: SIGNING_SECRET,
        workspace: fake,
        userId,
      }),
    async round(root) {
      const session = await store.findByThread(threadAddress(fake, root));
      if (!session) throw new Error(`no round for thread ${root.ts}`);
      return { session, messages: await store.messages(session.id) };
    },
    async stop() {
      await runtime.stop();
      await dropPrefix(redis, prefix);
      redis.disconnect();
    },
  };
}

/** The address mockdesign gives the thread under `root`. */
export function threadAddress(fake: FakeSlack, root: { channel: string; ts: string }): string {
  return `slack:${fake.teamId}:${root.channel}:${root.ts}`;
}

/**
 * Waits for a round's prompt card (a top-level message carrying the End round button) and for
 * the candidate's "has started" answer: the core saves the round just after posting the card, so
 * a reply sent in between would find no round, as it would in Slack.
 */
export async function waitForPromptCard(
  fake: FakeSlack,
  timeoutMs = 5000,
): Promise<FakeSlackMessage> {
  const card = await fake.waitForMessage(
    (m) => m.thread_ts === undefined && JSON.stringify(m.blocks ?? []).includes('mockdesign_end'),
    timeoutMs,
  );
  await fake.waitFor(
    () => fake.ephemerals.some((e) => e.text.includes('has started')),
    timeoutMs,
    'the round-started answer',
  );
  return card;
}

/** Waits for the scorecard in the thread under `root`. */
export function waitForScorecard(
  fake: FakeSlack,
  root: FakeSlackMessage,
  timeoutMs = 30_000,
): Promise<FakeSlackMessage> {
  return fake.waitForMessage({ thread_ts: root.ts, text: /^Scorecard: / }, timeoutMs);
}

/** Delivery keys (message metadata) of everything posted into the thread under `root`, in order. */
export function deliveryKeys(fake: FakeSlack, root: FakeSlackMessage): string[] {
  return fake
    .thread(root.channel, root.ts)
    .filter((m) => m.thread_ts === root.ts)
    .map((m) => {
      const key = m.metadata?.event_payload.key;
      return typeof key === 'string' ? key : `(no key) ${m.text}`;
    });
}

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The Slack platform listening over HTTP with a stub core that records the commands it gets and
 * answers from `results`, and a person speaking to it.
 */
export async function listeningPlatform(
  fake: FakeSlack,
  logger: Logger,
  results: CommandResult[] = [],
): Promise<{ platform: SlackPlatform; commands: Command[]; user: SlackUser }> {
  const commands: Command[] = [];
  const platform = createSlackPlatform(slackConfig(fake), { logger, host: '127.0.0.1' });
  await platform.start(async (command) => {
    commands.push(command);
    return results.shift() ?? {};
  });
  const user = new SlackUser({
    url: platform.eventsUrl as string,
    signingSecret: SIGNING_SECRET,
    workspace: fake,
  });
  return { platform, commands, user };
}
