/**
 * Proves the fake Slack speaks Slack's wire protocol well enough for the real libraries: a real
 * `@slack/bolt` App over HTTP and over Socket Mode, and the real `@slack/web-api` client.
 */
import type { AddressInfo } from 'node:net';
import { App, LogLevel, SocketModeReceiver, webApi } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  botMessageEvent,
  type FakeSlack,
  messageEvent,
  SlackUser,
  startFakeSlack,
} from '../fakes/slack/index.js';

const SIGNING_SECRET = 'fake-signing-secret';

/** Registers the listeners both apps share: a `/mockdesign` command, a button and a message log. */
function wireListeners(app: App, received: Array<{ message: unknown; retryNum?: number }>): void {
  app.command('/mockdesign', async ({ ack, command, client }) => {
    await ack({ response_type: 'ephemeral', text: 'Setting up your round…' });
    await client.chat.postMessage({
      channel: command.channel_id,
      text: `Round started for <@${command.user_id}>: ${command.text}`,
      blocks: [
        {
          type: 'section',
          block_id: 'prompt',
          text: { type: 'mrkdwn', text: `*Round started* ${command.text}` },
        },
        {
          type: 'actions',
          block_id: 'controls',
          elements: [
            {
              type: 'button',
              action_id: 'end_round',
              value: 'session-1',
              text: { type: 'plain_text', text: 'End round' },
            },
          ],
        },
      ],
    });
  });
  app.action('end_round', async ({ ack, respond, action }) => {
    await ack();
    const value = action.type === 'button' ? action.value : undefined;
    await respond({ replace_original: true, text: `Round ${value} ended` });
  });
  app.message(async ({ message, context }) => {
    received.push({ message, retryNum: context.retryNum });
  });
}

describe('fake Slack with a real Bolt app over HTTP', () => {
  let fake: FakeSlack;
  let app: App;
  let user: SlackUser;
  const received: Array<{ message: unknown; retryNum?: number }> = [];

  beforeAll(async () => {
    fake = await startFakeSlack();
    app = new App({
      signingSecret: SIGNING_SECRET,
      token: fake.botToken,
      clientOptions: { slackApiUrl: fake.apiUrl },
      logLevel: LogLevel.ERROR,
    });
    wireListeners(app, received);
    const server = await app.start({ port: 0, host: '127.0.0.1' });
    const { port } = server.address() as AddressInfo;
    user = new SlackUser({
      url: `http://127.0.0.1:${port}/slack/events`,
      signingSecret: SIGNING_SECRET,
      workspace: fake,
    });
    // Bolt verifies its token with auth.test as it starts.
    await fake.waitForCall('auth.test');
  });

  beforeEach(() => {
    fake.reset();
    received.length = 0;
  });

  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  it('acks a signed slash command with 200 and posts the round message through the Web API', async () => {
    const result = await user.command('ml-eval-platform');

    expect(result.status).toBe(200);
    expect(result.json).toEqual({ response_type: 'ephemeral', text: 'Setting up your round…' });
    const message = await fake.waitForMessage({ channel: 'C0PRACTICE', text: /Round started/ });
    expect(message.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(message.text).toBe('Round started for <@U0CANDIDATE>: ml-eval-platform');
    expect(message.blocks).toHaveLength(2);
    const [call] = fake.callsTo('chat.postMessage');
    expect(call?.token).toBe(fake.botToken);
    expect(call?.params.blocks).toEqual(message.blocks);
  });

  it('rejects a bad signature or a stale timestamp with 401 and posts nothing', async () => {
    expect((await user.command('start', {}, { badSignature: true })).status).toBe(401);
    expect((await user.command('start', {}, { staleTimestamp: true })).status).toBe(401);

    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.messages).toHaveLength(0);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('answers url_verification with the challenge', async () => {
    const result = await user.verifyUrl('abc123');

    expect(result.status).toBe(200);
    expect(result.json).toEqual({ challenge: 'abc123' });
  });

  it('delivers thread replies to the message listener, with retries visible as context.retryNum', async () => {
    const parent = fake.nextTs();
    const first = await user.say('I hypothesize a two-stage retriever cuts errors 15%', {
      threadTs: parent,
    });
    const retried = await user.say(
      'next',
      { threadTs: parent },
      { retryNum: 1, retryReason: 'http_timeout' },
    );

    expect(first.status).toBe(200);
    expect(retried.status).toBe(200);
    await vi.waitFor(() => expect(received).toHaveLength(2));
    expect(received[0]?.message).toMatchObject({
      type: 'message',
      user: 'U0CANDIDATE',
      channel: 'C0PRACTICE',
      thread_ts: parent,
      ts: first.event.ts,
      text: 'I hypothesize a two-stage retriever cuts errors 15%',
    });
    expect(received[1]?.retryNum).toBe(1);
  });

  it('lets the app ignore its own bot messages but not other bots, and sees edits and deletions', async () => {
    const own = botMessageEvent(fake, {
      text: 'mine',
      botId: fake.botId,
      botUserId: fake.botUserId,
    });
    const other = botMessageEvent(fake, { text: 'theirs', botId: 'B0OTHERBOT' });
    const original = messageEvent(fake, { text: 'first draft' });

    await user.sendEvent(own);
    await user.sendEvent(other);
    await user.edit(original, 'second draft');
    await user.delete(original);

    await vi.waitFor(() => expect(received).toHaveLength(3));
    expect(received.map((r) => r.message)).toMatchObject([
      { bot_id: 'B0OTHERBOT', subtype: 'bot_message', text: 'theirs' },
      { subtype: 'message_changed', message: { text: 'second draft', ts: original.ts } },
      { subtype: 'message_deleted', deleted_ts: original.ts },
    ]);
  });

  it('runs a block action whose respond() reaches the response URL and replaces the message', async () => {
    await user.command('prompt-3');
    const message = await fake.waitForMessage({ text: 'Round started' });

    const click = await user.clickButton({ actionId: 'end_round', message });

    expect(click.status).toBe(200);
    expect(click.payload.actions).toMatchObject([
      { action_id: 'end_round', block_id: 'controls', value: 'session-1', type: 'button' },
    ]);
    const response = await fake.waitForResponse((r) => r.context.messageTs === message.ts);
    expect(response.body).toMatchObject({ replace_original: true, text: 'Round session-1 ended' });
    expect(response.effect).toBe('replaced');
    expect(message.text).toBe('Round session-1 ended');
    expect(message.revisions).toHaveLength(1);
  });
});

describe('fake Slack Web API with the real WebClient', () => {
  let fake: FakeSlack;

  beforeAll(async () => {
    fake = await startFakeSlack();
  });

  afterAll(async () => {
    await fake?.close();
  });

  function client(options: webApi.WebClientOptions = {}): webApi.WebClient {
    return new webApi.WebClient(fake.botToken, {
      slackApiUrl: fake.apiUrl,
      logLevel: webApi.LogLevel.ERROR,
      ...options,
    });
  }

  it('posts, threads, updates, links and deletes messages with increasing ts', async () => {
    const web = client();
    const parent = await web.chat.postMessage({ channel: 'C1', text: 'prompt' });
    const reply = await web.chat.postMessage({
      channel: 'C1',
      text: 'cut-in',
      thread_ts: parent.ts as string,
    });
    await web.chat.update({ channel: 'C1', ts: reply.ts as string, text: 'cut-in (edited)' });
    const link = await web.chat.getPermalink({ channel: 'C1', message_ts: parent.ts as string });
    const ephemeral = await web.chat.postEphemeral({ channel: 'C1', user: 'U1', text: 'only you' });
    await web.chat.delete({ channel: 'C1', ts: parent.ts as string });

    expect(Number(reply.ts)).toBeGreaterThan(Number(parent.ts));
    expect(link.permalink).toBe(`https://fake.slack/archives/C1/p${parent.ts?.replace('.', '')}`);
    expect(ephemeral.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(fake.thread('C1', parent.ts as string)).toMatchObject([
      { text: 'cut-in (edited)', thread_ts: parent.ts, edited: { user: fake.botUserId } },
    ]);
    expect(fake.ephemerals).toMatchObject([{ channel: 'C1', user: 'U1', text: 'only you' }]);
    await expect(
      web.chat.update({ channel: 'C1', ts: parent.ts as string, text: 'x' }),
    ).rejects.toMatchObject({
      data: { error: 'message_not_found' },
    });
  });

  it('reads a thread back with conversations.replies: parent first, replies oldest first, metadata on request, cursor pages', async () => {
    const web = client();
    const parent = (await web.chat.postMessage({ channel: 'C2', text: 'prompt' })).ts as string;
    const replies: string[] = [];
    for (const key of ['k1', 'k2', 'k3', 'k4']) {
      const posted = await web.chat.postMessage({
        channel: 'C2',
        thread_ts: parent,
        text: `line ${key}`,
        metadata: { event_type: 'mockdesign_post', event_payload: { key } },
      });
      replies.push(posted.ts as string);
    }
    const [r1, r2, r3, r4] = replies as [string, string, string, string];
    await web.chat.delete({ channel: 'C2', ts: r2 });
    // Another thread, and the same ts in another channel, stay out.
    const other = (await web.chat.postMessage({ channel: 'C2', text: 'other' })).ts as string;
    await web.chat.postMessage({ channel: 'C2', thread_ts: other, text: 'elsewhere' });
    await web.chat.postMessage({ channel: 'C3', thread_ts: parent, text: 'other channel' });

    const whole = await web.conversations.replies({ channel: 'C2', ts: parent });
    expect(whole).toMatchObject({
      ok: true,
      has_more: false,
      response_metadata: { next_cursor: '' },
    });
    expect(whole.messages?.map((m) => m.ts)).toEqual([parent, r1, r3, r4]);
    expect(whole.messages?.[0]).toMatchObject({
      type: 'message',
      text: 'prompt',
      user: fake.botUserId,
      bot_id: fake.botId,
      thread_ts: parent,
      reply_count: 3,
      reply_users: [fake.botUserId],
      latest_reply: r4,
    });
    expect(whole.messages?.[1]).toMatchObject({
      text: 'line k1',
      thread_ts: parent,
      parent_user_id: fake.botUserId,
    });
    // Metadata only with include_all_metadata.
    expect(whole.messages?.filter((m) => m.metadata)).toEqual([]);

    // The real client's paginator follows next_cursor; the parent opens every page.
    const pages = [];
    for await (const page of web.paginate('conversations.replies', {
      channel: 'C2',
      ts: parent,
      include_all_metadata: true,
      limit: 2,
    })) {
      pages.push(page as webApi.ConversationsRepliesResponse);
    }
    expect(pages.map((p) => p.messages?.map((m) => m.ts))).toEqual([
      [parent, r1, r3],
      [parent, r4],
    ]);
    expect(pages.map((p) => p.has_more)).toEqual([true, false]);
    expect(pages[0]?.response_metadata?.next_cursor).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(pages.flatMap((p) => p.messages?.slice(1).map((m) => m.metadata) ?? [])).toEqual([
      { event_type: 'mockdesign_post', event_payload: { key: 'k1' } },
      { event_type: 'mockdesign_post', event_payload: { key: 'k3' } },
      { event_type: 'mockdesign_post', event_payload: { key: 'k4' } },
    ]);
    const call = fake.callsTo('conversations.replies').at(-1);
    expect(call?.params).toMatchObject({ include_all_metadata: 'true', limit: '2' });

    // A reply's ts names its thread too; oldest/latest narrow the replies.
    const byReply = await web.conversations.replies({ channel: 'C2', ts: r3 });
    expect(byReply.messages?.map((m) => m.ts)).toEqual([parent, r1, r3, r4]);
    const after = await web.conversations.replies({ channel: 'C2', ts: parent, oldest: r1 });
    expect(after.messages?.map((m) => m.ts)).toEqual([parent, r3, r4]);
    const between = await web.conversations.replies({
      channel: 'C2',
      ts: parent,
      oldest: r1,
      latest: r3,
      inclusive: true,
    });
    expect(between.messages?.map((m) => m.ts)).toEqual([parent, r1, r3]);
    // A message without replies is a thread of one.
    const lone = await web.chat.postMessage({ channel: 'C2', text: 'alone' });
    const single = await web.conversations.replies({ channel: 'C2', ts: lone.ts as string });
    expect(single.messages).toEqual([expect.objectContaining({ ts: lone.ts, text: 'alone' })]);
    expect(single.messages?.[0]).not.toHaveProperty('reply_count');

    // A deleted parent whose replies remain shows as Slack's tombstone; deleted replies are gone.
    await web.chat.delete({ channel: 'C2', ts: parent });
    const orphaned = await web.conversations.replies({ channel: 'C2', ts: parent });
    expect(orphaned.messages?.map((m) => m.ts)).toEqual([parent, r1, r3, r4]);
    expect(orphaned.messages?.[0]).toMatchObject({
      subtype: 'tombstone',
      text: 'This message was deleted.',
      reply_count: 3,
    });

    for (const [args, error] of [
      [{ channel: 'C2', ts: '1600000000.000100' }, 'thread_not_found'],
      [{ channel: 'C9', ts: parent }, 'thread_not_found'],
      [{ channel: 'C2', ts: r2 }, 'thread_not_found'],
      [{ channel: 'C2', ts: parent, cursor: 'not-a-cursor' }, 'invalid_cursor'],
      [{ channel: 'C2', ts: parent, oldest: 'yesterday' }, 'invalid_ts_oldest'],
    ] as const) {
      await expect(web.conversations.replies(args)).rejects.toMatchObject({ data: { error } });
    }
  });

  it('keeps posted metadata as given, and refuses metadata without event_type and event_payload', async () => {
    const web = client();
    const metadata = { event_type: 'mockdesign_post', event_payload: { key: 'r1-x', n: 2 } };
    const posted = await web.chat.postMessage({ channel: 'C1', text: 'hi', metadata });

    expect(fake.messages.find((m) => m.ts === posted.ts)?.metadata).toEqual(metadata);
    await expect(
      web.apiCall('chat.postMessage', { channel: 'C1', text: 'x', metadata: { event_type: 'e' } }),
    ).rejects.toMatchObject({ data: { error: 'invalid_metadata_format' } });
  });

  it('answers users.info, conversations.info and auth.test, and checks the token', async () => {
    const user = await client().users.info({ user: 'U0CANDIDATE' });
    const channel = await client().conversations.info({ channel: 'C0PRACTICE' });
    const auth = await client().auth.test();

    expect(user.user).toMatchObject({ id: 'U0CANDIDATE', is_bot: false, tz: 'UTC' });
    expect(channel.channel).toMatchObject({ id: 'C0PRACTICE', is_channel: true });
    expect(auth).toMatchObject({
      user_id: fake.botUserId,
      bot_id: fake.botId,
      team_id: fake.teamId,
    });
    const intruder = new webApi.WebClient('xoxb-wrong', { slackApiUrl: fake.apiUrl });
    await expect(intruder.auth.test()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
    await expect(client().apiCall('nope.nope')).rejects.toMatchObject({
      data: { error: 'unknown_method' },
    });
  });

  it('rate-limits with 429 and Retry-After, which the client honours, and injects ok:false errors', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const strict = client({ rejectRateLimitedCalls: true });
    await expect(strict.chat.postMessage({ channel: 'C1', text: 'hi' })).rejects.toMatchObject({
      code: 'slack_webapi_rate_limited_error',
      retryAfter: 7,
    });

    fake.failNext('chat.postMessage', { status: 429, retryAfter: 0 });
    const patient = client({ retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 0 } });
    const posted = await patient.chat.postMessage({ channel: 'C1', text: 'after the limit' });
    expect(posted.ok).toBe(true);
    expect(
      fake
        .callsTo('chat.postMessage')
        .slice(-2)
        .map((c) => c.status),
    ).toEqual([429, 200]);

    fake.failNext('chat.postMessage', { error: 'ratelimited' });
    await expect(client().chat.postMessage({ channel: 'C1', text: 'x' })).rejects.toMatchObject({
      code: 'slack_webapi_platform_error',
      data: { error: 'ratelimited' },
    });
  });
});

describe('fake Slack with a real Bolt app over Socket Mode', () => {
  let fake: FakeSlack;
  let app: App;
  const received: Array<{ message: unknown; retryNum?: number }> = [];

  beforeAll(async () => {
    fake = await startFakeSlack();
    app = new App({
      token: fake.botToken,
      appToken: fake.appToken,
      socketMode: true,
      clientOptions: { slackApiUrl: fake.apiUrl },
      logLevel: LogLevel.ERROR,
    });
    wireListeners(app, received);
    await app.start();
  });

  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  it('opens the connection with the app-level token and gets hello', async () => {
    const [open] = fake.callsTo('apps.connections.open');
    expect(open).toMatchObject({ token: fake.appToken, ok: true });
    expect(fake.socket.openConnections).toBe(1);
  });

  it('delivers a slash command envelope and receives the ack with its response payload', async () => {
    const ack = await fake.socket.sendSlashCommand({ text: 'over-the-socket' });

    expect(ack.payload).toEqual({ response_type: 'ephemeral', text: 'Setting up your round…' });
    const message = await fake.waitForMessage({ text: 'over-the-socket' });
    expect(message.channel).toBe('C0PRACTICE');
  });

  it('delivers events and block actions as envelopes, each acked', async () => {
    const eventAck = await fake.socket.sendEvent(messageEvent(fake, { text: 'socket reply' }), {
      retryAttempt: 2,
      retryReason: 'timeout',
    });
    await vi.waitFor(() =>
      expect(received).toContainEqual({
        message: expect.objectContaining({ text: 'socket reply' }),
        retryNum: 2,
      }),
    );
    expect(eventAck.payload).toEqual({});

    const message = await fake.waitForMessage({ text: 'over-the-socket' });
    const actionAck = await fake.socket.sendAction({ actionId: 'end_round', message });
    expect(actionAck.envelope_id).toBe(fake.socket.envelopes.at(-1)?.envelope_id);
    await fake.waitForResponse((r) => r.effect === 'replaced');
    expect(message.text).toBe('Round session-1 ended');
  });
});

describe('fake Slack Socket Mode connection lifecycle', () => {
  it('reconnects after a disconnect message and keeps delivering', async () => {
    const fake = await startFakeSlack();
    // A short client ping timeout also shortens the client's reconnect delay (it waits one timeout).
    const receiver = new SocketModeReceiver({
      appToken: fake.appToken,
      clientPingTimeout: 300,
      installerOptions: { clientOptions: { slackApiUrl: fake.apiUrl } },
      logLevel: LogLevel.ERROR,
    });
    const app = new App({
      token: fake.botToken,
      receiver,
      clientOptions: { slackApiUrl: fake.apiUrl },
      logLevel: LogLevel.ERROR,
    });
    app.command('/mockdesign', async ({ ack }) => ack('ok'));
    try {
      await app.start();
      fake.socket.disconnect('refresh_requested');
      await fake.socket.waitForConnection(2);

      const ack = await fake.socket.sendSlashCommand();
      expect(ack.payload).toEqual({ text: 'ok' });
      expect(fake.callsTo('apps.connections.open')).toHaveLength(2);
    } finally {
      await app.stop();
      await fake.close();
    }
  });
});
