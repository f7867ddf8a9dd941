/**
 * Team challenges end to end in Slack: the real bot (Bolt, Redis, BullMQ) against the fake Slack.
 * A challenge card in the channel, three private attempts in direct messages (one person
 * unranked), a restart of the bot between attempts, a leaderboard in the card's thread at the
 * deadline, and who may manage schedules.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { type FakeSlackMessage, plainTextOf, startFakeSlack } from '../fakes/slack/index.js';
import { dropPrefix, randomPrefix, redisClient } from '../integration/redis-harness.js';
import { type SlackBot, STRONG_LINES, startSlackBot } from './slack-harness.js';

/** One hour of a challenge is 21.6 s; an attempt's 45 minutes are 16.2 s. */
const TIME_SCALE = 0.006;

const admin = redisClient();
const fake = await startFakeSlack({
  users: [
    { id: 'UADMIN', is_admin: true, tz: 'Europe/Berlin' },
    { id: 'UMEMBER', tz: 'America/New_York' },
  ],
});
const bots: SlackBot[] = [];
const prefixes: string[] = [];

afterAll(async () => {
  for (const bot of bots) await bot.runtime.stop().catch(() => {});
  for (const prefix of prefixes) await dropPrefix(admin, prefix);
  admin.disconnect();
  await fake.close();
});

async function bot(prefix: string, timeScale = TIME_SCALE): Promise<SlackBot> {
  const started = await startSlackBot(fake, { timeScale, prefix });
  bots.push(started);
  return started;
}

const hasButton = (message: FakeSlackMessage, actionId: string) =>
  JSON.stringify(message.blocks ?? []).includes(actionId);

/** The attempt's prompt card in the person's direct messages with the bot. */
function attemptCard(user: string) {
  return fake.waitForMessage(
    (m) =>
      m.channel === fake.directChannel(user) &&
      m.thread_ts === undefined &&
      hasButton(m, 'mockdesign_end'),
    10_000,
  );
}

describe('team challenges in Slack', () => {
  it('runs private attempts in direct messages and posts the leaderboard in the card’s thread', async () => {
    const prefix = randomPrefix();
    prefixes.push(prefix);
    let first = await bot(prefix);
    const channel = first.user('UOPEN').channelId;

    await first.user('UOPEN').command('challenge alignment-feedback-loops --hours 1');
    const card = await fake.waitForMessage(
      (m) => m.channel === channel && hasButton(m, 'mockdesign_attempt'),
    );
    expect(plainTextOf(card)).toMatch(/Team challenge: .*Open until/s);

    await first.user('UC').command('leaderboard off');
    await fake.waitForResponse((r) => JSON.stringify(r.body).includes('unranked'));

    // The first attempt, then a restart of the bot, then the others.
    await first.user('UA').clickButton({ actionId: 'mockdesign_attempt', message: card });
    const cardA = await attemptCard('UA');
    await fake.waitForResponse((r) => JSON.stringify(r.body).includes('Your attempt has started'));
    await first.runtime.stop();
    first = await bot(prefix);
    for (const user of ['UB', 'UC']) {
      await first.user(user).clickButton({ actionId: 'mockdesign_attempt', message: card });
    }
    const cardB = await attemptCard('UB');
    const cardC = await attemptCard('UC');
    // A second press says where the first attempt is.
    await first.user('UA').clickButton({ actionId: 'mockdesign_attempt', message: card });
    await fake.waitForResponse((r) =>
      JSON.stringify(r.body).includes('You already have an attempt'),
    );
    expect(
      fake.messages.filter((m) => m.channel === fake.directChannel('UA') && !m.thread_ts),
    ).toHaveLength(1);

    // A answers in the attempt's thread, B and C as plain direct messages.
    for (const line of STRONG_LINES) await first.user('UA').sayDirect(line, { threadTs: cardA.ts });
    await first.user('UB').sayDirect('I would build it on Kafka because I know it.');
    for (const line of STRONG_LINES) await first.user('UC').sayDirect(line);
    await first.user('UA').sayDirect('end', { threadTs: cardA.ts });
    await first.user('UB').sayDirect('end');
    await first.user('UC').sayDirect('end', { threadTs: cardC.ts });
    for (const root of [cardA, cardB, cardC]) {
      await fake.waitForMessage(
        { channel: root.channel, thread_ts: root.ts, text: /^Scorecard: / },
        20_000,
      );
    }
    const round = await first.round(cardB);
    expect(round.messages.filter((m) => m.role === 'candidate').map((m) => m.text)).toEqual([
      'I would build it on Kafka because I know it.',
    ]);

    // Before the deadline the channel has the card alone (its count edited in place).
    const inChannel = () => fake.messages.filter((m) => m.channel === channel);
    expect(inChannel().map((m) => m.ts)).toEqual([card.ts]);
    await fake.waitFor(() => /3 attempts so far/.test(plainTextOf(inChannel()[0] ?? {})), 5000);

    const board = await fake.waitForMessage(
      { channel, thread_ts: card.ts, text: /^Leaderboard: / },
      30_000,
    );
    const text = plainTextOf(board);
    expect(text).toMatch(/\*#1\* <@UA> — \d+\/100/);
    expect(text).toMatch(/\*#2\* <@UB> — \d+\/100/);
    expect(text).not.toMatch(/UC/);
    expect(text).toMatch(/1 person took part unranked/);
    expect(text).toMatch(/Strongest hypothesis/);
    await fake.waitFor(
      () => !hasButton(inChannel()[0] as FakeSlackMessage, 'mockdesign_attempt'),
      5000,
    );
    expect(plainTextOf(inChannel()[0] ?? {})).toMatch(/Closed .*3 attempts/s);
    expect(inChannel().map((m) => m.ts)).toEqual([card.ts, board.ts]);
  });

  it('takes the name, score and words of someone who forgets their rounds off a posted leaderboard', async () => {
    const prefix = randomPrefix();
    prefixes.push(prefix);
    // One hour is 7.2 s; an attempt's 45 minutes are 5.4 s.
    const slack = await bot(prefix, 0.002);
    const channel = slack.user('UOPEN2').channelId;
    await slack.user('UOPEN2').command('challenge alignment-feedback-loops --hours 1');
    const card = await fake.waitForMessage(
      (m) => m.channel === channel && hasButton(m, 'mockdesign_attempt') && !m.thread_ts,
    );
    // Its answers go in once the attempt has started (the round is stored after its card).
    const answered = (words: string) => {
      const before = fake.responses.length;
      return () =>
        fake.waitFor(
          () => fake.responses.slice(before).some((r) => JSON.stringify(r.body).includes(words)),
          10_000,
          words,
        );
    };
    const started = answered('Your attempt has started');
    await slack.user('UFORGET').clickButton({ actionId: 'mockdesign_attempt', message: card });
    const root = await attemptCard('UFORGET');
    await started();
    for (const line of STRONG_LINES) await slack.user('UFORGET').sayDirect(line);
    await slack.user('UFORGET').sayDirect('end', { threadTs: root.ts });
    const board = await fake.waitForMessage(
      { channel, thread_ts: card.ts, text: /^Leaderboard: / },
      30_000,
    );
    expect(plainTextOf(board)).toMatch(/<@UFORGET>.*Strongest hypothesis/s);

    const forgotten = answered('Deleted 1 round');
    await slack.user('UFORGET').command('forget confirm');
    await forgotten();
    // The leaderboard is edited in place: no name, no score, no quote of theirs is left.
    await fake.waitFor(
      () => {
        const now = fake.messages.find((m) => m.ts === board.ts);
        return now !== undefined && !plainTextOf(now).includes('UFORGET');
      },
      10_000,
      'the leaderboard without the forgotten attempt',
    );
    const edited = plainTextOf(fake.messages.find((m) => m.ts === board.ts) ?? {});
    expect(edited).toMatch(/Nobody attempted this challenge/);
    expect(edited).not.toMatch(/two-stage retriever/);
  });

  it('counts an attempt off the open challenge’s card when its person forgets their rounds', async () => {
    const prefix = randomPrefix();
    prefixes.push(prefix);
    const slack = await bot(prefix);
    const channel = slack.user('UOPEN3').channelId;
    await slack.user('UOPEN3').command('challenge --hours 2');
    const card = await fake.waitForMessage(
      (m) =>
        m.channel === channel &&
        !m.thread_ts &&
        hasButton(m, 'mockdesign_attempt') &&
        /0 attempts so far/.test(plainTextOf(m)),
    );
    const cardText = () => plainTextOf(fake.messages.find((m) => m.ts === card.ts) ?? {});
    await slack.user('UGONE').clickButton({ actionId: 'mockdesign_attempt', message: card });
    await fake.waitFor(() => /1 attempt so far/.test(cardText()), 5000, 'the count of 1');
    await slack.user('UGONE').command('forget confirm');
    await fake.waitFor(() => /0 attempts so far/.test(cardText()), 5000, 'the count of 0');
  });

  it('warns a schedule’s maker when its challenges outlast the gap between its occurrences', async () => {
    const prefix = randomPrefix();
    prefixes.push(prefix);
    // At full time: a scaled challenge closes long before a wall-clock occurrence.
    const slack = await bot(prefix, 1);
    const answer = async (text: string) => {
      const before = fake.responses.length;
      await slack.user('UADMIN').command(text);
      const response = await fake.waitFor(() => fake.responses[before], 5000, 'an answer');
      return JSON.stringify(response.body);
    };
    // Open 48 hours (the default), due every 24: every other occurrence would open nothing.
    const daily = await answer('schedule daily 09:30');
    expect(daily).toMatch(/occurrences come 24 hours apart/);
    expect(daily).toMatch(/`--hours 24` or less/);
    // Weekdays are a day apart from Monday to Friday.
    expect(await answer('schedule weekdays 09:00 --hours 48')).toMatch(
      /occurrences come 24 hours apart/,
    );
    expect(await answer('schedule daily 09:30 --hours 24')).not.toMatch(/apart/);
    expect(await answer('schedule weekly mon 10:00')).not.toMatch(/apart/);
  });

  it('lets workspace admins and a schedule’s maker manage schedules, in the maker’s time zone', async () => {
    const prefix = randomPrefix();
    prefixes.push(prefix);
    const slack = await bot(prefix);
    const answer = async (user: string, text: string) => {
      const before = fake.responses.length;
      const acked = await slack.user(user).command(text);
      // A command that does not parse is answered in the ack itself.
      if (acked.body.length > 0) return acked.body;
      const response = await fake.waitFor(() => fake.responses[before], 5000, 'an answer');
      return JSON.stringify(response.body);
    };
    expect(await answer('UMEMBER', 'schedule weekly mon 10:00')).toMatch(
      /Only workspace or server admins/,
    );
    const made = await answer('UADMIN', 'schedule weekly mon 10:00 --hours 24');
    expect(made).toMatch(/in Europe\/Berlin/);
    expect(made.match(/Mon, \d+ \w+ \d{4}, 10:00 \(Europe\/Berlin\)/g)).toHaveLength(3);
    const id = /Challenge schedule (s[0-9a-f]+)/.exec(made)?.[1];
    expect(id).toBeDefined();
    expect(await answer('UMEMBER', 'schedule list')).toContain(
      `${id}\` — weekly mon 10:00 (Europe/Berlin)`,
    );
    expect(await answer('UMEMBER', `schedule cancel ${id}`)).toMatch(
      /Only workspace or server admins/,
    );
    expect(await answer('UMEMBER', 'schedule daily 09:30 --tz Mars/Base')).toMatch(
      /Unknown time zone/,
    );
    expect(await answer('UADMIN', `schedule cancel ${id}`)).toMatch(/is cancelled/);
    expect(await answer('UMEMBER', 'schedule list')).toMatch(/no challenge schedules/);
  });
});
