/**
 * The Slack platform's side of catching up on replies written while no process listened: `missed`
 * reads a thread (or a DM) back from the fake Slack as the live path would have taken its
 * messages, and `start` tells the core when events may have been lost (a start, and a Socket
 * Mode connection back after it was lost, not the first one).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SlackPlatform } from '../../adapters/slack/index.js';
import { createLogger } from '../../src/logger.js';
import { noticeCard } from '../../src/presentation/replies.js';
import { type FakeSlack, SlackUser } from '../fakes/slack/index.js';
import { platformOnFake, SIGNING_SECRET } from './slack-harness.js';

const _logger = createLogger({ write: () => {} });
const handler = async () => ({});
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function slack(options: { socket?: boolean; listen?: boolean } = {}) {
  const { fake, platform } = await platformOnFake(cleanups, {
    socket: options.socket,
    listen: options.listen ?? false,
    fake: { clockTs: true },
  });
  // Nothing listens at this URL: every message below is written while no bot hears it.
  const user = (userId?: string) =>
    new SlackUser({
      url: 'http://127.0.0.1:9/nobody',
      signingSecret: SIGNING_SECRET,
      workspace: fake,
      userId,
    });
  return { fake, platform, user };
}

/** The bot's thread root in `channel`, posted through the platform as the core would. */
async function root(platform: SlackPlatform, fake: FakeSlack, channel = 'C0PRACTICE') {
  const opened = await platform.openThread(
    `slack:${fake.teamId}:${channel}`,
    noticeCard('A round starts'),
  );
  const threadTs = opened.thread.split(':')[3] as string;
  return { thread: opened.thread, threadTs };
}

describe('Slack missed: what people wrote while no bot listened', () => {
  it('reads a thread after a reply: people’s messages only, oldest first, timed by their ts, text as live', async () => {
    const { fake, platform, user } = await slack();
    const { thread, threadTs } = await root(platform, fake);
    const candidate = user();
    const heard = candidate.sayUnheard('heard before the gap', { threadTs });
    const first = candidate.sayUnheard('<@U0OTHER|ana>, I expect a 15% cut &amp; no more', {
      threadTs,
    });
    await platform.post(thread, noticeCard('An interviewer line'));
    const second = user('U0OTHER').sayUnheard('a teammate chimes in', { threadTs });
    candidate.sayUnheard('outside the thread'); // a channel message: not in the thread

    // Read from a minute before the last reply heard (Slack may deliver out of order; what is
    // stored already is not taken again), here the thread's root.
    const [again, ...missed] = await platform.missed(thread, heard.ts as string);
    expect(again?.messageId).toBe(heard.ts);
    expect(missed).toEqual([
      {
        messageId: first.ts,
        user: 'U0CANDIDATE',
        text: '@ana, I expect a 15% cut & no more',
        sentAt: Math.floor(Number(first.ts) * 1000),
      },
      {
        messageId: second.ts,
        user: 'U0OTHER',
        text: 'a teammate chimes in',
        sentAt: Math.floor(Number(second.ts) * 1000),
      },
    ]);
    expect(Math.abs((missed?.[0]?.sentAt ?? 0) - Date.now())).toBeLessThan(5_000);
    expect(fake.callsTo('conversations.replies').at(-1)?.params).toMatchObject({
      channel: 'C0PRACTICE',
      ts: threadTs,
      oldest: threadTs,
    });

    // From the thread's start: every reply, the root (the bot's card) left out.
    expect((await platform.missed(thread, undefined))?.map((m) => m.messageId)).toEqual([
      heard.ts,
      first.ts,
      second.ts,
    ]);
    // A minute before the last one, and nothing after it.
    expect((await platform.missed(thread, second.ts as string)).at(-1)?.messageId).toBe(second.ts);
  });

  it('pages through a long thread with Slack’s cursor', async () => {
    const { fake, platform, user } = await slack();
    const { thread, threadTs } = await root(platform, fake);
    const written = Array.from(
      { length: 230 },
      (_, i) => user().sayUnheard(`reply ${i + 1}`, { threadTs }).ts,
    );
    const missed = await platform.missed(thread, undefined);
    expect(missed?.map((m) => m.messageId)).toEqual(written);
    expect(fake.callsTo('conversations.replies').length).toBeGreaterThan(1);
  });

  it('in the bot’s DMs: a round’s thread and the person’s plain messages there, in order', async () => {
    const { fake, platform, user } = await slack();
    const person = user('U0ATTEMPT');
    const dm = fake.directChannel('U0ATTEMPT');
    const before = person.sayDirectUnheard('written before the round');
    const { thread, threadTs } = await root(platform, fake, dm);
    const plain = person.sayDirectUnheard('a plain direct message');
    const inThread = person.sayDirectUnheard('an answer in the thread', { threadTs });
    const plainAgain = person.sayDirectUnheard('and one more plain one');

    const fromStart = await platform.missed(thread, undefined);
    expect(fromStart?.map((m) => [m.messageId, m.text])).toEqual([
      [plain.ts, 'a plain direct message'],
      [inThread.ts, 'an answer in the thread'],
      [plainAgain.ts, 'and one more plain one'],
    ]);
    expect(fromStart?.map((m) => m.messageId)).not.toContain(before.ts);
    // Read from a little before `after` (Slack may deliver out of order): what follows it is all there.
    const laterThan = (from: string) => (m: { messageId: string }) => m.messageId > from;
    expect(
      (await platform.missed(thread, inThread.ts as string))
        ?.filter(laterThan(inThread.ts as string))
        .map((m) => m.messageId),
    ).toEqual([plainAgain.ts]);
    // The conversation itself (`slack:T:D`): its top-level messages.
    const conversation = `slack:${fake.teamId}:${dm}`;
    expect(
      (await platform.missed(conversation, before.ts as string))
        ?.filter(laterThan(before.ts as string))
        .map((m) => m.messageId),
    ).toEqual([plain.ts, plainAgain.ts]);
    expect(fake.callsTo('conversations.history').at(-1)?.params).toMatchObject({ channel: dm });
  });

  it('fails as a Slack platform error when Slack does not answer', async () => {
    const { fake, platform } = await slack();
    fake.failNext('conversations.replies', { error: 'internal_error' });
    await expect(
      platform.missed(`slack:${fake.teamId}:C0PRACTICE:1700000000.000100`, undefined),
    ).rejects.toThrow(/conversations\.replies failed: internal_error/);
  });
});

describe('Slack tells the core when it may have missed events', () => {
  it('over HTTP: once started', async () => {
    const { platform } = await slack({ listen: true });
    const reconnected = vi.fn();
    await platform.start(handler, { reconnected });
    expect(reconnected).toHaveBeenCalledTimes(1);
  });

  it('over Socket Mode: once started, and each time the WebSocket is back after a loss', async () => {
    const { fake, platform } = await slack({ socket: true, listen: true });
    const reconnected = vi.fn();
    await platform.start(handler, { reconnected });
    expect(reconnected).toHaveBeenCalledTimes(1); // the start, not the first connection too

    fake.socket.terminateConnections();
    await vi.waitFor(() => expect(platform.connected?.()).toBe(false), { timeout: 5_000 });
    await vi.waitFor(() => expect(reconnected).toHaveBeenCalledTimes(2), { timeout: 20_000 });
    expect(platform.connected?.()).toBe(true);

    await platform.stop();
    expect(reconnected).toHaveBeenCalledTimes(2); // a stop is no loss
  });
});
