/**
 * Team challenges end to end in Discord: the real bot (discord.js, Redis, BullMQ) against the
 * fake Discord. A challenge card in the channel, three private-thread attempts (one person
 * unranked), a restart of the bot between attempts, a leaderboard in the card's thread at the
 * deadline, and who may manage schedules.
 */
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, describe, expect, it } from 'vitest';
import { createDiscordPlatform } from '../../adapters/discord/index.js';
import { type Runtime, startRuntime } from '../../app/runtime.js';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { platformRefusalCard } from '../../src/presentation/replies.js';
import { HeuristicScorer } from '../../src/scoring/heuristic/heuristic-scorer.js';
import type { FakeMessage } from '../fakes/discord/index.js';
import {
  type DiscordRig,
  ephemeralAnswer,
  MEMBER,
  messageText,
  startDiscordRig,
} from './discord-harness.js';
import { STRONG_LINES } from './slack-harness.js';

/** One hour of a challenge is 21.6 s; an attempt's 45 minutes are 16.2 s. */
const TIME_SCALE = 0.006;

const A = { id: '1300000000000000601', username: 'ada' };
const B = { id: '1300000000000000602', username: 'bo' };
const C = { id: '1300000000000000603', username: 'cy' };

const rigs: DiscordRig[] = [];
const runtimes: Runtime[] = [];
afterAll(async () => {
  for (const runtime of runtimes) await runtime.stop().catch(() => {});
  for (const rig of rigs) await rig.close();
});

/** Another bot process on the rig's Redis prefix and fake Discord (a restart). */
async function restart(rig: DiscordRig, running: Runtime): Promise<Runtime> {
  await running.stop();
  const logger = createLogger({ write: () => {} });
  const runtime = await startRuntime({
    config: rig.config,
    library: rig.library,
    scorer: new HeuristicScorer(rig.library.rubric),
    logger,
    platforms: [
      createDiscordPlatform(rig.config.discord as NonNullable<Config['discord']>, {
        library: rig.library,
        logger,
      }),
    ],
    listen: true,
    lockDurationMs: 1000,
  });
  runtimes.push(runtime);
  return runtime;
}

const attemptButton = (message: FakeMessage) =>
  JSON.stringify(message.components ?? []).match(/"(mockdesign:attempt:[^"]+)"/)?.[1];

describe('team challenges in Discord', () => {
  it('runs private-thread attempts and posts the leaderboard in the card’s thread', async () => {
    const rig = await startDiscordRig({ timeScale: TIME_SCALE });
    rigs.push(rig);
    const { fake } = rig;
    let runtime = rig.runtime as Runtime;
    const say = (
      user: typeof A,
      subcommand: string,
      options: Record<string, string | number> = {},
    ) =>
      ephemeralAnswer(
        fake,
        fake.sendSlashCommand({ name: 'mockdesign', subcommand, options, user }),
      );

    expect(
      await say(MEMBER, 'challenge', { prompt: 'alignment-feedback-loops', hours: 1 }),
    ).toMatch(/is open in this channel until/);
    const card = await fake.waitFor(
      () => fake.messagesIn(fake.channelId).find((m) => attemptButton(m)),
      { description: 'the challenge card' },
    );
    const customId = attemptButton(card) as string;
    expect(await say(C, 'leaderboard', { ranked: 'off' })).toMatch(/unranked/);

    const press = (user: typeof A) =>
      ephemeralAnswer(fake, fake.sendButton({ customId, message: card, user }));
    expect(await press(A)).toMatch(/Your attempt has started: https:\/\/discord\.com\/channels\//);
    runtime = await restart(rig, runtime);
    await fake.waitForReady();
    expect(await press(B)).toMatch(/Your attempt has started/);
    expect(await press(C)).toMatch(/Your attempt has started/);
    expect(await press(A)).toMatch(/You already have an attempt/);

    const privates = fake.threads.filter((t) => t.type === 12);
    expect(privates).toHaveLength(3);
    const threadOf = (user: typeof A) => {
      const thread = privates.find((t) =>
        fake.threadMembers(t.id).some((m) => m.user_id === user.id),
      );
      if (!thread) throw new Error(`no private thread for ${user.username}`);
      return thread.id;
    };
    for (const thread of privates) {
      const members = fake.threadMembers(thread.id).map((m) => m.user_id);
      expect(members).toHaveLength(2);
      expect(members).toContain(fake.botUser.id);
    }
    const write = (user: typeof A, content: string) =>
      fake.sendMessage({ channelId: threadOf(user), content, author: user });
    for (const line of STRONG_LINES) write(A, line);
    write(B, 'I would build it on Kafka because I know it.');
    for (const line of STRONG_LINES) write(C, line);
    await new Promise((r) => setTimeout(r, 500));
    for (const user of [A, B, C]) write(user, 'end');
    for (const user of [A, B, C]) {
      await fake.waitFor(
        () =>
          fake
            .messagesIn(threadOf(user))
            .find((m) => m.embeds.some((e) => e.title?.startsWith('Scorecard —'))),
        { description: `the scorecard of ${user.username}`, timeoutMs: 20_000 },
      );
    }

    // Before the deadline the channel holds the card alone, its count edited in place; its
    // thread holds nothing.
    const channelMessages = () =>
      fake.messagesIn(fake.channelId).filter((m) => m.author.id === fake.botUser.id);
    expect(channelMessages().map((m) => m.id)).toEqual([card.id]);
    expect(fake.messagesIn(card.id)).toEqual([]);
    await fake.waitFor(
      () => /3 attempts so far/.test(messageText(fake.getMessage(card.id) as FakeMessage)),
      {
        description: 'the count on the card',
      },
    );

    const board = await fake.waitFor(
      () => fake.messagesIn(card.id).find((m) => messageText(m).startsWith('Leaderboard: ')),
      { description: 'the leaderboard', timeoutMs: 30_000 },
    );
    const text = messageText(board);
    expect(text).toMatch(new RegExp(`\\*\\*#1\\*\\* <@${A.id}> — \\d+/100`));
    expect(text).toMatch(new RegExp(`\\*\\*#2\\*\\* <@${B.id}> — \\d+/100`));
    expect(text).not.toContain(C.id);
    expect(text).toMatch(/1 person took part unranked/);
    await fake.waitFor(() => attemptButton(fake.getMessage(card.id) as FakeMessage) === undefined, {
      description: 'the card closed',
    });
    expect(messageText(fake.getMessage(card.id) as FakeMessage)).toMatch(/Closed .*3 attempts/s);
    expect(fake.messagesIn(card.id).map((m) => m.id)).toEqual([board.id]);
    expect(channelMessages().map((m) => m.id)).toEqual([card.id]);
  });

  it('tells whoever presses Start my attempt in an announcement channel to use a text channel, and leaves no attempt behind', async () => {
    const news = '1300000000000000201';
    const rig = await startDiscordRig({
      timeScale: 1,
      fake: {
        guilds: [
          { id: '1300000000000000100', channels: [{ id: news, name: 'announcements', type: 5 }] },
        ],
      },
    });
    rigs.push(rig);
    const { fake } = rig;
    await ephemeralAnswer(
      fake,
      fake.sendSlashCommand({ name: 'mockdesign', subcommand: 'challenge', channelId: news }),
    );
    const card = await fake.waitForMessage(news, (m) => attemptButton(m) !== undefined);
    const press = () =>
      ephemeralAnswer(
        fake,
        fake.sendButton({ customId: attemptButton(card) as string, message: card.id, user: A }),
      );
    const answer = await press();
    expect(answer).toMatch(/private threads/);
    expect(answer).toMatch(/text channel/);
    expect(answer).not.toMatch(/try again in a moment/);
    expect(answer).toBe(platformRefusalCard('wrong_channel_type').summary);
    // Nothing was claimed: pressing again says the same, not that an attempt exists.
    expect(await press()).toBe(answer);
    expect(await rig.store.findActive('discord', A.id)).toBeUndefined();
  });

  it('lets only members who manage the server or channel, and a schedule’s maker, manage schedules', async () => {
    const rig = await startDiscordRig({ timeScale: 1 });
    rigs.push(rig);
    const { fake } = rig;
    const say = (user: typeof A, options: Record<string, string | number>) =>
      ephemeralAnswer(
        fake,
        fake.sendSlashCommand({ name: 'mockdesign', subcommand: 'schedule', options, user }),
      );
    // Commands are named as Discord takes them, with typed options.
    expect(await say(MEMBER, { action: 'list' })).toContain(
      'Make one with `/mockdesign schedule rule:0 10 * * MON tz:Europe/Berlin`.',
    );
    expect(await say(MEMBER, { rule: 'weekly mon 10:00', tz: 'Europe/Berlin' })).toMatch(
      /Only workspace or server admins/,
    );
    const role = fake.createRole({ name: 'mods', permissions: PermissionFlagsBits.ManageChannels });
    fake.addMemberRole({ user: A, roleId: role.id });
    const made = await say(A, { rule: '0 10 * * MON', tz: 'Europe/Berlin', hours: 24 });
    expect(made).toMatch(/`0 10 \* \* MON` in Europe\/Berlin/);
    const id = /Challenge schedule (s[0-9a-f]+)/.exec(made)?.[1] as string;
    expect(made).toContain(`\`/mockdesign schedule action:pause id:${id}\``);
    expect(made).not.toContain('--');
    expect(await say(MEMBER, { action: 'list' })).toContain(
      `${id}\` — 0 10 * * MON (Europe/Berlin), 24 hours each · next`,
    );
    expect(await say(MEMBER, { action: 'pause', id })).toMatch(/Only workspace or server admins/);
    expect(await say(MEMBER, { rule: 'daily 25:00' })).toMatch(/"25:00" is not a time of day/);
    expect(await say(A, { action: 'pause', id })).toContain(
      `\`/mockdesign schedule action:resume id:${id}\` starts it again`,
    );
    expect(await say(A, { action: 'cancel', id })).toMatch(/is cancelled/);
  });
});
