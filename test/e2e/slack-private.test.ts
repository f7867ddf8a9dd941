/**
 * What team challenges need from Slack, on the real Bolt app and Web API client against the fake
 * Slack: a round in the bot's DM with a person (`openPrivate`), edits of the bot's messages,
 * what Slack says about a person, the Start my attempt button, and people writing to the bot in
 * its DMs.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createSlackPlatform,
  decodeSlackAddress,
  encodeSlackAddress,
  type SlackPlatform,
} from '../../adapters/slack/index.js';
import { SlackPeople } from '../../adapters/slack/people.js';
import { createSlackClient } from '../../adapters/slack/web-client.js';
import type { CommandResult } from '../../src/commands/command.js';
import { PlatformError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import type { Card } from '../../src/presentation/card.js';
import { noticeCard } from '../../src/presentation/replies.js';
import {
  botMessageEvent,
  type FakeSlack,
  type FakeSlackOptions,
  plainTextOf,
  startFakeSlack,
} from '../fakes/slack/index.js';
import { listeningPlatform, slackConfig, sleep } from './slack-harness.js';

const TEAM = 'T0FAKETEAM';
const CHANNEL = `slack:${TEAM}:C0PRACTICE`;
const PROMPT = noticeCard('Your attempt: design the evaluation <of> a retriever & its judge.');

/** A challenge card with its Start my attempt button for challenge `id`. */
function challengeCard(id: string, attempts: number): Card {
  return {
    kind: 'challenge',
    tone: 'neutral',
    summary: `Team challenge — ${attempts} attempts so far`,
    blocks: [{ type: 'text', lines: [[`${attempts} attempts so far`]] }],
    controls: [
      { id: 'attempt', label: 'Start my attempt', style: 'primary', value: id, onlyFor: [] },
    ],
  };
}

const PEOPLE: FakeSlackOptions['users'] = [
  { id: 'U0ADMIN', is_admin: true, tz: 'Europe/Berlin' },
  { id: 'U0OWNER', is_owner: true, tz: 'America/New_York' },
  { id: 'U0PRIMARY', is_primary_owner: true },
  { id: 'U0MEMBER', tz: 'Asia/Kolkata' },
  { id: 'U0GONE', deleted: true },
];

let fake: FakeSlack;
let platform: SlackPlatform | undefined;
let logs: string[];
const logger = () => createLogger({ write: (line) => logs.push(line) });

beforeEach(async () => {
  fake = await startFakeSlack({ users: PEOPLE });
  logs = [];
});

afterEach(async () => {
  await platform?.stop();
  platform = undefined;
  await fake.close();
});

/** A platform that only posts, as a worker's. */
function outbound(): SlackPlatform {
  platform = createSlackPlatform(slackConfig(fake), { listen: false, logger: logger() });
  return platform;
}

/** A listening platform whose core is a stub recording commands and answering from `results`. */
async function listening(results: CommandResult[] = []) {
  const listened = await listeningPlatform(fake, logger(), results);
  platform = listened.platform;
  return listened;
}

/** What a call rejected with. */
const failure = (call: Promise<unknown>) =>
  call.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('a round in the bot’s DM with a person', () => {
  it('opens the DM, posts the card there as a thread root, and returns addresses that round-trip', async () => {
    const slack = outbound();
    const opened = await slack.openPrivate(CHANNEL, 'U0CANDIDATE', PROMPT);
    const dm = fake.directChannel('U0CANDIDATE');

    expect(dm).toMatch(/^D[A-Z0-9]+$/);
    expect(fake.callsTo('conversations.open').map((c) => c.params)).toEqual([
      { users: 'U0CANDIDATE' },
    ]);
    const root = fake.messages.find((m) => m.channel === dm);
    expect(root).toMatchObject({ thread_ts: undefined, via: 'chat.postMessage' });
    expect(plainTextOf(root ?? {})).toContain('design the evaluation &lt;of&gt; a retriever &amp;');
    expect(opened).toEqual({
      thread: `slack:${TEAM}:${dm}:${root?.ts}`,
      messageId: root?.ts,
      conversation: `slack:${TEAM}:${dm}`,
    });
    const thread = decodeSlackAddress(opened.thread);
    expect(thread).toEqual({ team: TEAM, channel: dm, threadTs: root?.ts });
    expect(encodeSlackAddress(thread)).toBe(opened.thread);
    expect(decodeSlackAddress(opened.conversation)).toEqual({ team: TEAM, channel: dm });
  });

  it('opens the same DM for the same person every time, and another for someone else', async () => {
    const slack = outbound();
    const first = await slack.openPrivate(CHANNEL, 'U0CANDIDATE', PROMPT);
    const again = await slack.openPrivate(CHANNEL, 'U0CANDIDATE', PROMPT);
    const other = await slack.openPrivate(CHANNEL, 'U0MEMBER', PROMPT);

    expect(again.conversation).toBe(first.conversation);
    expect(again.thread).not.toBe(first.thread);
    expect(other.conversation).not.toBe(first.conversation);
    expect(fake.callsTo('conversations.open')).toHaveLength(3);
  });

  it('posts, looks up a redelivery and answers privately in the DM thread as in a channel', async () => {
    const slack = outbound();
    const opened = await slack.openPrivate(CHANNEL, 'U0CANDIDATE', PROMPT);
    const { thread, messageId: root } = opened;
    const dm = fake.directChannel('U0CANDIDATE');
    const posted = await slack.post(thread, noticeCard('Framing: 10 minutes.'), {
      key: 'a1-event-x',
      redelivery: false,
    });
    const again = await slack.post(thread, noticeCard('Framing: 10 minutes.'), {
      key: 'a1-event-x',
      redelivery: true,
    });
    await slack.ephemeral(thread, 'U0CANDIDATE', noticeCard('only you'));

    expect(again.messageId).toBe(posted.messageId);
    expect(fake.thread(dm, root).map((m) => m.ts)).toEqual([root, posted.messageId]);
    expect(fake.callsTo('conversations.replies')[0]?.params).toMatchObject({ channel: dm });
    expect(fake.ephemerals).toMatchObject([
      { channel: dm, user: 'U0CANDIDATE', thread_ts: root, text: 'only you' },
    ]);
  });

  it('fails as a Slack PlatformError when the DM cannot be opened or the card cannot be posted', async () => {
    const slack = outbound();
    fake.failNext('conversations.open', { status: 500, error: 'internal_error' });
    const broken = await failure(slack.openPrivate(CHANNEL, 'U0CANDIDATE', PROMPT));
    expect(broken).toBeInstanceOf(PlatformError);
    expect(broken).toMatchObject({ platform: 'slack' });
    expect(String((broken as Error).message)).toMatch(/^slack: conversations\.open failed: /);

    const gone = await failure(slack.openPrivate(CHANNEL, 'U0GONE', PROMPT));
    expect(gone).toBeInstanceOf(PlatformError);
    expect((gone as Error).message).toBe('slack: conversations.open failed: user_disabled');

    fake.failNext('chat.postMessage', { error: 'channel_not_found' });
    const refused = await failure(slack.openPrivate(CHANNEL, 'U0CANDIDATE', PROMPT));
    expect(refused).toBeInstanceOf(PlatformError);
    expect(refused).toMatchObject({ platform: 'slack', refusal: 'cannot_post_here' });
    expect(fake.messages).toHaveLength(0);
  });
});

describe('editing the bot’s messages', () => {
  it('replaces a channel message’s text and blocks in place, rendered as a post is', async () => {
    const slack = outbound();
    const { messageId } = await slack.openThread(CHANNEL, challengeCard('ch-1', 0));
    await slack.edit(CHANNEL, messageId, challengeCard('ch-1', 3));

    const [card] = fake.messages;
    expect(fake.messages).toHaveLength(1);
    expect(card?.text).toBe('Team challenge — 3 attempts so far');
    expect(plainTextOf({ blocks: card?.blocks })).toContain('3 attempts so far');
    expect(card?.revisions.map((r) => r.text)).toEqual(['Team challenge — 0 attempts so far']);
    expect(JSON.stringify(card?.blocks)).toContain('"value":"ch-1"');
    expect(fake.callsTo('chat.update')[0]?.params).toMatchObject({
      channel: 'C0PRACTICE',
      ts: messageId,
      blocks: expect.any(Array),
    });
  });

  it('edits a message inside a thread, or in a DM, given the thread’s address', async () => {
    const slack = outbound();
    const { thread } = await slack.openThread(CHANNEL, noticeCard('challenge'));
    const board = await slack.post(thread, noticeCard('Leaderboard: nobody yet'));
    await slack.edit(thread, board.messageId, noticeCard('Leaderboard: 1. <@U0ADMIN>'));
    const opened = await slack.openPrivate(CHANNEL, 'U0CANDIDATE', PROMPT);
    await slack.edit(opened.thread, opened.messageId, noticeCard('Attempt over'));

    const edited = fake.messages.find((m) => m.ts === board.messageId);
    expect(edited?.text).toBe('Leaderboard: 1. &lt;@U0ADMIN&gt;');
    const dmCard = fake.messages.find((m) => m.ts === opened.messageId);
    expect(dmCard).toMatchObject({
      channel: fake.directChannel('U0CANDIDATE'),
      text: 'Attempt over',
    });
  });

  it('fails as a Slack PlatformError: an error answer, a server error, a message Slack does not have', async () => {
    const slack = outbound();
    const { messageId } = await slack.openThread(CHANNEL, noticeCard('challenge'));

    fake.failNext('chat.update', { error: 'channel_not_found' });
    const refused = await failure(slack.edit(CHANNEL, messageId, noticeCard('x')));
    expect(refused).toBeInstanceOf(PlatformError);
    expect(refused).toMatchObject({ platform: 'slack', refusal: 'cannot_post_here' });
    expect((refused as Error).message).toBe('slack: chat.update failed: channel_not_found');

    fake.failNext('chat.update', { status: 500, error: 'internal_error' });
    const broken = await failure(slack.edit(CHANNEL, messageId, noticeCard('x')));
    expect(broken).toBeInstanceOf(PlatformError);
    expect(broken).toMatchObject({ platform: 'slack', refusal: undefined });

    const missing = await failure(slack.edit(CHANNEL, '1600000000.000100', noticeCard('x')));
    expect((missing as Error).message).toBe('slack: chat.update failed: message_not_found');
    expect(fake.messages[0]?.revisions).toHaveLength(0);
  });
});

describe('what Slack says about a person', () => {
  it('admins, owners and primary owners manage the workspace; members do not; tz is the time zone', async () => {
    const slack = outbound();
    const people = await Promise.all(
      ['U0ADMIN', 'U0OWNER', 'U0PRIMARY', 'U0MEMBER'].map((u) => slack.person(CHANNEL, u)),
    );
    expect(people).toEqual([
      { manager: true, timeZone: 'Europe/Berlin' },
      { manager: true, timeZone: 'America/New_York' },
      { manager: true, timeZone: 'UTC' },
      { manager: false, timeZone: 'Asia/Kolkata' },
    ]);
    expect(fake.callsTo('users.info').map((c) => c.params.user)).toEqual([
      'U0ADMIN',
      'U0OWNER',
      'U0PRIMARY',
      'U0MEMBER',
    ]);
  });

  it('asks Slack once per person within five minutes, then again', async () => {
    let now = 1_000_000;
    const people = new SlackPeople(createSlackClient(slackConfig(fake), logger()), () => now);
    await people.person(CHANNEL, 'U0ADMIN');
    now += 4 * 60_000;
    expect(await people.person(CHANNEL, 'U0ADMIN')).toEqual({
      manager: true,
      timeZone: 'Europe/Berlin',
    });
    expect(fake.callsTo('users.info')).toHaveLength(1);
    now += 2 * 60_000;
    await people.person(CHANNEL, 'U0ADMIN');
    expect(fake.callsTo('users.info')).toHaveLength(2);
  });

  it('fails as a Slack PlatformError for a person Slack does not know', async () => {
    const error = await failure(outbound().person(CHANNEL, 'nobody'));
    expect(error).toBeInstanceOf(PlatformError);
    expect((error as Error).message).toBe('slack: users.info failed: user_not_found');
  });
});

describe('the Start my attempt button', () => {
  it('renders as mockdesign_attempt carrying the challenge id, and a press becomes attempt from the card’s channel', async () => {
    const answer = noticeCard('Your attempt has started in your DMs.');
    const { commands, user } = await listening([{ card: answer }]);
    const slack = platform as SlackPlatform;
    const { messageId } = await slack.openThread(CHANNEL, challengeCard('ch-7f3a', 0));
    const card = fake.messages.find((m) => m.ts === messageId);
    expect(card?.blocks).toContainEqual({
      type: 'actions',
      block_id: 'mockdesign_controls',
      elements: [
        expect.objectContaining({
          type: 'button',
          action_id: 'mockdesign_attempt',
          value: 'ch-7f3a',
          style: 'primary',
        }),
      ],
    });

    // The value is read from the card's own button, as Slack sends it back.
    const pressed = await user.clickButton({ actionId: 'mockdesign_attempt', message: card });
    expect(pressed.status).toBe(200);
    await expect
      .poll(() => commands)
      .toEqual([
        {
          kind: 'attempt',
          origin: { platform: 'slack', user: 'U0CANDIDATE', channel: CHANNEL },
          challengeId: 'ch-7f3a',
        },
      ]);
    const answered = await fake.waitForResponse();
    expect(answered.body).toMatchObject({
      response_type: 'ephemeral',
      text: 'Your attempt has started in your DMs.',
    });
  });

  it('ignores a press that carries no challenge id', async () => {
    const { commands, user } = await listening();
    const { messageId } = await (platform as SlackPlatform).openThread(CHANNEL, PROMPT);
    await user.clickButton({
      actionId: 'mockdesign_attempt',
      message: { channel: 'C0PRACTICE', ts: messageId },
    });
    await sleep(200);
    expect(commands).toEqual([]);
    expect(logs.join('')).toContain('a button press without a message or value to act on');
  });
});

describe('people writing to the bot in its DMs', () => {
  it('makes replies of a plain DM (the DM is its thread) and of a DM thread message, not of the bot’s own', async () => {
    const { commands, user } = await listening();
    const dm = fake.directChannel('U0CANDIDATE');
    const root = fake.nextTs();
    const own = botMessageEvent(fake, {
      text: 'the bot, in its DM',
      botId: fake.botId,
      botUserId: fake.botUserId,
      channel: dm,
      channelType: 'im',
    });
    await user.sendEvent(own);
    const plain = await user.sayDirect('My hypothesis: a reranker cuts hallucinations.');
    const threaded = await user.sayDirect('Arms: control and treatment.', { threadTs: root });

    expect(plain.event).toMatchObject({ channel: dm, channel_type: 'im' });
    expect(plain.event.thread_ts).toBeUndefined();
    await expect.poll(() => commands.length).toBe(2);
    await sleep(200);
    expect(commands).toEqual([
      {
        kind: 'reply',
        origin: {
          platform: 'slack',
          user: 'U0CANDIDATE',
          channel: `slack:${TEAM}:${dm}`,
          thread: `slack:${TEAM}:${dm}`,
        },
        messageId: plain.event.ts,
        text: 'My hypothesis: a reranker cuts hallucinations.',
      },
      {
        kind: 'reply',
        origin: {
          platform: 'slack',
          user: 'U0CANDIDATE',
          channel: `slack:${TEAM}:${dm}`,
          thread: `slack:${TEAM}:${dm}:${root}`,
        },
        messageId: threaded.event.ts,
        text: 'Arms: control and treatment.',
      },
    ]);
  });

  it('answers a plain DM privately in the DM when the core says so', async () => {
    const { user } = await listening([{ card: noticeCard('Noted.') }]);
    await user.sayDirect('hello');
    const told = await fake.waitForEphemeral('Noted.');
    expect(told).toMatchObject({
      channel: fake.directChannel('U0CANDIDATE'),
      user: 'U0CANDIDATE',
      thread_ts: undefined,
    });
  });
});

describe('the fake Slack’s direct messages', () => {
  it('conversations.open: one DM per person, already_open the second time, the full DM with return_im', async () => {
    const web = createSlackClient(slackConfig(fake), logger());
    const first = await web.conversations.open({ users: 'U0MEMBER' });
    const again = await web.conversations.open({ users: 'U0MEMBER', return_im: true });
    const byId = await web.conversations.open({ channel: first.channel?.id as string });

    expect(first).toMatchObject({ ok: true, channel: { id: fake.directChannel('U0MEMBER') } });
    expect(first.already_open).toBeUndefined();
    expect(again).toMatchObject({
      no_op: true,
      already_open: true,
      channel: { id: first.channel?.id, is_im: true, user: 'U0MEMBER' },
    });
    expect(byId.channel).toEqual({ id: first.channel?.id });
    const info = await web.conversations.info({ channel: first.channel?.id as string });
    expect(info.channel).toMatchObject({ is_im: true, user: 'U0MEMBER' });
  });

  it('conversations.open refuses as Slack does', async () => {
    const web = createSlackClient(slackConfig(fake), logger());
    const refusals: [Record<string, string>, string][] = [
      [{}, 'users_list_not_supplied'],
      [{ users: 'nobody' }, 'user_not_found'],
      [{ users: 'U0GONE' }, 'user_disabled'],
      [{ users: fake.botUserId }, 'cannot_dm_bot'],
      [{ channel: 'D0NEVEROPENED' }, 'channel_not_found'],
    ];
    for (const [args, error] of refusals) {
      await expect(web.apiCall('conversations.open', args)).rejects.toMatchObject({
        data: { error },
      });
    }
  });

  it('shows an ephemeral in a DM only to its member, and users.info carries roles and tz', async () => {
    const web = createSlackClient(slackConfig(fake), logger());
    const dm = fake.directChannel('U0MEMBER');
    await expect(
      web.chat.postEphemeral({ channel: dm, user: 'U0OTHER', text: 'x' }),
    ).rejects.toMatchObject({ data: { error: 'user_not_in_channel' } });
    await web.chat.postEphemeral({ channel: dm, user: 'U0MEMBER', text: 'for you' });
    expect(fake.ephemerals).toMatchObject([{ channel: dm, user: 'U0MEMBER', text: 'for you' }]);

    const member = await web.users.info({ user: 'U0MEMBER' });
    expect(member.user).toMatchObject({
      is_admin: false,
      is_owner: false,
      is_primary_owner: false,
      tz: 'Asia/Kolkata',
      tz_offset: 19_800,
    });
    const primary = await web.users.info({ user: 'U0PRIMARY' });
    expect(primary.user).toMatchObject({ is_admin: true, is_owner: true, is_primary_owner: true });
  });
});
