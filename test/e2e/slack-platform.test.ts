/**
 * The Slack platform on its own (no core): what reaches the core from Slack's events, what the
 * port's methods send, the outbound-only mode of worker processes, and shown-once redelivery.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackPlatform, renderCard, type SlackPlatform } from '../../adapters/slack/index.js';
import type { CommandResult } from '../../src/commands/command.js';
import { PlatformError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import type { Card } from '../../src/presentation/card.js';
import { apologyCard, noticeCard } from '../../src/presentation/replies.js';
import {
  botMessageEvent,
  type FakeSlack,
  messageChangedEvent,
  messageEvent,
  plainTextOf,
  startFakeSlack,
} from '../fakes/slack/index.js';
import { listeningPlatform, slackConfig, sleep } from './slack-harness.js';

const NOTICE = noticeCard('Framing window closed <!channel> & co.');
const ROOT = noticeCard('root');

/** A card quoting the candidate's message `ts` at 01:05, with a mention and a date. */
function quoting(ts: string): Card {
  return {
    kind: 'history',
    tone: 'neutral',
    summary: 'Your rounds & <scores>',
    blocks: [
      {
        type: 'section',
        title: [{ strong: 'Round' }, ' of ', { date: Date.UTC(2026, 0, 2, 3, 4) }],
        lines: [
          [
            { mention: 'U0CANDIDATE' },
            ' said ',
            { quote: 'p99 < 2 s', at: '01:05', messageId: ts },
          ],
        ],
      },
    ],
    controls: [],
  };
}

let fake: FakeSlack;
let platform: SlackPlatform | undefined;
let logs: string[];
const logger = () => createLogger({ write: (line) => logs.push(line) });

beforeEach(async () => {
  fake = await startFakeSlack();
  logs = [];
});

afterEach(async () => {
  await platform?.stop();
  platform = undefined;
  await fake.close();
});

/** A listening platform whose core is a stub recording commands and answering from `results`. */
async function listening(results: CommandResult[] = []) {
  const listened = await listeningPlatform(fake, logger(), results);
  platform = listened.platform;
  return listened;
}

describe('Slack events into core commands', () => {
  it('makes a reply of a person’s thread message only (not of bots, joins or messages outside threads), an edited of its edit and a withdraw of its deletion', async () => {
    const { commands, user } = await listening();
    const root = fake.nextTs();
    const own = botMessageEvent(fake, {
      text: 'mine',
      botId: fake.botId,
      botUserId: fake.botUserId,
      threadTs: root,
    });
    const other = botMessageEvent(fake, { text: 'theirs', botId: 'B0OTHER', threadTs: root });
    const outside = messageEvent(fake, { text: 'not in a thread' });
    const parent = messageEvent(fake, { text: 'a thread parent', threadTs: root, ts: root });
    const join = messageEvent(fake, { text: 'joined', threadTs: root });
    join.subtype = 'channel_join';
    const broadcast = messageEvent(fake, { text: 'also to channel', threadTs: root });
    broadcast.subtype = 'thread_broadcast';
    for (const event of [own, other, outside, parent, join]) await user.sendEvent(event);
    // Another app's post in the thread, edited: no person's answer changed.
    const app = botMessageEvent(fake, {
      text: 'an app',
      botId: 'B0APP',
      botUserId: 'U0APPBOT',
      threadTs: root,
    });
    await user.sendEvent(messageChangedEvent(fake, app, 'an app, edited'));
    const reply = await user.say(
      'p99 &lt; 2 s for <https://x.example/a|the judge> &amp; <@U0OTHER>',
      { threadTs: root },
    );
    await user.edit(reply.event, 'edited');
    await user.delete(reply.event);
    await user.sendEvent(broadcast);

    await expect.poll(() => commands.length).toBe(4);
    await sleep(200);
    const origin = {
      platform: 'slack',
      user: 'U0CANDIDATE',
      channel: 'slack:T0FAKETEAM:C0PRACTICE',
      thread: `slack:T0FAKETEAM:C0PRACTICE:${root}`,
    };
    expect(commands).toEqual([
      {
        kind: 'reply',
        origin,
        messageId: reply.event.ts,
        text: 'p99 < 2 s for the judge & @U0OTHER',
      },
      { kind: 'edited', origin, messageId: reply.event.ts },
      { kind: 'withdraw', origin, messageId: reply.event.ts },
      expect.objectContaining({ kind: 'reply', messageId: broadcast.ts, text: 'also to channel' }),
    ]);
  });

  it('tells the person ephemerally, in the thread, when the core could not store a reply', async () => {
    const { user } = await listening([{ failed: true }]);
    const root = fake.nextTs();
    await user.say('an answer', { threadTs: root });

    const told = await fake.waitForEphemeral(/could not be saved/);
    expect(told).toMatchObject({
      user: 'U0CANDIDATE',
      channel: 'C0PRACTICE',
      thread_ts: root,
      via: 'chat.postEphemeral',
    });
  });

  it('answers a command privately with the core’s card, or the core’s apology when it failed without one', async () => {
    const { user } = await listening([{ card: NOTICE }, { failed: true }]);
    await user.command('status');
    await user.command('history');

    await expect.poll(() => fake.responses.length).toBe(2);
    const [answered, failed] = fake.responses;
    expect(answered?.body).toMatchObject({
      response_type: 'ephemeral',
      replace_original: false,
      text: 'Framing window closed &lt;!channel&gt; &amp; co.',
      blocks: [
        { type: 'section', text: { text: 'Framing window closed &lt;!channel&gt; &amp; co.' } },
      ],
    });
    expect(answered?.effect).toBe('ephemeral');
    expect(failed?.body).toMatchObject(renderCard(apologyCard()));
  });

  it('refuses an unreadable command in the ack with the core’s words, as a card', async () => {
    const { commands, user } = await listening();
    const ack = await user.command('start --minutes ten');

    expect(ack.json).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('`--minutes`'),
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: expect.stringContaining('`--minutes`') } },
      ],
    });
    expect(commands).toHaveLength(0);
  });

  it('turns the buttons into next and end with the thread as origin, from the root or a reply in it', async () => {
    const { commands, user } = await listening();
    const { thread } = await (platform as SlackPlatform).openThread(
      'slack:T0FAKETEAM:C0PRACTICE',
      ROOT,
    );
    const rootTs = thread.split(':')[3] as string;
    await user.clickButton({
      actionId: 'mockdesign_end',
      message: { channel: 'C0PRACTICE', ts: rootTs },
    });
    await user.clickButton({
      actionId: 'mockdesign_next',
      message: { channel: 'C0PRACTICE', ts: fake.nextTs(), thread_ts: rootTs },
      value: 'sketch',
    });
    // A Next phase button posted before buttons carried their phase has no value.
    await user.clickButton({
      actionId: 'mockdesign_next',
      message: { channel: 'C0PRACTICE', ts: rootTs },
    });

    await expect
      .poll(() =>
        commands.map((c) => [c.kind, c.origin.thread, c.kind === 'next' ? c.button : undefined]),
      )
      .toEqual([
        ['end', thread, undefined],
        ['next', thread, { phase: 'sketch' }],
        ['next', thread, {}],
      ]);
  });

  it('answers GET /healthz for load balancers', async () => {
    await listening();
    const url = (platform as SlackPlatform).eventsUrl?.replace('/slack/events', '/healthz');
    const res = await fetch(url as string);
    expect([res.status, await res.text()]).toEqual([200, 'ok']);
  });

  it('refuses to start with a token Slack does not accept', async () => {
    platform = createSlackPlatform(
      { ...slackConfig(fake), botToken: 'xoxb-wrong' },
      { logger: logger() },
    );
    await expect(platform.start(async () => ({}))).rejects.toThrow(
      'slack: SLACK_BOT_TOKEN was not accepted by Slack (invalid_auth)',
    );
    platform = undefined;
  });
});

describe('posting to Slack', () => {
  it('outbound-only (a worker): start() listens to nothing, yet threads, posts and ephemerals work', async () => {
    platform = createSlackPlatform(slackConfig(fake), { listen: false, logger: logger() });
    await platform.start(async () => ({}));
    expect(platform.mode).toBe('outbound');
    expect(platform.eventsUrl).toBeUndefined();
    expect(fake.calls).toHaveLength(0);

    const { thread, messageId } = await platform.openThread('slack:T0FAKETEAM:C1', ROOT);
    expect(thread).toBe(`slack:T0FAKETEAM:C1:${messageId}`);
    const posted = await platform.post(thread, NOTICE, { key: 'r1-event-x', redelivery: false });
    await platform.ephemeral(thread, 'U1', noticeCard('only you <3'));

    const [, reply] = fake.thread('C1', messageId);
    expect(reply).toMatchObject({
      ts: posted.messageId,
      thread_ts: messageId,
      metadata: { event_payload: { key: 'r1-event-x' } },
    });
    // Core text is escaped: no channel-wide ping, no forged markup.
    expect(plainTextOf(reply ?? {})).toContain('&lt;!channel&gt; &amp; co.');
    expect(fake.ephemerals).toMatchObject([
      {
        channel: 'C1',
        user: 'U1',
        thread_ts: messageId,
        text: 'only you &lt;3',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'only you &lt;3' } }],
      },
    ]);
    expect(await platform.permalink?.(thread, posted.messageId)).toBe(
      fake.permalink('C1', posted.messageId, messageId),
    );
  });

  it('shows a redelivered message once: it finds the earlier post by its delivery key', async () => {
    platform = createSlackPlatform(slackConfig(fake), { listen: false, logger: logger() });
    const { thread, messageId: root } = await platform.openThread('slack:T0FAKETEAM:C1', ROOT);
    const first = await platform.post(thread, NOTICE, { key: 'r1-event-a', redelivery: false });
    const again = await platform.post(thread, NOTICE, { key: 'r1-event-a', redelivery: true });
    const fresh = await platform.post(thread, NOTICE, { key: 'r1-event-b', redelivery: true });

    expect(again.messageId).toBe(first.messageId);
    expect(fresh.messageId).not.toBe(first.messageId);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(3);
    const lookups = fake.callsTo('conversations.replies');
    expect(lookups).toHaveLength(2);
    expect(lookups.map((c) => c.params)).toEqual([
      expect.objectContaining({ channel: 'C1', ts: root, include_all_metadata: 'true' }),
      expect.objectContaining({ channel: 'C1', ts: root, include_all_metadata: 'true' }),
    ]);
  });

  it('posts a redelivery again, with a warning, when the thread cannot be searched', async () => {
    platform = createSlackPlatform(slackConfig(fake), { listen: false, logger: logger() });
    const { thread } = await platform.openThread('slack:T0FAKETEAM:C1', ROOT);
    fake.failNext('conversations.replies', { error: 'internal_error' });
    await platform.post(thread, NOTICE, { key: 'r1-event-a', redelivery: true });

    expect(fake.callsTo('chat.postMessage')).toHaveLength(2);
    expect(logs.join('')).toContain('could not check the thread for an earlier delivery');
  });

  it('links quotes to the candidate’s messages wherever a card quotes them: posts and ephemerals', async () => {
    platform = createSlackPlatform(slackConfig(fake), { listen: false, logger: logger() });
    const { thread, messageId: root } = await platform.openThread('slack:T0FAKETEAM:C1', ROOT);
    const said = fake.nextTs();
    await platform.post(thread, quoting(said));
    await platform.ephemeral(thread, 'U0CANDIDATE', quoting(said));

    const link = fake.permalink('C1', said);
    const [, posted] = fake.thread('C1', root);
    expect(posted?.text).toBe('Your rounds &amp; &lt;scores&gt;');
    const line = `<@U0CANDIDATE> said <${link}|[01:05]> “p99 &lt; 2 s”`;
    expect(plainTextOf(posted ?? {})).toContain(line);
    expect(plainTextOf(fake.ephemerals[0] ?? {})).toContain(line);
    expect(plainTextOf(posted ?? {})).toContain(
      '*Round of <!date^1767323040^{date_short_pretty} {time}|2026-01-02 03:04 UTC>*',
    );
    expect(fake.callsTo('chat.getPermalink')).toHaveLength(2);
  });

  it('turns archived and “not in this channel” into refusals the core words, other failures into a Slack PlatformError', async () => {
    platform = createSlackPlatform(slackConfig(fake), { listen: false, logger: logger() });
    for (const [error, refusal] of [
      ['not_in_channel', 'cannot_post_here'],
      ['channel_not_found', 'cannot_post_here'],
      ['is_archived', 'channel_archived'],
    ] as const) {
      fake.failNext('chat.postMessage', { error });
      const refused = await platform.openThread('slack:T0FAKETEAM:C1', NOTICE).catch((e) => e);
      expect(refused).toBeInstanceOf(PlatformError);
      expect(refused).toMatchObject({ platform: 'slack', refusal });
    }

    fake.failNext('chat.postMessage', { error: 'msg_too_long' });
    const failed = await platform
      .post('slack:T0FAKETEAM:C1:1700000000.000100', NOTICE)
      .catch((e) => e);
    expect(failed).toBeInstanceOf(PlatformError);
    expect(failed).toMatchObject({ refusal: undefined });
    expect(String(failed.message)).toBe('slack: chat.postMessage failed: msg_too_long');
  });

  it('hands a rate limit back at once with its Retry-After, and retries nothing itself', async () => {
    platform = createSlackPlatform(slackConfig(fake), { listen: false, logger: logger() });
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 30 });
    const started = Date.now();
    const limited = await platform
      .post('slack:T0FAKETEAM:C1:1700000000.000100', NOTICE)
      .catch((e) => e);
    expect(Date.now() - started).toBeLessThan(5000); // not the 30 s Slack asked for
    expect(limited).toBeInstanceOf(PlatformError);
    expect(limited).toMatchObject({ platform: 'slack', retryAfterMs: 30_000 });
    fake.failNext('chat.postMessage', { status: 503, error: 'service_unavailable' });
    await platform.post('slack:T0FAKETEAM:C1:1700000000.000100', NOTICE).catch(() => {});
    expect(fake.callsTo('chat.postMessage')).toHaveLength(2); // one call each: no blind retry
  });
});
