import { Queue } from 'bullmq';
import { describe, expect, it, vi } from 'vitest';
import { postQueue } from '../../jobs/bullmq-scheduler.js';
import { loadLibrary } from '../../rubric/load.js';
import { parseRule } from '../../src/challenges/schedule-rule.js';
import { systemClock } from '../../src/clock.js';
import type { Command, Origin } from '../../src/commands/command.js';
import { parseCommandText } from '../../src/commands/parse.js';
import { type Card, cardText } from '../../src/presentation/card.js';
import { RecordingPlatform } from '../fakes/recording-platform.js';
import { REDIS_URL, randomPrefix, testNodes } from './redis-harness.js';
import { dueEveryTwoSeconds } from './schedule-now.js';

const nodes = testNodes();

const CHANNEL = 'test:W1:C1';
const origin = (user: string): Origin => ({ platform: 'test', user, channel: CHANNEL });
const text = (card: Card | undefined) => (card ? cardText(card) : '');

const STRONG =
  'I hypothesise that adding a rubric-guided critique step reduces reward hacking by 15% against the current pipeline as baseline, measured on a held-out adversarial set; I will toggle it on half the runs as control and treatment.';
const WEAK = 'I would build it with Kafka and Kubernetes because I know them well.';

async function node(timeScale: number, admins?: string) {
  const library = await loadLibrary();
  const platform = new RecordingPlatform(systemClock, timeScale);
  const runtime = await nodes.start({ library, platform, timeScale, admins });
  const { prefix } = runtime;
  const run = async (command: Command) => runtime.rounds.handle(command);
  const say = (user: string, words: string) => run(parseCommandText(words, origin(user)));
  return { prefix, library, platform, runtime, run, say };
}

/**
 * A one-hour schedule made by `UENV`, then made to fire every two seconds (people can only write
 * minutes); returns its id.
 */
async function everyTwoSeconds(n: Awaited<ReturnType<typeof node>>): Promise<string> {
  const made = await n.say('UENV', 'schedule daily 09:30 --hours 1');
  expect(made.card?.kind).toBe('schedules');
  const id = /Schedule (s[0-9a-f]+)/.exec(made.card?.summary ?? '')?.[1] ?? '';
  await dueEveryTwoSeconds(n.runtime.scheduler, id, 'test');
  return id;
}

describe('team challenges on Redis and BullMQ', () => {
  it('runs private attempts and posts one leaderboard at the deadline, edited for a late finisher', async () => {
    // One hour is 14.4 s; an attempt's 45 minutes are 10.8 s.
    const { platform, run, say } = await node(0.004);
    const openedAt = Date.now();
    const opened = await say('UOPEN', 'challenge alignment-feedback-loops --hours 1');
    expect(text(opened.card)).toMatch(/Challenge "[^"]+" is open in this channel until/);
    const [cardPost] = platform.cards('challenge');
    expect(cardPost?.address).toBe(`${CHANNEL}:T1`);
    const challengeId = cardPost?.card.controls[0]?.value ?? '';
    expect(cardPost?.card.controls[0]).toMatchObject({ id: 'attempt', label: 'Start my attempt' });

    // A second challenge in the channel is refused with a link to the open one.
    const second = await say('UOTHER', 'challenge');
    expect(text(second.card)).toMatch(/already has an open challenge \(https:\/\/chat\.test\//);

    expect((await say('UC', 'leaderboard off')).card?.kind).toBe('notice');
    const attempt = (user: string) => run({ kind: 'attempt', origin: origin(user), challengeId });
    // UQ starts an attempt and says nothing in it.
    for (const user of ['UA', 'UB', 'UC', 'UQ']) {
      expect(text((await attempt(user)).card)).toMatch(/Your attempt has started: https:/);
    }
    expect(text((await attempt('UA')).card)).toMatch(/already have an attempt .*https:/);
    const threadOf = (user: string) => platform.privates.find((p) => p.user === user)?.thread ?? '';
    expect(new Set(platform.privates.map((p) => p.user))).toEqual(
      new Set(['UA', 'UB', 'UC', 'UQ']),
    );
    const reply = (user: string, words: string, id: string) =>
      run({
        kind: 'reply',
        origin: { ...origin(user), thread: threadOf(user) },
        messageId: id,
        text: words,
      });
    await reply('UA', STRONG, 'a1');
    await reply('UB', WEAK, 'b1');
    await reply('UC', STRONG, 'c1');
    // Someone else's words in an attempt's thread are not taken.
    const intruder = await run({
      kind: 'reply',
      origin: { ...origin('UB'), thread: threadOf('UA') },
      messageId: 'b-in-a',
      text: WEAK,
    });
    expect(intruder).toEqual({});

    // The card's count is edited in place.
    await vi.waitFor(() =>
      expect(
        text(platform.latest(CHANNEL, cardPost?.address ? `${cardPost.address}:root` : '')),
      ).toMatch(/4 attempts so far/),
    );
    for (const user of ['UA', 'UB', 'UC', 'UQ'])
      await run({ kind: 'end', origin: { ...origin(user), thread: threadOf(user) } });
    await vi.waitFor(() => expect(platform.cards('scorecard')).toHaveLength(4), {
      timeout: 20_000,
    });
    // A late attempt, 25 challenge minutes in: still running at the deadline.
    await new Promise((r) => setTimeout(r, Math.max(0, openedAt + 6000 - Date.now())));
    await attempt('UD');
    await reply('UD', STRONG, 'd1');

    // Nothing but the card (and, after the deadline, the leaderboard) reaches the channel.
    const inChannel = () => platform.posts.filter((p) => p.address.startsWith(`${CHANNEL}:T`));
    expect(inChannel().map((p) => p.card.kind)).toEqual(['challenge']);

    await vi.waitFor(() => expect(platform.cards('leaderboard')).toHaveLength(1), {
      timeout: 15_000,
      interval: 100,
    });
    const [board] = platform.cards('leaderboard');
    expect(board?.address).toBe(`${CHANNEL}:T1`);
    const first = text(board?.card);
    expect(first).toMatch(/#1 @UA — \d+\/100/);
    expect(first).toMatch(/#2 @UB/);
    expect(first).not.toMatch(/@UC/);
    // An attempt where nothing was said is not ranked (nor counted as taking part).
    expect(first).not.toMatch(/@UQ/);
    expect(first).toMatch(/1 person took part unranked/);
    expect(first).toMatch(/1 attempt still running/);
    expect(first).toMatch(/Strongest hypothesis\n.*rubric-guided critique.* — @UA/);
    // The card is closed: no button, the final count.
    await vi.waitFor(() => {
      const card = platform.latest(CHANNEL, `${CHANNEL}:T1:root`);
      expect(card?.controls).toEqual([]);
      expect(text(card)).toMatch(/Closed .* 5 attempts/);
    });
    // The late attempt finishes on its own clock and the leaderboard is edited to take it in.
    await vi.waitFor(
      () => {
        const edited = platform.edits.filter((e) => e.card.kind === 'leaderboard').at(-1);
        expect(text(edited?.card)).toMatch(/@UD/);
        expect(text(edited?.card)).not.toMatch(/still running/);
      },
      { timeout: 20_000, interval: 200 },
    );
    expect(platform.cards('leaderboard')).toHaveLength(1);
    expect(text((await attempt('UE')).card)).toMatch(/This challenge is closed/);
    expect(
      platform.posts.filter((p) => p.address.startsWith(`${CHANNEL}:T`)).map((p) => p.card.kind),
    ).toEqual(['challenge', 'leaderboard']);
  });

  it('tells only the opener why an adaptive challenge has its prompt, never the channel', async () => {
    const { platform, say } = await node(0.004);
    const opened = await say('UOPEN', 'challenge adaptive --hours 1');
    expect(text(opened.card)).toMatch(/Only you see this: Picked/);
    const [cardPost] = platform.cards('challenge');
    expect(text(cardPost?.card)).not.toMatch(/Picked|weakest|scored round/);
  });

  it('lets someone who forgot their rounds take an open challenge again', async () => {
    const { platform, run, say } = await node(0.004);
    await say('UOPEN', 'challenge --hours 1');
    const challengeId = platform.cards('challenge')[0]?.card.controls[0]?.value ?? '';
    const attempt = () => run({ kind: 'attempt', origin: origin('UF'), challengeId });
    expect(text((await attempt()).card)).toMatch(/Your attempt has started/);
    expect(text((await attempt()).card)).toMatch(/already have an attempt/);
    expect(text((await say('UF', 'forget confirm')).card)).toMatch(/Deleted 1 round/);
    expect(text((await attempt()).card)).toMatch(/Your attempt has started/);
  });

  it('refuses an attempt while the person’s async round runs, naming it and linking its thread', async () => {
    const { platform, run, say } = await node(1);
    await say('UOPEN', 'challenge --hours 1');
    const challengeId = platform.cards('challenge')[0]?.card.controls[0]?.value ?? '';
    await say('UF', 'start rag-hallucination-measurement async --hours 72');
    const thread = platform.posts.find(
      (p) => p.card.kind === 'prompt' && p.card.title === 'Hallucination measurement in RAG',
    )?.address;
    const attempt = () => run({ kind: 'attempt', origin: origin('UF'), challengeId });
    const refused = text((await attempt()).card);
    expect(refused).toMatch(
      /^You already have a round running: your async round on "Hallucination measurement in RAG", with (3 d|2 d 23 h) left, in its thread: https:\/\/chat\.test\//,
    );
    expect(refused).toContain(`${thread}/`);
    expect(refused).toMatch(/Answer there, or say `end` in that thread to finish it/);
    // The refused attempt is not counted: once the round ends, the attempt starts.
    await run({
      kind: 'end',
      origin: { ...origin('UF'), thread: thread ?? '' },
    });
    expect(text((await attempt()).card)).toMatch(/Your attempt has started/);
  });

  it('lets only admins and a schedule’s maker manage it, and shows the next three occurrences', async () => {
    const { platform, say, runtime } = await node(1, 'UENV');
    platform.people.set('UADMIN', { manager: true, timeZone: 'America/New_York' });
    const refused = await say('UNOBODY', 'schedule weekly mon 10:00');
    expect(refused.card?.kind).toBe('refusal');
    expect(text(refused.card)).toMatch(/Only workspace or server admins/);

    const made = await say('UADMIN', 'schedule weekly mon 10:00 --hours 24');
    const shown = text(made.card);
    expect(shown).toMatch(/weekly mon 10:00 in America\/New_York/);
    expect(shown.match(/Mon, .* 10:00 \(America\/New_York\)/g)).toHaveLength(3);
    const id = /Schedule (s[0-9a-f]+)/.exec(made.card?.summary ?? '')?.[1] ?? '';

    const byEnv = await say('UENV', 'schedule daily 09:30 --tz Europe/Berlin');
    expect(text(byEnv.card)).toMatch(/daily 09:30 in Europe\/Berlin/);
    const envId = /Schedule (s[0-9a-f]+)/.exec(byEnv.card?.summary ?? '')?.[1] ?? '';

    const list = text((await say('UNOBODY', 'schedule list')).card);
    expect(list).toContain(`${id} — weekly mon 10:00 (America/New_York), 24 hours each · next Mon`);
    expect(list).toContain(`${envId} — daily 09:30 (Europe/Berlin)`);

    expect(text((await say('UNOBODY', `schedule pause ${id}`)).card)).toMatch(/Only workspace/);
    expect(text((await say('UADMIN', `schedule pause ${id}`)).card)).toMatch(/is paused/);
    expect(await runtime.scheduler.nextRepeat(id, 'test')).toBeUndefined();
    expect(text((await say('UNOBODY', 'schedule list')).card)).toContain(
      `${id} — weekly mon 10:00 (America/New_York), 24 hours each · paused`,
    );
    expect(text((await say('UADMIN', `schedule resume ${id}`)).card)).toMatch(/runs again/);
    expect(await runtime.scheduler.nextRepeat(id, 'test')).toBeGreaterThan(Date.now());
    // The maker may cancel their own schedule without being an admin any more.
    platform.people.set('UADMIN', { manager: false });
    expect(text((await say('UADMIN', `schedule cancel ${id}`)).card)).toMatch(/cancelled/);
    expect(text((await say('UADMIN', `schedule cancel ${id}`)).card)).toMatch(/no schedule "s/);
    expect(text((await say('UADMIN', 'schedule pause nope')).card)).toMatch(/no schedule "nope"/);
    expect(text((await say('UENV', 'schedule daily 09:30 no-such-prompt')).card)).toMatch(
      /Unknown prompt "no-such-prompt"/,
    );
  });

  it('opens exactly one challenge per occurrence with two processes taking the schedule’s jobs', async () => {
    const one = await node(0.001, 'UENV');
    const platform = one.platform;
    // A second process on the same Redis and prefix, serving the same platform.
    await nodes.start({ library: one.library, prefix: one.prefix, platform, timeScale: 0.001 });
    const id = await everyTwoSeconds(one);
    await vi.waitFor(() => expect(platform.cards('challenge')).toHaveLength(1), {
      timeout: 10_000,
      interval: 100,
    });
    // Later occurrences find the channel's challenge open (3.6 s) and open none.
    await new Promise((r) => setTimeout(r, 2500));
    await one.say('UENV', `schedule cancel ${id}`);
    expect(platform.cards('challenge')).toHaveLength(1);
    await vi.waitFor(() => expect(platform.cards('leaderboard')).toHaveLength(1), {
      timeout: 10_000,
    });
    expect(text(platform.cards('leaderboard')[0]?.card)).toMatch(/Nobody attempted this challenge/);
  });

  it('opens a challenge at every occurrence when each is open for the whole gap to the next', async () => {
    // One hour is 2 s: a one-hour challenge every two seconds closes as the next one opens.
    const one = await node(1 / 1800, 'UENV');
    const { platform } = one;
    const id = await everyTwoSeconds(one);
    await vi.waitFor(() => expect(platform.cards('challenge').length).toBeGreaterThanOrEqual(3), {
      timeout: 12_000,
      interval: 100,
    });
    await one.say('UENV', `schedule cancel ${id}`);
    // Each one's deadline is its occurrence's time plus the hours, not when its job ran.
    const ids = platform.cards('challenge').map((c) => c.card.controls[0]?.value ?? '');
    const times = ids.map((c) => Number.parseInt(c.split('-').at(-1) ?? '', 36));
    for (const [i, t] of times.entries()) if (i > 0) expect(t - (times[i - 1] ?? 0)).toBe(2000);
  });

  it('pauses a schedule whose channel refuses its challenge, and tells its maker once how to resume it', async () => {
    const one = await node(1 / 1800, 'UENV');
    const { platform, runtime } = one;
    platform.refusing = 'cannot_post_here';
    const id = await everyTwoSeconds(one);
    await vi.waitFor(() => expect(platform.directs).toHaveLength(1), {
      timeout: 10_000,
      interval: 100,
    });
    const told = platform.directs[0];
    expect(told?.user).toBe('UENV');
    expect(text(told?.card)).toMatch(
      new RegExp(
        `^Your challenge schedule ${id} \\(daily 09:30, UTC\\) could not open its challenge: I may not post in its channel \\(invite me to it, with my permissions\\), or it was deleted\\. I paused it.* say \`schedule resume ${id}\` in that channel\\.$`,
      ),
    );
    expect(await runtime.scheduler.nextRepeat(id, 'test')).toBeUndefined();
    expect(text((await one.say('UNOBODY', 'schedule list')).card)).toContain(`${id} — daily 09:30`);
    expect(text((await one.say('UNOBODY', 'schedule list')).card)).toContain('paused');
    // No challenge was left open without a card: one opens in the channel at once.
    platform.refusing = undefined;
    expect(text((await one.say('UOPEN', 'challenge')).card)).toMatch(/is open in this channel/);
    await new Promise((r) => setTimeout(r, 2500));
    expect(platform.directs).toHaveLength(1);
  });

  it('has BullMQ fire a weekly 10:00 Europe/Berlin rule at 10:00 local time on both sides of the change', async () => {
    const prefix = `{${randomPrefix()}}`;
    nodes.drop(prefix.slice(1, -1));
    const queue = new Queue(postQueue('test'), { connection: { url: REDIS_URL }, prefix });
    const { pattern } = parseRule('weekly mon 10:00');
    const planned = async (from: string) => {
      const job = await queue.upsertJobScheduler(`dst-${from}`, {
        pattern,
        tz: 'Europe/Berlin',
        startDate: Date.parse(from),
      });
      return new Date(Number(job?.opts.prevMillis)).toISOString();
    };
    try {
      expect(await planned('2027-03-20T00:00:00Z')).toBe('2027-03-22T09:00:00.000Z'); // CET
      expect(await planned('2027-03-23T00:00:00Z')).toBe('2027-03-29T08:00:00.000Z'); // CEST
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('posts the leaderboard once when the platform refuses it twice at the deadline', async () => {
    // One hour is 1.8 s.
    const { platform, say } = await node(0.0005);
    await say('UOPEN', 'challenge --hours 1');
    platform.failures = 2;
    await vi.waitFor(() => expect(platform.cards('leaderboard')).toHaveLength(1), {
      timeout: 15_000,
      interval: 100,
    });
    await vi.waitFor(() => expect(platform.edits.at(-1)?.card.controls).toEqual([]));
    await new Promise((r) => setTimeout(r, 500));
    expect(platform.cards('leaderboard')).toHaveLength(1);
    expect(platform.failures).toBe(0);
    // The channel is free for the next challenge.
    expect((await say('UOPEN', 'challenge --hours 1')).card?.kind).toBe('notice');
  });
});
