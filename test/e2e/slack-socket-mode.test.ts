/**
 * The Slack bot over Socket Mode (an app-level token, no public URL): the real Bolt app connects
 * to the fake Slack's WebSocket, and a round runs from envelopes.
 */
import { afterEach, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { type FakeSlack, messageEvent, plainTextOf, startFakeSlack } from '../fakes/slack/index.js';
import {
  type SlackBot,
  STRONG_LINES,
  startSlackBot,
  waitForPromptCard,
  waitForScorecard,
} from './slack-harness.js';

const PROMPT = 'rag-hallucination-measurement';

let fake: FakeSlack;
let bot: SlackBot;

beforeEach(async () => {
  fake = await startFakeSlack();
  bot = await startSlackBot(fake, { timeScale: 0.02, socket: true });
  await fake.socket.waitForConnection(1);
  onTestFailed(() => {
    process.stderr.write(bot.logs.join(''));
  });
});

afterEach(async () => {
  await bot?.stop();
  await fake?.close();
});

describe('the Slack bot over Socket Mode', () => {
  it('connects with the app-level token and listens on no HTTP port', () => {
    expect(bot.platform.mode).toBe('socket');
    expect(bot.platform.eventsUrl).toBeUndefined();
    expect(fake.callsTo('apps.connections.open')).toMatchObject([
      { token: fake.appToken, ok: true },
    ]);
  });

  it('runs a round started through a slash-command envelope: reply and End button as envelopes too', async () => {
    const ack = await fake.socket.sendSlashCommand({
      text: 'start rag-hallucination-measurement --minutes 30',
    });
    expect(ack.payload ?? {}).toEqual({});
    const root = await waitForPromptCard(fake);
    expect(plainTextOf(root)).toContain('Hallucination measurement in RAG');

    const reply = messageEvent(fake, { text: STRONG_LINES[0] as string, threadTs: root.ts });
    await fake.socket.sendEvent(reply);
    await expect
      .poll(async () => (await bot.round(root)).messages.map((m) => m.id), { timeout: 5000 })
      .toEqual([reply.ts]);

    await fake.socket.sendAction({ actionId: 'mockdesign_end', message: root });
    const scorecard = await waitForScorecard(fake, root, 10_000);
    expect(plainTextOf(scorecard)).toContain(fake.permalink(root.channel, reply.ts as string));
  });

  it('acks a thread reply only once it is stored, and a slash command at once', async () => {
    const ack = await fake.socket.sendSlashCommand({ text: `start ${PROMPT} --minutes 30` });
    expect(ack.payload ?? {}).toEqual({});
    const root = await waitForPromptCard(fake);
    const reply = messageEvent(fake, { text: STRONG_LINES[0] as string, threadTs: root.ts });
    await fake.socket.sendEvent(reply);
    // No waiting: by the time Slack has the ack, the reply is in Redis, so a process that dies
    // before storing it leaves Slack sending the envelope again.
    const { messages } = await bot.round(root);
    expect(messages.map((m) => m.id)).toContain(reply.ts);
  });

  it('answers a malformed command in the ack itself', async () => {
    const ack = await fake.socket.sendSlashCommand({ text: 'start --minutes ten' });
    expect(ack.payload).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('`--minutes` needs a whole number'),
    });
  });
});
