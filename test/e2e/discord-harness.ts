// Shared set-up of the Discord end-to-end tests: a fake Discord, a random Redis prefix, and a
// mockdesign bot (the real runtime on Redis and BullMQ) with the Discord adapter listening.

import type { APIEmbed } from 'discord.js';
import { createDiscordPlatform } from '../../adapters/discord/index.js';
import { type Runtime, startRuntime } from '../../app/runtime.js';
import { RedisSessionStore } from '../../redis/redis-session-store.js';
import { type Library, loadLibrary } from '../../rubric/load.js';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { HeuristicScorer } from '../../src/scoring/heuristic/heuristic-scorer.js';
import {
  type FakeDiscord,
  type FakeDiscordOptions,
  type FakeMessage,
  type SentInteraction,
  startFakeDiscord,
} from '../fakes/discord/index.js';
import { dropPrefix, REDIS_URL, randomPrefix, redisClient } from '../integration/redis-harness.js';

/** A prompt every test can name. */
export const PROMPT_ID = 'rag-hallucination-measurement';

/** Other members of the fake guild. */
export const MEMBER = { id: '1300000000000000400', username: 'bystander' } as const;

export interface DiscordRig {
  readonly fake: FakeDiscord;
  readonly config: Config;
  readonly prefix: string;
  readonly library: Library;
  /** Reads what the bot stored (sessions, transcripts) under the test's prefix. */
  readonly store: RedisSessionStore;
  /** The bot, when started in this process. */
  readonly runtime: Runtime | undefined;
  /** Log lines of the in-process bot, for failure messages. */
  readonly logs: string[];
  /** Prints the bot's warnings and errors, stops it and the fake, and deletes the test's keys. */
  close(): Promise<void>;
}

/** Starts the fake Discord and, unless `bot: false`, a bot process in this test's process. */
export async function startDiscordRig(
  options: { timeScale?: number; bot?: boolean; prefix?: string; fake?: FakeDiscordOptions } = {},
): Promise<DiscordRig> {
  const fake = await startFakeDiscord(options.fake);
  const prefix = options.prefix ?? randomPrefix();
  const admin = redisClient();
  const library = await loadLibrary();
  const config: Config = {
    redisUrl: REDIS_URL,
    discord: {
      token: fake.token,
      appId: fake.applicationId,
      guildId: fake.guildId,
      apiUrl: fake.apiUrl,
    },
    timeScale: options.timeScale ?? 0.02,
    retentionDays: 1,
    healthPort: 0,
    redisPrefix: prefix,
  };
  const logs: string[] = [];
  const logger = createLogger({ write: (line) => logs.push(line) });
  const runtime =
    options.bot === false
      ? undefined
      : await startRuntime({
          config,
          library,
          scorer: new HeuristicScorer(library.rubric),
          logger,
          platforms: [
            createDiscordPlatform(config.discord as NonNullable<Config['discord']>, {
              library,
              logger,
            }),
          ],
          listen: true,
          lockDurationMs: 1000,
        });
  return {
    fake,
    config,
    prefix,
    library,
    store: new RedisSessionStore(admin, { prefix, retentionSeconds: 3600 }),
    runtime,
    logs,
    async close() {
      // Warnings and errors of the bot explain a failed test; a passing one has none.
      for (const line of logs) if (!line.includes('"level":"info"')) process.stderr.write(line);
      await runtime?.stop();
      await fake.close();
      await dropPrefix(admin, prefix);
      admin.disconnect();
    },
  };
}

/**
 * The text of a message as a person reads it: its content, then each embed's title, author,
 * description, fields and footer, one per line, with Discord's markdown escapes removed.
 */
export function messageText(message: Pick<FakeMessage, 'content' | 'embeds'>): string {
  const parts = [
    message.content,
    ...message.embeds.flatMap((e) => [
      e.title,
      e.author?.name,
      e.description,
      ...(e.fields ?? []).flatMap((f) => [f.name, f.value]),
      e.footer?.text,
    ]),
  ];
  return withoutEscapes(parts.filter(Boolean).join('\n'));
}

/** Text with Discord's markdown escapes (`\*`, `\<`) removed. */
export function withoutEscapes(text: string): string {
  return text.replace(/\\([^\w\s])/g, '$1');
}

/** The text the bot finally put in its (deferred, ephemeral) answer to an interaction. */
export async function ephemeralAnswer(fake: FakeDiscord, sent: SentInteraction): Promise<string> {
  const response = await fake.waitForInteractionResponse(sent.id);
  if (!response.ephemeral) throw new Error(`the answer to ${sent.id} is not ephemeral`);
  return fake.waitFor(
    () => {
      const message = response.message;
      if (!message || (!message.content && message.embeds.length === 0)) return undefined;
      return messageText(message);
    },
    { description: `the answer to interaction ${sent.id}`, timeoutMs: 8000 },
  );
}

/** Every embed of the bot's messages in a channel or thread, in order. */
export function botEmbeds(fake: FakeDiscord, channelId: string): APIEmbed[] {
  return fake
    .messagesIn(channelId)
    .filter((m) => m.author.id === fake.botUser.id)
    .flatMap((m) => m.embeds);
}

/** Whether a message is (the first part of) a scorecard. */
export function isScorecard(message: FakeMessage): boolean {
  return message.embeds.some((e) => e.title?.startsWith('Scorecard —'));
}

/** The interviewer banners the bot posted in a thread: author line and text (unescaped). */
export function banners(fake: FakeDiscord, threadId: string): { phase: string; text: string }[] {
  return botEmbeds(fake, threadId)
    .filter((e) => e.author?.name.startsWith('Interviewer'))
    .map((e) => ({ phase: e.author?.name ?? '', text: withoutEscapes(e.description ?? '') }));
}

/** Starts a round with `/mockdesign start` as `user` and resolves with its thread id. */
export async function startRound(
  fake: FakeDiscord,
  options: { user?: { id: string; username: string }; minutes?: number } = {},
): Promise<{ threadId: string; cardId: string; answer: string }> {
  const before = fake.threads.length;
  const sent = fake.sendSlashCommand({
    name: 'mockdesign',
    subcommand: 'start',
    options: { prompt: PROMPT_ID, minutes: options.minutes ?? 5 },
    ...(options.user ? { user: options.user } : {}),
  });
  const answer = await ephemeralAnswer(fake, sent);
  const thread = await fake.waitFor(() => fake.threads[before], { description: 'the thread' });
  return { threadId: thread.id, cardId: thread.id, answer };
}
