/**
 * A team challenge's card in Discord, opened again under its delivery key after a try that
 * reached Discord but failed: the real bot (discord.js REST, Redis, BullMQ) against the fake
 * Discord for a scheduled occurrence whose post is never answered, and the adapter alone for a
 * thread already started on the card and for a redelivery past the nonce window.
 */
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createDiscordPlatform } from '../../adapters/discord/index.js';
import { type Runtime, startRuntime } from '../../app/runtime.js';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { noticeCard } from '../../src/presentation/replies.js';
import { HeuristicScorer } from '../../src/scoring/heuristic/heuristic-scorer.js';
import { type FakeDiscord, type FakeMessage, startFakeDiscord } from '../fakes/discord/index.js';
import { dueEveryTwoSeconds } from '../integration/schedule-now.js';
import { CHALLENGE_ID, startChallengeRig } from './discord-challenge-rig.js';
import { type DiscordRig, ephemeralAnswer, startDiscordRig } from './discord-harness.js';

const MINUTE = 60_000;
const MODERATOR = { id: '1300000000000000701', username: 'mod' };

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => {});
});

/** The bot's challenge cards (messages with a Start my attempt button) in the fake's channel. */
const challengeCards = (fake: FakeDiscord): FakeMessage[] =>
  fake
    .messagesIn(fake.channelId)
    .filter(
      (m) =>
        m.author.id === fake.botUser.id &&
        JSON.stringify(m.components ?? []).includes('mockdesign:attempt:'),
    );

describe('a scheduled challenge in Discord', () => {
  it('posts one card when Discord took the post but its answer never came', async () => {
    const rig: DiscordRig = await startDiscordRig({ bot: false, timeScale: 1 });
    closers.push(() => rig.close());
    const { fake } = rig;
    const logs: string[] = [];
    const logger = createLogger({ write: (line) => logs.push(line) });
    const platform = createDiscordPlatform(rig.config.discord as NonNullable<Config['discord']>, {
      library: rig.library,
      logger,
    });
    // The bot waits a second, not fifteen, for an answer: the test stays short.
    platform.rest.options.timeout = 1000;
    const runtime: Runtime = await startRuntime({
      config: rig.config,
      library: rig.library,
      scorer: new HeuristicScorer(rig.library.rubric),
      logger,
      platforms: [platform],
      listen: true,
      lockDurationMs: 1000,
    });
    closers.push(() => runtime.stop());

    const role = fake.createRole({ name: 'mods', permissions: PermissionFlagsBits.ManageChannels });
    fake.addMemberRole({ user: MODERATOR, roleId: role.id });
    const say = (options: Record<string, string | number>, subcommand = 'schedule') =>
      ephemeralAnswer(
        fake,
        fake.sendSlashCommand({ name: 'mockdesign', subcommand, options, user: MODERATOR }),
      );
    const made = await say({ rule: 'daily 09:30', tz: 'UTC', hours: 1 });
    const id = /Challenge schedule (s[0-9a-f]+)/.exec(made)?.[1];
    if (!id) throw new Error(`no schedule in ${made}`);

    // Discord posts the card each time it is sent, but no answer comes back, neither to the
    // first request nor to discord.js's own retries of it: the occurrence's job fails and is
    // tried again.
    fake.withholdNextResponse(
      `POST /channels/${fake.channelId}/messages`,
      1 + platform.rest.options.retries,
    );
    await dueEveryTwoSeconds(runtime.scheduler, id, 'discord');
    await vi.waitFor(
      () => expect(logs.some((line) => line.includes('"challenge opened"'))).toBe(true),
      { timeout: 30_000, interval: 100 },
    );
    await runtime.scheduler.unrepeat(id, 'discord');

    expect(logs.some((line) => line.includes('"timer failed"'))).toBe(true);
    expect(fake.calls.filter((c) => c.withheld).length).toBeGreaterThan(0);
    const cards = challengeCards(fake);
    expect(cards).toHaveLength(1);
    const [card] = cards as [FakeMessage];
    // Its thread was started, and the challenge keeps the card: a second one is refused with a
    // link to it.
    expect(fake.getChannel(card.id)).toBeDefined();
    expect(await say({}, 'challenge')).toContain(card.id);
  });
});

describe('the Discord platform opening a card’s thread again under its delivery key', () => {
  it('returns the thread started on the card by the earlier try (160004 is success)', async () => {
    const rig = await startChallengeRig();
    closers.push(() => rig.close());
    const { fake, platform, channel } = rig;
    const delivery = { key: `${CHALLENGE_ID}-card`, redelivery: false, since: Date.now() };
    const first = await platform.openThread(channel, rig.challengeCard(0), delivery);
    const again = await platform.openThread(channel, rig.challengeCard(0), {
      ...delivery,
      redelivery: true,
    });
    expect(again).toEqual(first);
    expect(challengeCards(fake)).toHaveLength(1);
    // The nonce handed back the card; starting its thread again was refused as already done.
    const starts = fake.calls.filter((c) => c.method === 'POST' && /\/threads$/.test(c.path));
    expect(starts.map((c) => c.status)).toEqual([expect.any(Number), 400]);
  });

  it('reads the channel on a redelivery older than the nonce window and finds the card there', async () => {
    // A Discord that forgets nonces at once: only reading the channel keeps the card single.
    const fake = await startFakeDiscord({ nonceWindowMs: 0 });
    closers.push(() => fake.close());
    const platform = createDiscordPlatform(
      { token: fake.token, appId: fake.applicationId, apiUrl: fake.apiUrl },
      { listen: false },
    );
    const channel = `discord:${fake.guildId}:${fake.channelId}`;
    const since = Date.now() - 10 * MINUTE; // decided ten minutes ago, posted, never recorded
    const card = noticeCard('Team challenge: a prompt');
    const delivery = { key: 'c1-card', redelivery: false, since };
    const first = await platform.openThread(channel, card, delivery);
    const again = await platform.openThread(channel, card, { ...delivery, redelivery: true });
    expect(again).toEqual(first);
    const shown = fake.messagesIn(fake.channelId).filter((m) => m.author.id === fake.botUser.id);
    expect(shown).toHaveLength(1);
    // It read the channel from a little before the card was decided.
    const reads = fake.calls.filter(
      (c) => c.method === 'GET' && c.path === `/channels/${fake.channelId}/messages`,
    );
    expect(reads).toHaveLength(1);
  });
});
