/**
 * Delivery that survives a platform outage over the end of a round, and a deployment where a
 * Slack-only and a Discord-only process share one Redis: every round gets its scorecard once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack } from '../fakes/slack/index.js';
import { randomPrefix } from '../integration/redis-harness.js';
import {
  type DiscordRig,
  isScorecard,
  messageText,
  startDiscordRig,
  startRound,
} from './discord-harness.js';
import {
  deliveryKeys,
  type SlackBot,
  STRONG_LINES,
  sleep,
  startSlackBot,
  waitForPromptCard,
  waitForScorecard,
} from './slack-harness.js';

/** A 5-minute round at this scale lasts 1.5 s. */
const TIME_SCALE = 0.005;

describe('a Slack-only and a Discord-only process on one Redis', () => {
  const prefix = randomPrefix();
  let fakeSlack: Awaited<ReturnType<typeof startFakeSlack>>;
  let slack: SlackBot;
  let discord: DiscordRig;

  beforeAll(async () => {
    fakeSlack = await startFakeSlack();
    slack = await startSlackBot(fakeSlack, { timeScale: TIME_SCALE, prefix });
    discord = await startDiscordRig({ timeScale: TIME_SCALE, prefix });
  });

  afterAll(async () => {
    await slack?.stop();
    await discord?.close();
    await fakeSlack?.close();
  });

  it('completes rounds on both, each process posting only to its own platform', async () => {
    const candidate = slack.user();
    expect((await candidate.command('start --minutes 5')).status).toBe(200);
    const root = await waitForPromptCard(fakeSlack);
    await candidate.say(STRONG_LINES[0] as string, { threadTs: root.ts });
    const { threadId } = await startRound(discord.fake, { minutes: 5 });
    discord.fake.sendMessage({ channelId: threadId, content: STRONG_LINES[0] as string });

    await waitForScorecard(fakeSlack, root, 30_000);
    await discord.fake.waitFor(() => [...discord.fake.messagesIn(threadId)].find(isScorecard), {
      timeoutMs: 30_000,
      description: 'the Discord scorecard',
    });
    await sleep(1000); // nothing late or twice arrives afterwards
    const keys = deliveryKeys(fakeSlack, root);
    expect(keys.filter((k) => k.endsWith('-scorecard'))).toHaveLength(1);
    expect(new Set(keys).size).toBe(keys.length);
    const discordCards = discord.fake.messagesIn(threadId).filter(isScorecard);
    expect(discordCards).toHaveLength(1);
    // Neither process failed a job for want of the other's platform.
    expect([...slack.logs, ...discord.logs].join('\n')).not.toMatch(/no platform serves/);
  });
});

describe('an outage over the end of a round', () => {
  it('Slack: thread posts refused for six seconds, then the closing line and the scorecard arrive once', async () => {
    const fake = await startFakeSlack();
    const bot = await startSlackBot(fake, { timeScale: TIME_SCALE });
    try {
      const candidate = bot.user();
      await candidate.command('start --minutes 5');
      const root = await waitForPromptCard(fake);
      await candidate.say(STRONG_LINES[0] as string, { threadTs: root.ts });
      fake.failNext('chat.postMessage', { error: 'service_unavailable', times: 10_000 });
      await sleep(6000); // the round ends 1.5 s in, inside the outage
      const refused = fake.callsTo('chat.postMessage').filter((c) => c.error).length;
      expect(refused).toBeGreaterThan(0);
      fake.heal('chat.postMessage');
      const scorecard = await waitForScorecard(fake, root, 60_000);
      expect(messageTextOf(scorecard)).toMatch(/Scorecard/);
      await sleep(1000);
      const keys = deliveryKeys(fake, root).map((k) => k.replace(/^r[0-9a-f]+-/, ''));
      expect(keys.filter((k) => k === 'event-end')).toHaveLength(1);
      expect(keys.filter((k) => k === 'scorecard')).toHaveLength(1);
      expect(keys.at(-1)).toBe('scorecard');
      const { session } = await bot.round(root);
      expect(session.status).toBe('done');
      expect(session.outbox).toEqual([]);
    } finally {
      await bot.stop();
      await fake.close();
    }
  }, 90_000);

  it('Discord: thread posts answered 503 for six seconds, then the scorecard arrives once', async () => {
    const rig = await startDiscordRig({ timeScale: TIME_SCALE });
    try {
      const { threadId } = await startRound(rig.fake, { minutes: 5 });
      rig.fake.sendMessage({ channelId: threadId, content: STRONG_LINES[0] as string });
      rig.fake.failNext(
        `POST /channels/${threadId}/messages`,
        { status: 503, code: 0, message: 'Service Unavailable' },
        10_000,
      );
      await sleep(6000);
      rig.fake.heal();
      await rig.fake.waitFor(() => [...rig.fake.messagesIn(threadId)].find(isScorecard), {
        timeoutMs: 60_000,
        description: 'the scorecard',
      });
      await sleep(1000);
      const posted = [...rig.fake.messagesIn(threadId)];
      expect(posted.filter(isScorecard)).toHaveLength(1);
      const closing = posted.filter((m) => /Ending|That's time|no answers/.test(messageText(m)));
      expect(closing).toHaveLength(1);
    } finally {
      await rig.close();
    }
  }, 90_000);
});

function messageTextOf(message: { text?: string }): string {
  return message.text ?? '';
}
