/**
 * The Slack bot end to end: the real Bolt app over HTTP, started through the Redis runtime (real
 * store, real BullMQ timers at a high time scale), against the fake Slack, with signed requests.
 */
import { afterEach, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import {
  type FakeSlack,
  type FakeSlackMessage,
  messageEvent,
  plainTextOf,
  startFakeSlack,
} from '../fakes/slack/index.js';
import {
  deliveryKeys,
  type SlackBot,
  STRONG_LINES,
  sleep,
  startSlackBot,
  threadAddress,
  waitForPromptCard,
  waitForScorecard,
} from './slack-harness.js';

const PROMPT = 'rag-hallucination-measurement';
/** 5-minute rounds run in 6 s. */
const TIME_SCALE = 0.02;

let fake: FakeSlack;
let bot: SlackBot;

beforeEach(async () => {
  fake = await startFakeSlack();
  bot = await startSlackBot(fake, { timeScale: TIME_SCALE });
  onTestFailed(() => {
    process.stderr.write(`bot log:\n${bot.logs.join('')}`);
    process.stderr.write(`ephemerals: ${JSON.stringify(fake.ephemerals)}\n`);
  });
});

afterEach(async () => {
  await bot?.stop();
  await fake?.close();
});

describe('the Slack bot over HTTP', () => {
  it('runs a whole round: /mockdesign start opens a thread, replies count, interviewer lines and a linked scorecard land in the thread', async () => {
    const candidate = bot.user();
    const started = Date.now();
    const ack = await candidate.command(`start ${PROMPT} --minutes 5`);
    expect(ack.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3000);

    const root = await waitForPromptCard(fake);
    expect(root.channel).toBe('C0PRACTICE');
    const card = plainTextOf(root);
    expect(card).toContain('Hallucination measurement in RAG');
    expect(card).toContain('Phase plan');
    expect(card).toMatch(/00:00\S* \*Framing\*/);
    expect(card).toContain('<@U0CANDIDATE>');
    const started_ = await fake.waitForResponse((r) => r.effect === 'ephemeral');
    expect(started_.body.text).toContain('has started');

    const sent = [];
    for (const line of STRONG_LINES) sent.push(await candidate.say(line, { threadTs: root.ts }));
    expect(sent.map((s) => s.status)).toEqual([200, 200, 200]);

    const scorecard = await waitForScorecard(fake, root);
    const text = plainTextOf(scorecard);
    expect(scorecard.blocks?.length).toBeLessThanOrEqual(50);
    expect(text).toMatch(/Scorecard — \d+\/100 · /);
    expect(text).toContain('Hypothesis definition');
    expect(text).toMatch(/^\*[█░]{4} \d\/4 · /m);
    expect(text).toContain('Signal–Impact–Evidence');
    // Evidence quotes link to the candidate's own messages.
    const links = sent.map((s) => fake.permalink('C0PRACTICE', s.event.ts as string));
    expect(links.some((l) => text.includes(`<${l}|[`))).toBe(true);
    expect(fake.callsTo('chat.getPermalink').length).toBeGreaterThan(0);

    const { session, messages } = await bot.round(root);
    expect(session.status).toBe('done');
    expect(messages.filter((m) => m.role === 'candidate').map((m) => m.id)).toEqual(
      sent.map((s) => s.event.ts),
    );
    // Every interviewer line and the scorecard in the thread, each once, with its delivery key.
    const keys = deliveryKeys(fake, root);
    expect(keys.map((k) => k.replace(`${session.id}-`, ''))).toEqual([
      'event-phase-sketch',
      'event-pivot',
      'event-phase-deep_dive',
      'event-five_minute_warning',
      'event-end',
      'scorecard',
    ]);
    // The round's buttons under each line: in the deep dive `next` would end the round, so its
    // lines offer End round alone, which asks first.
    const buttons = new Map(
      fake
        .thread(root.channel, root.ts)
        .filter((m) => m.thread_ts === root.ts)
        .map((m) => [
          String(m.metadata?.event_payload.key).replace(`${session.id}-`, ''),
          JSON.stringify(m.blocks ?? []),
        ]),
    );
    const actions = (key: string) =>
      [...(buttons.get(key) ?? '').matchAll(/"action_id":"(mockdesign_\w+)"/g)].map((a) => a[1]);
    expect(actions('event-phase-sketch')).toEqual(['mockdesign_next', 'mockdesign_end']);
    expect(actions('event-phase-deep_dive')).toEqual(['mockdesign_end']);
    expect(actions('event-five_minute_warning')).toEqual(['mockdesign_end']);
    expect(buttons.get('event-five_minute_warning')).toContain('End the round now?');
    const banner = fake.thread(root.channel, root.ts)[1];
    expect(plainTextOf(banner ?? {})).toMatch(/\*Solution sketch\* · 01:4\d in · 03:[12]\d left/);
  });

  it('rejects a bad signature and a stale timestamp with 401, and nothing changes', async () => {
    const candidate = bot.user();
    const bad = await candidate.command(`start ${PROMPT}`, {}, { badSignature: true });
    const stale = await candidate.command(`start ${PROMPT}`, {}, { staleTimestamp: true });
    const event = await candidate.say('hello', { threadTs: fake.nextTs() }, { badSignature: true });

    expect([bad.status, stale.status, event.status]).toEqual([401, 401, 401]);
    await sleep(300);
    expect(fake.messages).toHaveLength(0);
    expect(fake.responses).toHaveLength(0);
    expect(fake.calls.filter((c) => c.method !== 'auth.test')).toHaveLength(0);
    expect(await bot.store.findActive('slack', candidate.userId)).toBeUndefined();
  });

  it('answers bad arguments with an ephemeral error that shows the correct form, and starts nothing', async () => {
    const candidate = bot.user();
    const tooShort = await candidate.command('start --minutes 2');
    const unknown = await candidate.command('begin');
    const unknownPrompt = await candidate.command('start no-such-prompt');

    expect(tooShort.json).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('from 5 to 240 minutes'),
    });
    expect(unknown.json).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringMatching(/Unknown command "begin"[\s\S]*start \[prompt-id\|random\]/),
    });
    // Prompt ids are checked by the core, after the ack: the answer comes through the response URL.
    expect(unknownPrompt.status).toBe(200);
    const answer = await fake.waitForResponse((r) =>
      String(r.body.text).includes('no-such-prompt'),
    );
    expect(answer.effect).toBe('ephemeral');
    expect(String(answer.body.text)).toContain('Unknown prompt');
    expect(fake.messages).toHaveLength(0);
    expect(await bot.store.findActive('slack', candidate.userId)).toBeUndefined();
  });

  it('answers a thread reply with 200 only once it is stored, and a slash command at once', async () => {
    const candidate = bot.user();
    const command = await candidate.command(`start ${PROMPT} --minutes 30`);
    expect(command.status).toBe(200);
    const root = await waitForPromptCard(fake);
    const reply = await candidate.say(STRONG_LINES[0] as string, { threadTs: root.ts });
    expect(reply.status).toBe(200);
    // No waiting: by the time Slack hears back, the reply is in Redis.
    const { messages } = await bot.round(root);
    expect(messages.map((m) => m.id)).toContain(reply.event.ts);
  });

  it('tells someone who writes to the bot directly, with no round there, where rounds run', async () => {
    const candidate = bot.user();
    await candidate.sayDirect('hello? how do I start?');
    const hint = await fake.waitForEphemeral(/No round is running here/);
    expect(hint.channel).toBe(fake.directChannel(candidate.userId));
  });

  it('stores an event Slack retries (X-Slack-Retry-Num) once, and leaves another user out of a solo transcript', async () => {
    const candidate = bot.user();
    const bystander = bot.user('U0BYSTANDER');
    await candidate.command(`start ${PROMPT} --minutes 30`);
    const root = await waitForPromptCard(fake);

    const first = await candidate.say(STRONG_LINES[0] as string, { threadTs: root.ts });
    const retry = await candidate.sendEvent(
      first.event,
      {},
      { retryNum: 1, retryReason: 'http_timeout' },
    );
    const again = await candidate.sendEvent(
      first.event,
      {},
      { retryNum: 2, retryReason: 'http_timeout' },
    );
    const other = await bystander.say('I think you should just use Kafka.', { threadTs: root.ts });
    const own = await candidate.say(STRONG_LINES[1] as string, { threadTs: root.ts });
    expect([retry.status, again.status, other.status, own.status]).toEqual([200, 200, 200, 200]);

    await expectEventually(async () => {
      const { session, messages } = await bot.round(root);
      expect(session.replies).toBe(2);
      expect(messages.map((m) => [m.author, m.id])).toEqual([
        ['U0CANDIDATE', first.event.ts],
        ['U0CANDIDATE', own.event.ts],
      ]);
    });
    expect(fake.callsTo('chat.postEphemeral')).toHaveLength(0);
  });

  it('ends a round whose channel is archived mid-round and sends its scorecard to the candidate’s DM', async () => {
    const candidate = bot.user();
    await candidate.command(`start ${PROMPT} --minutes 5`);
    const root = await waitForPromptCard(fake);
    for (const line of STRONG_LINES) await candidate.say(line, { threadTs: root.ts });
    // Archived before the sketch opens at 1:40 of the 5-minute round (2 s here).
    fake.archive('C0PRACTICE');
    await expectEventually(async () => {
      const dm = fake.directChannel('U0CANDIDATE');
      const sent = fake.messages.filter((m) => m.channel === dm).map((m) => plainTextOf(m));
      expect(sent).toHaveLength(2);
      expect(sent[0]).toMatch(
        /I can no longer post in the thread of your round on "Hallucination measurement in RAG": its channel or thread was archived or locked\. So the round has ended; its scorecard comes here\./,
      );
      expect(sent[1]).toMatch(/Scorecard — \d+\/100 · /);
      // Taken out of the outbox once the platform has it, a moment after the post.
      const { session } = await bot.round(root);
      expect(session.status).toBe('done');
      expect(session.outbox).toEqual([]);
    }, 15_000);
    // Nothing after the prompt card reached the archived channel.
    expect(fake.thread('C0PRACTICE', root.ts)).toHaveLength(1);
  });

  it('leaves a reply its author deleted out of the transcript and the scorecard, answering nothing', async () => {
    const candidate = bot.user();
    await candidate.command(`start ${PROMPT} --minutes 30`);
    const root = await waitForPromptCard(fake);
    const pasted = 'oops, my API key is sk-live-PASTEDBYMISTAKE, ignore this';
    const kept = await candidate.say(STRONG_LINES[0] as string, { threadTs: root.ts });
    const mistake = await candidate.say(pasted, { threadTs: root.ts });
    expect((await candidate.delete(mistake.event)).status).toBe(200);
    // Slack delivers the deleted message again (a retry): it stays out.
    await candidate.sendEvent(mistake.event, {}, { retryNum: 1, retryReason: 'http_timeout' });
    await expectEventually(async () => {
      const { messages } = await bot.round(root);
      expect(messages.map((m) => [m.id, m.role, m.text])).toEqual([
        [kept.event.ts, 'candidate', STRONG_LINES[0]],
        [mistake.event.ts, 'withdrawn', ''],
      ]);
    });
    await candidate.clickButton({ actionId: 'mockdesign_end', message: root });
    const scorecard = await waitForScorecard(fake, root);
    expect(JSON.stringify(fake.messages)).not.toContain('PASTEDBYMISTAKE');
    expect(plainTextOf(scorecard)).toMatch(/Scorecard — \d+\/100/);
    expect(fake.callsTo('chat.postEphemeral')).toHaveLength(0);
  });

  it('tells the candidate ephemerally that a file shared without text is not read, and adds nothing', async () => {
    const candidate = bot.user();
    await candidate.command(`start ${PROMPT} --minutes 30`);
    const root = await waitForPromptCard(fake);
    const shared = messageEvent(fake, { text: '', threadTs: root.ts });
    shared.subtype = 'file_share';
    shared.files = [{ id: 'F0DIAGRAM', name: 'diagram.png', mimetype: 'image/png' }];
    expect((await candidate.sendEvent(shared)).status).toBe(200);
    const told = await fake.waitForEphemeral(/Files and images are not read/);
    expect(told).toMatchObject({ user: 'U0CANDIDATE', thread_ts: root.ts });
    const { session } = await bot.round(root);
    expect(session.replies).toBe(0);
  });

  it('tells the candidate once, ephemerally, that an edit is not taken, and keeps the first version', async () => {
    const candidate = bot.user();
    await candidate.command(`start ${PROMPT} --minutes 30`);
    const root = await waitForPromptCard(fake);
    const sent = await candidate.say(STRONG_LINES[0] as string, { threadTs: root.ts });
    await candidate.edit(sent.event, 'a different first answer');
    const told = await fake.waitForEphemeral(/Edits are not taken/);
    expect(told).toMatchObject({ user: 'U0CANDIDATE', thread_ts: root.ts });
    await candidate.edit(sent.event, 'and a third version');
    await sleep(300);
    expect(fake.ephemerals.filter((e) => /Edits are not taken/.test(e.text))).toHaveLength(1);
    const { messages } = await bot.round(root);
    expect(messages.map((m) => m.text)).toEqual([STRONG_LINES[0]]);
  });

  it('refuses End from anyone but the candidate, ephemerally, and the candidate’s End scores the round', async () => {
    const candidate = bot.user();
    const bystander = bot.user('U0BYSTANDER');
    await candidate.command(`start ${PROMPT} --minutes 30`);
    const root = await waitForPromptCard(fake);
    await candidate.say(STRONG_LINES[0] as string, { threadTs: root.ts });

    const click = await bystander.clickButton({ actionId: 'mockdesign_end', message: root });
    expect(click.status).toBe(200);
    const refusal = await fake.waitForResponse((r) => r.context.userId === 'U0BYSTANDER');
    expect(refusal.effect).toBe('ephemeral');
    expect(refusal.body.text).toBe('Only the candidate can end this round.');
    expect((await bot.round(root)).session.status).toBe('active');
    expect(root.revisions).toHaveLength(0);

    await candidate.clickButton({ actionId: 'mockdesign_end', message: root });
    const scorecard = await waitForScorecard(fake, root, 10_000);
    expect(plainTextOf(scorecard)).toContain('Hypothesis definition');
    const ended = await fake.waitForResponse(
      (r) => r.context.userId === 'U0CANDIDATE' && String(r.body.text).includes('Round ended'),
    );
    expect(ended.effect).toBe('ephemeral');
  });

  it('moves nothing when the candidate presses a Next phase button from a phase the round has left, and says so ephemerally', async () => {
    const candidate = bot.user();
    await candidate.command(`start ${PROMPT} --minutes 30`);
    const root = await waitForPromptCard(fake);
    /** Presses Next phase on `message` and waits for the answer to that press. */
    const pressNext = async (message: FakeSlackMessage) => {
      const { payload } = await candidate.clickButton({ actionId: 'mockdesign_next', message });
      return fake.waitForResponse((r) => r.url === payload.response_url);
    };
    expect((await pressNext(root)).body.text).toBe('Moved on to Solution sketch.');
    const { session } = await bot.round(root);
    const sketch = await fake.waitForMessage(
      (m) => m.metadata?.event_payload.key === `${session.id}-event-phase-sketch`,
    );
    expect((await pressNext(sketch)).body.text).toBe('Moved on to Research-impact deep dive.');

    // In the deep dive, the last phase, the prompt card's button would end the round unasked.
    const stale = await pressNext(root);
    expect(stale.effect).toBe('ephemeral');
    expect(stale.body.text).toBe(
      'The round is already in Research-impact deep dive, its last phase, so that Next phase button moved nothing. Press End round or say `end` when you are done.',
    );
    expect((await bot.round(root)).session).toMatchObject({ status: 'active', phase: 'deep_dive' });
    expect(deliveryKeys(fake, root).map((k) => k.replace(`${session.id}-`, ''))).toEqual([
      'event-phase-sketch',
      'event-phase-deep_dive',
    ]);
  });

  it('tells the candidate ephemerally, in the thread, when a reply is refused', async () => {
    const candidate = bot.user();
    await candidate.command(`start ${PROMPT} --minutes 30`);
    const root = await waitForPromptCard(fake);
    const tooLong = 'x'.repeat(20_001);

    const said = await candidate.say(tooLong, { threadTs: root.ts });
    expect(said.status).toBe(200);
    const refused = await fake.waitForEphemeral(/limit is 20,000/);
    expect(refused).toMatchObject({ user: 'U0CANDIDATE', thread_ts: root.ts });
    expect((await bot.round(root)).session.replies).toBe(0);
    expect(threadAddress(fake, root)).toBe(`slack:T0FAKETEAM:C0PRACTICE:${root.ts}`);
  });
});

/** Retries `check` until it passes or 5 s have gone by. */
async function expectEventually(check: () => Promise<void>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > end) throw error;
      await sleep(50);
    }
  }
}
