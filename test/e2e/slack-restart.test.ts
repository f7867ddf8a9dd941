/**
 * A Slack bot process killed with SIGKILL mid-round and started again: the round still completes
 * and nothing is posted twice. The bot is a child process (`slack-bot-process.ts`) running the
 * real runtime with the Slack platform listening over HTTP, against the fake Slack.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisSessionStore } from '../../redis/redis-session-store.js';
import { plainTextOf, type SlackUser, startFakeSlack } from '../fakes/slack/index.js';
import { dropPrefix, randomPrefix, redisClient } from '../integration/redis-harness.js';
import {
  deliveryKeys,
  STRONG_LINES,
  startSlackBotProcess,
  threadAddress,
  waitForPromptCard,
  waitForScorecard,
} from './slack-harness.js';

/** 5-minute rounds in 15 s: room to kill and restart the bot mid-round. */
const TIME_SCALE = 0.05;

const admin = redisClient();
const prefix = randomPrefix();
const fake = await startFakeSlack();
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await fake.close();
  await dropPrefix(admin, prefix);
  admin.disconnect();
});

/** Starts a bot process; resolves with a user who speaks to it once it is ready. */
async function startBot(): Promise<{ child: ChildProcess; candidate: SlackUser }> {
  const started = await startSlackBotProcess(fake, prefix, TIME_SCALE);
  children.push(started.child);
  return started;
}

describe('a Slack bot process', () => {
  it('killed with SIGKILL mid-round and started again: the round completes and nothing is posted twice', async () => {
    const first = await startBot();
    const ack = await first.candidate.command('start rag-hallucination-measurement --minutes 5');
    expect(ack.status).toBe(200);
    const root = await waitForPromptCard(fake);
    await first.candidate.say(STRONG_LINES[0] as string, { threadTs: root.ts });
    // Mid-round, right as the solution sketch opens (1:40 of 5:00, about 5 s in), Slack posts the
    // line but its answer never arrives, and the bot is killed while it waits: it never recorded
    // the line as posted, so the next process must find it in the thread, not post it again.
    fake.failNext('chat.postMessage', { withhold: true, match: /Framing window closed/ });
    await fake.waitForMessage({ thread_ts: root.ts, text: /Framing window closed/ }, 15_000);

    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    const postedBeforeRestart = deliveryKeys(fake, root).length;

    const second = await startBot();
    const late = await second.candidate.say(STRONG_LINES[1] as string, { threadTs: root.ts });
    expect(late.status).toBe(200);
    const scorecard = await waitForScorecard(fake, root, 45_000);
    expect(plainTextOf(scorecard)).toContain('Hypothesis definition');

    const keys = deliveryKeys(fake, root);
    expect(postedBeforeRestart).toBeLessThan(keys.length);
    expect(new Set(keys).size).toBe(keys.length);
    const events = keys.map((k) => k.replace(/^r[0-9a-f]+-/, ''));
    expect(events).toEqual(
      expect.arrayContaining(['event-phase-sketch', 'event-end', 'scorecard']),
    );
    expect(events.at(-1)).toBe('scorecard');
    expect(fake.messages.filter((m) => m.thread_ts === undefined)).toHaveLength(1);
    // The restarted bot searched the thread before posting what it had not recorded as posted.
    expect(fake.callsTo('conversations.replies').length).toBeGreaterThan(0);

    const store = new RedisSessionStore(admin, { prefix });
    const session = await store.findByThread(threadAddress(fake, root));
    expect(session?.status).toBe('done');
    const stored = await store.messages(session?.id ?? '');
    expect(stored.filter((m) => m.role === 'candidate').map((m) => m.id)).toEqual([
      expect.any(String),
      late.event.ts,
    ]);

    second.child.kill('SIGTERM');
    const [code] = await once(second.child, 'exit');
    expect(code).toBe(0);
  });
});
