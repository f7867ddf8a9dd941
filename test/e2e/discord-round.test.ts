import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SUBCOMMANDS } from '../../src/commands/catalogue.js';
import type { FakeMessage } from '../fakes/discord/index.js';
import { DEFAULT_USER_ID } from '../fakes/discord/options.js';
import {
  banners,
  type DiscordRig,
  ephemeralAnswer,
  isScorecard,
  MEMBER,
  PROMPT_ID,
  startDiscordRig,
  startRound,
  withoutEscapes,
} from './discord-harness.js';

const ANSWERS = [
  'I hypothesize that a two-stage retriever with a groundedness reranker reduces unsupported claims by 15% on our 2,000-question internal benchmark versus the current single-stage baseline within four weeks.',
  'The experiment toggles the reranker on half the traffic: the control arm keeps the single-stage retriever, the primary metric is the unsupported-claim rate graded by humans on a 500-answer sample, and p95 latency is a guard-rail metric.',
  'A risk is that stale documents confound the result, so I would log index freshness per answer and stratify the analysis by document age.',
];
const BYSTANDER = 'I hypothesize the bystander-only phrase zebra-quartz is never scored.';

describe('a Discord round, from /mockdesign start to the scorecard in its thread', () => {
  let rig: DiscordRig;
  let threadId = '';
  let cardId = '';
  let answer = '';
  const candidateMessages: FakeMessage[] = [];
  let bystanderMessage: FakeMessage | undefined;
  let scorecard: FakeMessage[] = [];

  beforeAll(async () => {
    rig = await startDiscordRig({ timeScale: 0.02 }); // a 5-minute round in 6 s
  });

  afterAll(async () => {
    await rig?.close();
  });

  /** The round of the thread at `address`, once `count` of its messages are stored. */
  const roundWith = (address: string, count: number) =>
    vi.waitFor(
      async () => {
        const found = await rig.store.findByThread(address);
        expect(found && (await rig.store.messages(found.id))).toHaveLength(count);
        return found as NonNullable<typeof found>;
      },
      { timeout: 5_000 },
    );

  it('registers /mockdesign with its subcommands in the configured guild at start', () => {
    const [command] = rig.fake.commands.get(rig.fake.guildId) ?? [];
    expect(command?.name).toBe('mockdesign');
    const subcommands = command?.options?.map((o) => o.name);
    expect(subcommands).toEqual(SUBCOMMANDS.map((s) => s.name));
    const start = command?.options?.[0] as { options?: Array<Record<string, unknown>> };
    expect(start.options?.find((o) => o.name === 'prompt')).toMatchObject({ autocomplete: true });
    expect(start.options?.find((o) => o.name === 'minutes')).toMatchObject({
      min_value: 5,
      max_value: 240,
    });
    expect(start.options?.find((o) => o.name === 'mode')).toMatchObject({
      choices: [
        { name: 'live', value: 'live' },
        { name: 'async', value: 'async' },
      ],
    });
  });

  it('answers the slash command privately and posts the prompt card, with buttons, as the root of a thread', async () => {
    ({ threadId, cardId, answer } = await startRound(rig.fake));
    expect(answer).toContain('has started');

    const card = rig.fake.getMessage(cardId);
    expect(card?.channel_id).toBe(rig.fake.channelId);
    expect(card?.content).toContain(`<@${rig.fake.user.id}>`);
    const [embed] = card?.embeds ?? [];
    const prompt = rig.library.prompts.get(PROMPT_ID);
    expect(embed?.title).toBe(prompt?.title);
    expect(withoutEscapes(embed?.description ?? '')).toContain(prompt?.prompt);
    expect(embed?.fields?.[0]?.name).toMatch(/^Phase plan/);
    expect(embed?.fields?.[0]?.value).toContain('**Framing**');
    const row = card?.components?.[0] as
      | { components?: Array<Record<string, unknown>> }
      | undefined;
    const buttons = row?.components;
    expect(buttons?.map((b) => [b.custom_id, b.label])).toEqual([
      ['mockdesign:next:framing', 'Next phase'],
      ['mockdesign:end', 'End round'],
    ]);
    expect(rig.fake.getChannel(threadId)).toMatchObject({
      type: 11,
      parent_id: rig.fake.channelId,
    });
  });

  it('collects the candidate’s messages, ignores another member’s, and posts every interviewer event and the scorecard in the thread', async () => {
    for (const text of ANSWERS) {
      candidateMessages.push(rig.fake.sendMessage({ channelId: threadId, content: text }));
    }
    bystanderMessage = rig.fake.sendMessage({
      channelId: threadId,
      content: BYSTANDER,
      author: MEMBER,
    });

    await rig.fake.waitForMessage(threadId, isScorecard, { timeoutMs: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 500)); // nothing late or twice afterwards

    const rubric = rig.library.rubric;
    const prompt = rig.library.prompts.get(PROMPT_ID);
    const texts = banners(rig.fake, threadId).map((b) => b.text);
    const expected = [
      rubric.phases[1]?.opening,
      prompt?.pivot,
      rubric.phases[2]?.opening,
      rubric.closing.time,
    ];
    // In order (a technology probe may come in between or be added to a phase opening), and each once.
    const positions = expected.map((text) => texts.findIndex((t) => t.startsWith(text ?? '-')));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(new Set(texts).size).toBe(texts.length);
    expect(texts.some((t) => /\d+ (second|minute)s? left/.test(t))).toBe(true);

    const botMessages = rig.fake.messagesIn(threadId).filter((m) => m.author.bot);
    scorecard = botMessages.slice(botMessages.findIndex(isScorecard));
    expect(scorecard.length).toBeGreaterThanOrEqual(1);
    expect(botMessages.filter(isScorecard)).toHaveLength(1);
    // The bot never answered the bystander (nor the candidate's ordinary answers) in the thread.
    expect(botMessages.some((m) => m.message_reference)).toBe(false);
  });

  it('renders the scorecard as embeds: overall and band, criterion bars, evidence with jump links, flags, improvements and engine', () => {
    const embeds = scorecard.flatMap((m) => m.embeds);
    const [summary] = embeds;
    expect(summary?.title).toMatch(/^Scorecard — \d+\/100 · .+/);
    const fields = embeds.flatMap((e) => e.fields ?? []);
    const criteria = fields.filter((f) => /^[█░]{4} \d\/4 · /.test(f.name));
    expect(criteria).toHaveLength(rig.library.rubric.criteria.length);
    expect(criteria[0]?.name).toMatch(/^[█░]{4} \d\/4 · Hypothesis definition/);

    const links = [
      ...fields
        .map((f) => f.value)
        .join('\n')
        .matchAll(/https:\/\/discord\.com\/channels\/(\d+)\/(\d+)\/(\d+)/g),
    ];
    expect(links.length).toBeGreaterThan(0);
    const candidateIds = new Set(candidateMessages.map((m) => m.id));
    for (const [, guild, channel, message] of links) {
      expect(guild).toBe(rig.fake.guildId);
      expect(channel).toBe(threadId);
      expect(candidateIds.has(message ?? '')).toBe(true);
    }
    expect(fields.some((f) => f.name.startsWith('Red flags'))).toBe(true);
    expect(fields.some((f) => f.name === 'Improvements')).toBe(true);
    expect(embeds.at(-1)?.footer?.text).toMatch(/^Scored by the rule-based scorer/);
    expect(JSON.stringify(embeds)).not.toContain('zebra-quartz');
  });

  it('keeps another member’s message in a solo thread out of the stored transcript', async () => {
    const session = await rig.store.findByThread(`discord:${rig.fake.guildId}:${threadId}`);
    expect(session?.status).toBe('done');
    expect(session?.candidates).toEqual([rig.fake.user.id]);
    const stored = await rig.store.messages(session?.id ?? '');
    const candidate = stored.filter((m) => m.role === 'candidate');
    expect(candidate.map((m) => m.id)).toEqual(candidateMessages.map((m) => m.id));
    expect(candidate.map((m) => m.text)).toEqual(ANSWERS);
    expect(stored.some((m) => m.id === bystanderMessage?.id)).toBe(false);
    expect(stored.some((m) => m.text.includes('zebra-quartz'))).toBe(false);
    const card = await rig.store.getScorecard(session?.id ?? '');
    expect(card?.overall).toBeGreaterThan(0);
  });
  it('leaves a message its author deleted out of the transcript and the scorecard, answering nothing', async () => {
    const { threadId: thread } = await startRound(rig.fake, { minutes: 30 });
    const address = `discord:${rig.fake.guildId}:${thread}`;
    const kept = rig.fake.sendMessage({ channelId: thread, content: ANSWERS[0] as string });
    const mistake = rig.fake.sendMessage({
      channelId: thread,
      content: 'oops, pasted my token PASTEDBYMISTAKE here, ignore this',
    });
    const session = await roundWith(address, 2);
    rig.fake.deleteMessage(mistake.id);
    await vi.waitFor(
      async () => {
        const stored = await rig.store.messages(session.id);
        expect(stored.map((m) => m.role)).toContain('withdrawn');
      },
      { timeout: 5_000 },
    );
    rig.fake.sendMessage({ channelId: thread, content: 'end' });
    await rig.fake.waitForMessage(thread, isScorecard, { timeoutMs: 20_000 });
    const stored = await rig.store.messages(session.id);
    expect(
      stored.filter((m) => m.role !== 'interviewer').map((m) => [m.id, m.role, m.text]),
    ).toEqual([
      [kept.id, 'candidate', ANSWERS[0]],
      [mistake.id, 'withdrawn', ''],
      [expect.any(String), 'command', 'end'],
    ]);
    const posted = rig.fake.messagesIn(thread).filter((m) => m.author.bot);
    expect(JSON.stringify(posted)).not.toContain('PASTEDBYMISTAKE');
    expect(posted.filter((m) => m.message_reference?.message_id === mistake.id)).toEqual([]);
  });
  it('withdraws the replies a moderator purged in bulk from the transcript and the scorecard, keeping the rest', async () => {
    const { threadId: thread } = await startRound(rig.fake, { minutes: 30 });
    const address = `discord:${rig.fake.guildId}:${thread}`;
    const purgedFirst = rig.fake.sendMessage({
      channelId: thread,
      content: 'I hypothesize PURGEDONE cuts unsupported claims by 40% versus the baseline.',
    });
    const kept = rig.fake.sendMessage({ channelId: thread, content: ANSWERS[0] as string });
    const purgedSecond = rig.fake.sendMessage({
      channelId: thread,
      content: 'The metric is PURGEDTWO, measured on every answer against the control arm.',
    });
    const session = await roundWith(address, 3);
    rig.fake.deleteMessages([purgedFirst.id, purgedSecond.id]);
    await vi.waitFor(
      async () => {
        const stored = await rig.store.messages(session.id);
        expect(stored.filter((m) => m.role === 'withdrawn')).toHaveLength(2);
      },
      { timeout: 5_000 },
    );
    rig.fake.sendMessage({ channelId: thread, content: 'end' });
    await rig.fake.waitForMessage(thread, isScorecard, { timeoutMs: 20_000 });
    const stored = await rig.store.messages(session.id);
    expect(
      stored.filter((m) => m.role !== 'interviewer').map((m) => [m.id, m.role, m.text, m.author]),
    ).toEqual([
      [purgedFirst.id, 'withdrawn', '', rig.fake.user.id],
      [kept.id, 'candidate', ANSWERS[0], rig.fake.user.id],
      [purgedSecond.id, 'withdrawn', '', rig.fake.user.id],
      [expect.any(String), 'command', 'end', rig.fake.user.id],
    ]);
    const posted = JSON.stringify(rig.fake.messagesIn(thread).filter((m) => m.author.bot));
    expect(posted).toContain(kept.id);
    for (const purged of ['PURGEDONE', 'PURGEDTWO', purgedFirst.id, purgedSecond.id]) {
      expect(posted).not.toContain(purged);
    }
  });
  it('ends a round whose thread a moderator locked and sends its scorecard to the candidate’s DMs', async () => {
    const { threadId: thread } = await startRound(rig.fake, { minutes: 5 });
    const address = `discord:${rig.fake.guildId}:${thread}`;
    rig.fake.sendMessage({ channelId: thread, content: ANSWERS[0] as string });
    await roundWith(address, 1);
    // Locked (and archived) before the sketch opens at 1:40 of the 5-minute round (2 s here).
    const locked = { status: 403, code: 160005, message: 'Thread is locked' };
    rig.fake.failNext(`POST /channels/${thread}/messages`, locked, 1_000);
    try {
      const dm = await vi.waitFor(
        () => {
          const channel = rig.fake.directChannelWith(DEFAULT_USER_ID);
          const sent = channel ? rig.fake.messagesIn(channel.id) : [];
          expect(sent.some(isScorecard)).toBe(true);
          return sent;
        },
        { timeout: 15_000, interval: 100 },
      );
      expect(withoutEscapes(dm[0]?.content ?? JSON.stringify(dm[0]?.embeds))).toMatch(
        /I can no longer post in the thread of your round on ".+": its channel or thread was archived or locked\. So the round has ended; its scorecard comes here\./,
      );
      expect(dm.filter(isScorecard)).toHaveLength(1);
      const session = await rig.store.findByThread(address);
      expect(session?.status).toBe('done');
      expect(session?.outbox).toEqual([]);
    } finally {
      rig.fake.heal();
    }
  });
  it('tells the candidate that an image sent without text is not read, and adds nothing', async () => {
    const { threadId: thread } = await startRound(rig.fake, { minutes: 30 });
    const image = rig.fake.sendMessage({ channelId: thread, content: '', files: ['diagram.png'] });
    const answer = await rig.fake.waitForMessage(
      thread,
      (m) => m.message_reference?.message_id === image.id,
    );
    expect(withoutEscapes(answer.content)).toContain('Files and images are not read');
    const session = await rig.store.findByThread(`discord:${rig.fake.guildId}:${thread}`);
    expect(session?.replies).toBe(0);
    rig.fake.sendMessage({ channelId: thread, content: 'end' });
    await rig.fake.waitForMessage(thread, isScorecard, { timeoutMs: 20_000 });
  });
  it('tells the candidate once, in a reply, that an edit is not taken, and keeps the first version', async () => {
    const { threadId: thread } = await startRound(rig.fake, { minutes: 30 });
    const sent = rig.fake.sendMessage({ channelId: thread, content: ANSWERS[0] as string });
    const address = `discord:${rig.fake.guildId}:${thread}`;
    const session = await roundWith(address, 1);
    rig.fake.editMessage(sent.id, 'a different first answer');
    const told = await rig.fake.waitForMessage(
      thread,
      (m) => m.message_reference?.message_id === sent.id,
    );
    expect(withoutEscapes(told.content)).toContain('Edits are not taken');
    rig.fake.editMessage(sent.id, 'and a third version');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const replies = rig.fake
      .messagesIn(thread)
      .filter((m) => m.message_reference?.message_id === sent.id);
    expect(replies).toHaveLength(1);
    expect((await rig.store.messages(session.id)).map((m) => m.text)).toEqual([ANSWERS[0]]);
    rig.fake.sendMessage({ channelId: thread, content: 'end' });
    await rig.fake.waitForMessage(thread, isScorecard, { timeoutMs: 20_000 });
  });
  it('moves nothing when the candidate presses a Next phase button from a phase the round has left, and says so privately', async () => {
    const { threadId: thread, cardId: card } = await startRound(rig.fake, { minutes: 30 });
    /** Presses the Next phase button on the message `id`, as the bot posted it. */
    const pressNext = (id: string) => {
      const row = rig.fake.getMessage(id)?.components?.[0] as
        | { components?: Array<{ custom_id?: string }> }
        | undefined;
      const customId = row?.components
        ?.map((b) => b.custom_id ?? '')
        .find((c) => c.startsWith('mockdesign:next'));
      if (!customId) throw new Error(`no Next phase button on message ${id}`);
      return ephemeralAnswer(rig.fake, rig.fake.sendButton({ customId, message: id }));
    };
    expect(await pressNext(card)).toBe('Moved on to Solution sketch.');
    const sketch = await rig.fake.waitForMessage(thread, (m) =>
      m.embeds.some((e) => e.author?.name.startsWith('Interviewer · Solution sketch')),
    );
    expect(await pressNext(sketch.id)).toBe('Moved on to Research-impact deep dive.');

    // In the deep dive, the last phase, the prompt card's button would end the round unasked.
    expect(await pressNext(card)).toBe(
      'The round is already in Research-impact deep dive, its last phase, so that Next phase button moved nothing. Press End round or say `end` when you are done.',
    );
    const address = `discord:${rig.fake.guildId}:${thread}`;
    expect(await rig.store.findByThread(address)).toMatchObject({
      status: 'active',
      phase: 'deep_dive',
    });
    expect(banners(rig.fake, thread).map((b) => b.phase.split(' · ')[1])).toEqual([
      'Solution sketch',
      'Research-impact deep dive',
    ]);
    rig.fake.sendMessage({ channelId: thread, content: 'end' });
    await rig.fake.waitForMessage(thread, isScorecard, { timeoutMs: 20_000 });
  });
});
