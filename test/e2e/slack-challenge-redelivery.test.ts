/**
 * A scheduled challenge's card in Slack, when Slack posts it but its answer never comes: the real
 * bot (Bolt, Redis, BullMQ) against the fake Slack. The occurrence's job fails and is tried
 * again; the retry finds the card in the channel by its delivery key and keeps it as the
 * challenge's card, so the channel has one. And the adapter alone, when the channel cannot be
 * read on a redelivery.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createSlackPlatform, encodeSlackAddress } from '../../adapters/slack/index.js';
import { createLogger } from '../../src/logger.js';
import { noticeCard } from '../../src/presentation/replies.js';
import { type FakeSlackMessage, startFakeSlack } from '../fakes/slack/index.js';
import { dropPrefix, randomPrefix, redisClient } from '../integration/redis-harness.js';
import { dueEveryTwoSeconds } from '../integration/schedule-now.js';
import { type SlackBot, startSlackBot } from './slack-harness.js';

const admin = redisClient();
const fake = await startFakeSlack({ users: [{ id: 'UADMIN', is_admin: true, tz: 'UTC' }] });
const bots: SlackBot[] = [];
const prefixes: string[] = [];

afterAll(async () => {
  for (const bot of bots) await bot.runtime.stop().catch(() => {});
  for (const prefix of prefixes) await dropPrefix(admin, prefix);
  admin.disconnect();
  await fake.close();
});

const isChallengeCard = (message: FakeSlackMessage) =>
  message.thread_ts === undefined &&
  JSON.stringify(message.blocks ?? []).includes('mockdesign_attempt');

describe('a challenge card opened again under its delivery key in Slack', () => {
  it('posts one card when Slack took the first post but its answer never came', async () => {
    const prefix = randomPrefix();
    prefixes.push(prefix);
    const bot = await startSlackBot(fake, { timeScale: 1, prefix });
    bots.push(bot);
    const person = bot.user('UADMIN');
    const answer = async (text: string) => {
      const before = fake.responses.length;
      await person.command(text);
      const response = await fake.waitFor(() => fake.responses[before], 5000, 'an answer');
      return JSON.stringify(response.body);
    };
    const made = await answer('schedule daily 09:30 --hours 1');
    const id = /Challenge schedule (s[0-9a-f]+)/.exec(made)?.[1];
    if (!id) throw new Error(`no schedule in ${made}`);

    // Slack posts the card but the answer never arrives: the bot gives up on it after its
    // request timeout, and the occurrence's job fails and is tried again.
    fake.failNext('chat.postMessage', { withhold: true, match: /^Team challenge: / });
    await dueEveryTwoSeconds(bot.runtime.scheduler, id, 'slack');
    await vi.waitFor(
      () => expect(bot.logs.some((line) => line.includes('"challenge opened"'))).toBe(true),
      { timeout: 30_000, interval: 100 },
    );
    await bot.runtime.scheduler.unrepeat(id, 'slack');

    const cards = fake.messages.filter((m) => m.channel === person.channelId && isChallengeCard(m));
    expect(cards).toHaveLength(1);
    const [card] = cards as [FakeSlackMessage];
    expect(card.metadata?.event_payload.key).toMatch(new RegExp(`^c${id}-[0-9a-z]+-card$`));
    // The retry looked the channel up for the card rather than posting it again.
    expect(fake.callsTo('conversations.history').map((c) => c.params)).toContainEqual(
      expect.objectContaining({ channel: person.channelId, include_all_metadata: 'true' }),
    );
    // The card found is the challenge's: a second challenge is refused with a link to it.
    expect(await answer('challenge')).toContain(fake.permalink(person.channelId, card.ts));
  });

  it('posts a redelivered card when the channel cannot be read: better twice than lost', async () => {
    const logs: string[] = [];
    const slack = createSlackPlatform(
      { botToken: fake.botToken, apiUrl: fake.apiUrl, port: 0, signingSecret: 's' },
      { listen: false, logger: createLogger({ write: (line) => logs.push(line) }) },
    );
    const channel = encodeSlackAddress({ team: fake.teamId, channel: 'C0LOOKUP' });
    const delivery = { key: 'c1-card', redelivery: true, since: Date.now() };
    const first = await slack.openThread(channel, noticeCard('Team challenge: a prompt'), delivery);
    fake.failNext('conversations.history', { error: 'internal_error' });
    const again = await slack.openThread(channel, noticeCard('Team challenge: a prompt'), delivery);
    expect(again.messageId).not.toBe(first.messageId);
    expect(fake.messages.filter((m) => m.channel === 'C0LOOKUP')).toHaveLength(2);
    expect(logs.join('')).toContain('could not check the conversation for an earlier delivery');
  });
});
