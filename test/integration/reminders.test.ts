import { afterAll, describe, expect, it, vi } from 'vitest';
import { reminderKey } from '../../redis/keys.js';
import { loadLibrary } from '../../rubric/load.js';
import { nextOccurrences } from '../../src/challenges/schedule-rule.js';
import { systemClock } from '../../src/clock.js';
import type { Origin } from '../../src/commands/command.js';
import { parseCommandText } from '../../src/commands/parse.js';
import { type Card, cardText } from '../../src/presentation/card.js';
import { reminderId } from '../../src/progress/reminders.js';
import { RecordingPlatform } from '../fakes/recording-platform.js';
import { redisClient, testNodes } from './redis-harness.js';

const nodes = testNodes();

const origin: Origin = { platform: 'test', user: 'UREM', channel: 'test:W1:C1' };
const text = (card: Card | undefined) => (card ? cardText(card) : '');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function node() {
  const library = await loadLibrary();
  const platform = new RecordingPlatform(systemClock, 0.002);
  const runtime = await nodes.start({ library, platform, timeScale: 0.002 });
  const say = (words: string) => runtime.rounds.handle(parseCommandText(words, origin));
  /** The stored reminder, made to fire every second (people can only write minutes). */
  const everySecond = () =>
    runtime.scheduler.repeat({
      id: reminderId('test', 'UREM'),
      pattern: '* * * * * *',
      timeZone: 'UTC',
      event: { kind: 'reminder' },
      platform: 'test',
    });
  /** The text of the first reminder a daily reminder, made to fire at once, sends. */
  const firstReminder = async () => {
    await say('remind daily 09:00 --tz UTC');
    await everySecond();
    await vi.waitFor(() => expect(platform.directs.length).toBeGreaterThan(0), { timeout: 10_000 });
    await say('remind off');
    return text(platform.directs[0]?.card);
  };
  return { platform, runtime, say, everySecond, firstReminder };
}

describe('practice reminders on Redis and BullMQ', () => {
  it('is set at the person’s local time, as BullMQ plans it', async () => {
    const { platform, runtime, say } = await node();
    const set = text((await say('remind weekly mon 09:00 --tz Europe/Berlin')).card);
    const next = nextOccurrences('0 9 * * MON', 'Europe/Berlin', Date.now(), 3);
    expect(set).toMatch(/Reminder set: weekly mon 09:00 in Europe\/Berlin/);
    expect(set.match(/Mon, .*09:00 \(Europe\/Berlin\)/g)).toHaveLength(3);
    expect(await runtime.scheduler.nextRepeat(reminderId('test', 'UREM'), 'test')).toBe(next[0]);
    // Without --tz, the person's own time zone.
    platform.people.set('UREM', { manager: false, timeZone: 'America/New_York' });
    expect(text((await say('remind daily 08:30')).card)).toMatch(
      /daily 08:30 in America\/New_York/,
    );
    expect(text((await say('remind snooze 2w')).card)).toMatch(
      /snoozed for 14 days; the next one comes .* 08:30 \(America\/New_York\)/,
    );
    expect(text((await say('remind off')).card)).toMatch(/Reminders are off/);
    expect(await runtime.scheduler.nextRepeat(reminderId('test', 'UREM'), 'test')).toBeUndefined();
    expect(text((await say('remind snooze 1w')).card)).toMatch(/no reminder to snooze/);
  });

  it('sends a drill on the weakest criterion, sends nothing while snoozed, and stops when off', async () => {
    const { platform, runtime, say, everySecond } = await node();
    // A scored round whose weakest criterion is risk: a hypothesis, a design, no risks.
    await say('start rag-hallucination-measurement --minutes 5');
    const thread = platform.cards('prompt')[0]?.address ?? '';
    await runtime.rounds.handle({
      kind: 'reply',
      origin: { ...origin, thread },
      messageId: 'm1',
      text: 'I hypothesize that a reranker cuts the hallucination rate by 15% against the current retriever; control arm without it, treatment with it, 3k questions per arm; sharding cuts p99 latency by 30%.',
    });
    await say('end');
    await vi.waitFor(() => expect(platform.cards('scorecard')).toHaveLength(1), {
      timeout: 10_000,
    });

    await say('remind daily 09:00 --tz UTC');
    await everySecond();
    await vi.waitFor(() => expect(platform.directs.length).toBeGreaterThan(0), { timeout: 10_000 });
    const [first] = platform.directs;
    expect(first?.user).toBe('UREM');
    // Keyed per occurrence and looked up first, so a retried job shows it once.
    expect(first?.delivery).toMatchObject({ redelivery: true });
    expect(first?.delivery?.key).toMatch(/-\d+$/);
    expect(text(first?.card)).toMatch(
      /Your weakest criterion lately is Risk assessment .*\nTry drill risks — 5 minutes/s,
    );

    await say('remind snooze 1w');
    await sleep(300);
    const whileSnoozed = platform.directs.length;
    await sleep(2500);
    expect(platform.directs.length).toBe(whileSnoozed);

    await say('remind daily 09:00 --tz UTC'); // set again: no longer snoozed
    await everySecond();
    await vi.waitFor(() => expect(platform.directs.length).toBeGreaterThan(whileSnoozed), {
      timeout: 10_000,
    });
    await say('remind off');
    await sleep(300);
    const atOff = platform.directs.length;
    await sleep(2500);
    expect(platform.directs.length).toBe(atOff);
  });

  it('reads the weakest criterion over the same scored rounds as adaptive, however many drills came since', async () => {
    const { platform, runtime, say, firstReminder } = await node();
    const reply = (thread: string, messageId: string, words: string) =>
      runtime.rounds.handle({
        kind: 'reply',
        origin: { ...origin, thread },
        messageId,
        text: words,
      });
    // One scored round, weakest on risk.
    await say('start rag-hallucination-measurement --minutes 5');
    const thread = platform.cards('prompt')[0]?.address ?? '';
    await reply(
      thread,
      'r1',
      'I hypothesize that a reranker cuts the hallucination rate by 15% against the current retriever; control arm without it, treatment with it, 3k questions per arm; sharding cuts p99 latency by 30%.',
    );
    await say('end');
    await vi.waitFor(() => expect(platform.cards('scorecard')).toHaveLength(1), {
      timeout: 10_000,
    });
    // Then ten drills, as a person following the reminders would do: history keeps them all.
    for (let i = 1; i <= 10; i++) {
      await say('drill tradeoffs');
      const drill = platform.cards('prompt')[i]?.address ?? '';
      await reply(drill, `d${i}`, 'Fewer replicas cut cost by 20% but raise p99 latency by 40 ms.');
      await say('end');
      await vi.waitFor(() => expect(platform.cards('scorecard')).toHaveLength(i + 1), {
        timeout: 10_000,
      });
    }
    const adaptive = text((await say('start adaptive --minutes 5')).card);
    expect(adaptive).toMatch(/weakest criterion, Risk assessment \(mean level 0\.0 of 4/);
    await say('end');

    const reminder = await firstReminder();
    expect(reminder).not.toMatch(/no scored rounds yet/);
    expect(reminder).toMatch(
      /weakest criterion lately is Risk assessment \(mean level 0\.0 of 4\)/,
    );
    expect(reminder).toMatch(/Try drill risks/);
  });

  it('points at a round still running instead of a drill that could not start beside it', async () => {
    const { say, firstReminder } = await node();
    await say('start rag-hallucination-measurement async --hours 72');
    const reminder = await firstReminder();
    // Named as the round it is, with a link to its thread.
    expect(reminder).toMatch(
      /Your async round on "Hallucination measurement in RAG" is still running: pick it up in its thread: https:\/\/\S+/,
    );
    expect(reminder).not.toMatch(/Try drill/);
    // What it says holds: a drill cannot start beside the round.
    expect(text((await say('drill risks')).card)).toMatch(/already have a round running/);
  });

  it('is turned off by forget', async () => {
    const { runtime, say } = await node();
    await say('remind weekdays 09:00');
    const done = text((await say('forget confirm')).card);
    expect(done).toMatch(/and turned your reminders off/);
    expect(await runtime.scheduler.nextRepeat(reminderId('test', 'UREM'), 'test')).toBeUndefined();
  });
});

describe('the time zone an async round waits out the night in', () => {
  const admin = redisClient();
  afterAll(() => admin.disconnect());

  /** A process whose platform knows the time zones of `people`, and a person's commands there. */
  async function zones(people: Record<string, string> = {}) {
    const library = await loadLibrary();
    const platform = new RecordingPlatform(systemClock, 0.002);
    for (const [user, timeZone] of Object.entries(people)) {
      platform.people.set(user, { manager: false, timeZone });
    }
    const runtime = await nodes.start({ library, platform, timeScale: 0.002 });
    const as = (user: string) => async (words: string) => {
      const result = await runtime.rounds.handle(parseCommandText(words, { ...origin, user }));
      return text(result.card);
    };
    /** The zone of `user`'s round and the line of its card that says when nudges stay quiet. */
    const night = async (user: string) => {
      const session = await runtime.store.findActive('test', user);
      if (!session) throw new Error(`no round of ${user}`);
      const opening = platform.posts.find((p) => p.address === session.thread);
      const line = text(opening?.card)
        .split('\n')
        .find((l) => /nudge/i.test(l));
      return { zone: session.timeZone, line };
    };
    return { runtime, as, night };
  }

  it('is the one given with --tz, else the platform’s, else the one named for a reminder', async () => {
    const { as, night } = await zones({ UPROFILE: 'America/New_York', UGIVEN: 'America/New_York' });

    // The platform says nothing of UREMIND: the zone of their reminder.
    await as('UREMIND')('remind daily 09:00 --tz Asia/Tokyo');
    expect(await as('UREMIND')('start async')).toMatch(/has started/);
    expect(await night('UREMIND')).toEqual({
      zone: 'Asia/Tokyo',
      line: 'No nudges between 22:00 and 08:00 Asia/Tokyo.',
    });

    // The platform's profile comes before the reminder.
    await as('UPROFILE')('remind daily 09:00 --tz Asia/Tokyo');
    await as('UPROFILE')('start async');
    expect((await night('UPROFILE')).zone).toBe('America/New_York');

    // --tz comes before both.
    await as('UGIVEN')('remind daily 09:00 --tz Asia/Tokyo');
    await as('UGIVEN')('start async --hours 48 --tz Europe/Berlin');
    expect(await night('UGIVEN')).toEqual({
      zone: 'Europe/Berlin',
      line: 'No nudges between 22:00 and 08:00 Europe/Berlin.',
    });
  });

  it('is none when the reminder’s zone is UTC only because nobody named one', async () => {
    const { as, night } = await zones();
    expect(await as('UASSUMED')('remind daily 09:00')).toMatch(/in UTC/);
    await as('UASSUMED')('start async');
    expect(await night('UASSUMED')).toEqual({
      zone: undefined,
      line: 'Nudges may come at any hour: add `--tz Area/City` to set your night.',
    });
    // UTC named with --tz is a zone like any other.
    await as('UNAMED')('remind daily 09:00 --tz UTC');
    await as('UNAMED')('start async');
    expect((await night('UNAMED')).zone).toBe('UTC');
  });

  it('is none, and the round starts, when the reminder cannot be read', async () => {
    const { runtime, as, night } = await zones();
    const { prefix } = runtime;
    await admin.set(reminderKey(prefix, reminderId('test', 'UBROKEN')), '{not json');
    expect(await as('UBROKEN')('start async')).toMatch(/has started/);
    expect((await night('UBROKEN')).zone).toBeUndefined();
  });
});
