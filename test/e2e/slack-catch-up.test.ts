/**
 * Replies written in Slack while no bot heard them (the process was down longer than Slack retries
 * an event, or its Socket Mode connection was lost) still reach the round: when the bot is back it
 * reads the thread after the last reply it stored and takes what it missed, in order, timed when
 * it was written. The fake Slack issues ts values from the clock, as Slack does, and keeps what
 * people write whether or not it reached the bot.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisSessionStore } from '../../redis/redis-session-store.js';
import { roundSeconds } from '../../src/session.js';
import {
  type FakeSlackMessage,
  messageEvent,
  plainTextOf,
  type SlackUser,
  startFakeSlack,
} from '../fakes/slack/index.js';
import { dropPrefix, randomPrefix, redisClient } from '../integration/redis-harness.js';
import {
  type SlackBot,
  STRONG_LINES,
  startSlackBot,
  startSlackBotProcess,
  threadAddress,
  waitForPromptCard,
  waitForScorecard,
} from './slack-harness.js';

const admin = redisClient();
const fake = await startFakeSlack({ clockTs: true });
const children: ChildProcess[] = [];
const bots: SlackBot[] = [];
const prefixes: string[] = [];

// A bot left running would read its own round again at the next dropped connection.
afterEach(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const bot of bots.splice(0)) await bot.runtime.stop().catch(() => {});
});

afterAll(async () => {
  for (const prefix of prefixes) await dropPrefix(admin, prefix);
  admin.disconnect();
  await fake.close();
});

// Each test reads its own round's card and answers.
beforeEach(() => fake.reset());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** When a message was written, epoch ms, from its ts. */
const sentAt = (event: { ts?: unknown }) => Math.floor(Number(event.ts) * 1000);

/** A bot process over HTTP (`slack-bot-process.ts`) on `prefix`; resolves once it is ready. */
async function startBotProcess(
  prefix: string,
  timeScale: number,
): Promise<{ child: ChildProcess; candidate: SlackUser }> {
  const started = await startSlackBotProcess(fake, prefix, timeScale);
  children.push(started.child);
  return started;
}

/** An in-process bot on `prefix`, stopped (not cleaned) at the end. */
async function startBot(
  prefix: string,
  options: { timeScale: number; socket?: boolean },
): Promise<SlackBot> {
  const bot = await startSlackBot(fake, { ...options, prefix });
  bots.push(bot);
  return bot;
}

/**
 * A bot in Socket Mode on a prefix of its own with a 30-minute round started and, unless `said` is
 * false, its first reply heard; the count of connections the fake has seen so far.
 */
async function socketRound(said = true) {
  const prefix = randomPrefix();
  prefixes.push(prefix);
  const bot = await startBot(prefix, { timeScale: 0.02, socket: true });
  await fake.socket.waitForConnection(1);
  const connections = fake.socket.totalConnections;
  await fake.socket.sendSlashCommand({ text: 'start rag-hallucination-measurement --minutes 30' });
  const root = await waitForPromptCard(fake);
  const live = messageEvent(fake, { text: STRONG_LINES[0] as string, threadTs: root.ts });
  if (said) await fake.socket.sendEvent(live);
  return { bot, connections, root, live };
}

describe('replies written while the Slack bot was away', () => {
  it('a process down mid-round: the two replies written meanwhile are stored in order, timed when written, and scored', async () => {
    const prefix = randomPrefix();
    prefixes.push(prefix);
    const timeScale = 0.05; // 5 minutes in 15 s
    const first = await startBotProcess(prefix, timeScale);
    await first.candidate.command('start rag-hallucination-measurement --minutes 5');
    const root = await waitForPromptCard(fake);
    const live = await first.candidate.say(STRONG_LINES[0] as string, { threadTs: root.ts });
    expect(live.status).toBe(200);

    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    // Slack has no bot to deliver these to; after its few retries it gives up on them.
    const away = [
      first.candidate.sayUnheard(STRONG_LINES[1] as string, { threadTs: root.ts }),
      await sleep(300).then(() =>
        first.candidate.sayUnheard(STRONG_LINES[2] as string, { threadTs: root.ts }),
      ),
    ];
    expect(fake.said.filter((m) => !m.delivered).map((m) => m.ts)).toEqual(away.map((e) => e.ts));
    await sleep(500);
    const backAt = Date.now();
    await startBotProcess(prefix, timeScale);

    const store = new RedisSessionStore(admin, { prefix });
    const candidateMessages = async () => {
      const session = await store.findByThread(threadAddress(fake, root));
      const stored = await store.messages(session?.id ?? '');
      return { session, replies: stored.filter((m) => m.role === 'candidate') };
    };
    await expect
      .poll(async () => (await candidateMessages()).replies.map((m) => m.id), { timeout: 10_000 })
      .toEqual([live.event.ts, ...away.map((e) => e.ts)]);
    const { session, replies } = await candidateMessages();
    if (!session) throw new Error('no round');
    expect(replies.map((m) => m.text)).toEqual(STRONG_LINES);
    // Timed when written, not when read back.
    for (const [i, event] of away.entries()) {
      expect(replies[i + 1]?.at).toBeCloseTo(roundSeconds(session, sentAt(event)), 6);
      expect(replies[i + 1]?.at).toBeLessThan(roundSeconds(session, backAt));
    }
    // Read from a little before the last reply stored (never before the root): Slack may have
    // delivered the replies around it out of order.
    const read = fake.callsTo('conversations.replies').find((c) => c.params.ts === root.ts);
    expect(String(read?.params.oldest) <= String(live.event.ts)).toBe(true);
    expect(String(read?.params.oldest) >= String(root.ts)).toBe(true);

    // The scorecard weighs them: it quotes what was only read back.
    const scorecard = await waitForScorecard(fake, root, 30_000);
    const quoted = away.filter((e) =>
      plainTextOf(scorecard).includes(fake.permalink(root.channel, e.ts as string)),
    );
    expect(quoted.length).toBeGreaterThan(0);
    const done = await store.findByThread(threadAddress(fake, root));
    expect(done?.status).toBe('done');
  }, 60_000);

  it('a lost Socket Mode connection: the reply written until it is back is caught up', async () => {
    const { bot, connections, root, live } = await socketRound();

    fake.socket.terminateConnections();
    await expect.poll(() => bot.platform.connected?.(), { timeout: 5_000 }).toBe(false);
    const gap = bot.user().sayUnheard(STRONG_LINES[1] as string, { threadTs: root.ts });

    await fake.socket.waitForConnection(connections + 1, 20_000);
    await expect
      .poll(async () => (await bot.round(root)).messages.map((m) => m.id), { timeout: 10_000 })
      .toEqual([live.ts, gap.ts]);
    const { session, messages } = await bot.round(root);
    expect(messages[1]?.text).toBe(STRONG_LINES[1]);
    expect(messages[1]?.at).toBeCloseTo(roundSeconds(session, sentAt(gap)), 6);

    // Live replies go on as before, after the one caught up.
    const after = messageEvent(fake, { text: STRONG_LINES[2] as string, threadTs: root.ts });
    await fake.socket.sendEvent(after);
    expect((await bot.round(root)).messages.map((m) => m.id)).toEqual([live.ts, gap.ts, after.ts]);
  }, 60_000);

  it('a connection Slack refreshes (it says so first) is not caught up: Slack sends again what it did not deliver', async () => {
    const { bot, connections, root } = await socketRound(false);
    const reads = () =>
      fake.callsTo('conversations.replies').filter((c) => c.params.ts === root.ts).length;

    fake.socket.disconnect('refresh_requested');
    await fake.socket.waitForConnection(connections + 1, 20_000);
    await sleep(1000);
    expect(reads()).toBe(0);
    expect(bot.platform.connected?.()).toBe(true);

    // A connection lost without warning still is.
    fake.socket.terminateConnections();
    await fake.socket.waitForConnection(connections + 2, 20_000);
    await expect.poll(reads, { timeout: 5_000 }).toBeGreaterThan(0);
  }, 60_000);

  it('a rate-limited and a failing read of the thread: the catch-up waits as asked and reads again', async () => {
    const { bot, connections, root, live } = await socketRound();

    fake.socket.terminateConnections();
    await expect.poll(() => bot.platform.connected?.(), { timeout: 5_000 }).toBe(false);
    const gap = bot.user().sayUnheard(STRONG_LINES[1] as string, { threadTs: root.ts });
    fake.failNext('conversations.replies', { status: 429, retryAfter: 2 });
    fake.failNext('conversations.replies', { status: 500, error: 'internal_error' });

    await fake.socket.waitForConnection(connections + 1, 20_000);
    await expect
      .poll(
        async () =>
          (await bot.round(root)).messages.filter((m) => m.role === 'candidate').map((m) => m.id),
        { timeout: 15_000 },
      )
      .toEqual([live.ts, gap.ts]);
    const reads = fake.callsTo('conversations.replies').filter((c) => c.params.ts === root.ts);
    expect(reads.length).toBeGreaterThanOrEqual(3);
    // Not before the two seconds Slack asked for.
    const [limited, , answered] = reads;
    expect((answered?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(2000);
  }, 60_000);

  it('a round in the bot’s DMs: plain messages and thread replies written while it was down are caught up', async () => {
    const prefix = randomPrefix();
    prefixes.push(prefix);
    const timeScale = 0.006; // an attempt's 45 minutes in 16 s
    const first = await startBot(prefix, { timeScale });
    await first.user('UOPEN').command('challenge alignment-feedback-loops --hours 1');
    const card = await fake.waitForMessage((m) =>
      JSON.stringify(m.blocks ?? []).includes('mockdesign_attempt'),
    );
    await first.user('UA').clickButton({ actionId: 'mockdesign_attempt', message: card });
    const dm = fake.directChannel('UA');
    const attempt: FakeSlackMessage = await fake.waitForMessage(
      (m) =>
        m.channel === dm &&
        m.thread_ts === undefined &&
        JSON.stringify(m.blocks ?? []).includes('mockdesign_end'),
      10_000,
    );
    await fake.waitForResponse((r) => JSON.stringify(r.body).includes('Your attempt has started'));
    const live = await first.user('UA').sayDirect(STRONG_LINES[0] as string);
    expect(live.status).toBe(200);

    await first.runtime.stop();
    const away = [
      first.user('UA').sayDirectUnheard(STRONG_LINES[1] as string),
      first.user('UA').sayDirectUnheard(STRONG_LINES[2] as string, { threadTs: attempt.ts }),
    ];

    const second = await startBot(prefix, { timeScale });
    await expect
      .poll(
        async () =>
          (await second.round(attempt)).messages
            .filter((m) => m.role === 'candidate')
            .map((m) => m.id),
        { timeout: 10_000 },
      )
      .toEqual([live.event.ts, ...away.map((e) => e.ts)]);
    const { session, messages } = await second.round(attempt);
    expect(messages.filter((m) => m.role === 'candidate').map((m) => m.text)).toEqual(STRONG_LINES);
    expect(session.status).toBe('active');
  }, 60_000);
});
