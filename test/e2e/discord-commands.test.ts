import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordPlatform } from '../../adapters/discord/index.js';
import { createLogger } from '../../src/logger.js';
import { GLOBAL_COMMANDS, type SendSlashCommandOptions } from '../fakes/discord/index.js';
import {
  banners,
  type DiscordRig,
  ephemeralAnswer,
  isScorecard,
  MEMBER,
  PROMPT_ID,
  startDiscordRig,
  startRound,
} from './discord-harness.js';

describe('/mockdesign on Discord: options, buttons and private answers', () => {
  let rig: DiscordRig;

  beforeAll(async () => {
    rig = await startDiscordRig({ timeScale: 0.02 });
  });

  afterAll(async () => {
    await rig?.close();
  });

  const slash = (
    subcommand: string,
    options: SendSlashCommandOptions['options'] = {},
    user?: typeof MEMBER,
  ) =>
    rig.fake.sendSlashCommand({
      name: 'mockdesign',
      subcommand,
      options,
      ...(user ? { user } : {}),
    });

  it('offers prompts from the library as autocomplete choices', async () => {
    const sent = rig.fake.sendAutocomplete({
      name: 'mockdesign',
      subcommand: 'start',
      options: { prompt: 'halluc' },
      focused: 'prompt',
    });
    const response = await rig.fake.waitForInteractionResponse(sent.id);
    expect(response.kind).toBe('autocomplete');
    expect(response.choices).toEqual([
      {
        name: 'Hallucination measurement in RAG (rag-hallucination-measurement)',
        value: PROMPT_ID,
      },
    ]);

    const all = rig.fake.sendAutocomplete({
      name: 'mockdesign',
      subcommand: 'start',
      focused: 'prompt',
    });
    const choices = (await rig.fake.waitForInteractionResponse(all.id)).choices ?? [];
    expect(choices[0]).toEqual({ name: 'Random prompt', value: 'random' });
    expect(choices).toHaveLength(Math.min(25, rig.library.prompts.size + 1));
  });

  it('refuses bad options with a private error and starts no round', async () => {
    const cases: Array<[SendSlashCommandOptions['options'], RegExp]> = [
      [{ minutes: 3 }, /from 5 to 240 minutes; 3 is out of range/],
      [{ minutes: 500 }, /500 is out of range/],
      [{ mode: 'async', minutes: 30 }, /measured in hours/],
      [{ hours: 10 }, /`hours` is for async rounds/],
      [{ prompt: 'no-such-prompt' }, /Unknown prompt "no-such-prompt"/],
    ];
    for (const [options, message] of cases) {
      const sent = slash('start', options);
      const response = await rig.fake.waitForInteractionResponse(sent.id);
      expect(response.ephemeral).toBe(true);
      expect(await ephemeralAnswer(rig.fake, sent)).toMatch(message);
    }
    expect(rig.fake.threads).toHaveLength(0);
    expect(rig.fake.messagesIn(rig.fake.channelId)).toHaveLength(0);
    expect(await rig.store.findActive('discord', rig.fake.user.id)).toBeUndefined();
  });

  it('refuses End round and Next phase from anyone but the candidate, privately', async () => {
    const { threadId, cardId } = await startRound(rig.fake, { minutes: 45 });
    const address = `discord:${rig.fake.guildId}:${threadId}`;

    const end = rig.fake.sendButton({ customId: 'mockdesign:end', message: cardId, user: MEMBER });
    expect(await ephemeralAnswer(rig.fake, end)).toBe('Only the candidate can end this round.');
    const next = rig.fake.sendButton({
      customId: 'mockdesign:next',
      message: cardId,
      user: MEMBER,
    });
    expect(await ephemeralAnswer(rig.fake, next)).toBe(
      'Only the candidate can move this round to the next phase.',
    );
    const fromThread = rig.fake.sendSlashCommand({
      name: 'mockdesign',
      subcommand: 'end',
      channelId: threadId,
      user: MEMBER,
    });
    expect(await ephemeralAnswer(rig.fake, fromThread)).toBe(
      'Only the candidate can end this round.',
    );

    const session = await rig.store.findByThread(address);
    expect(session).toMatchObject({ status: 'active', phase: 'framing' });
    expect(banners(rig.fake, threadId)).toEqual([]);
  });

  it('moves on and ends the round when the candidate presses the buttons', async () => {
    const session = await rig.store.findActive('discord', rig.fake.user.id);
    const threadId = session?.thread.split(':')[2] ?? '';

    const next = rig.fake.sendButton({ customId: 'mockdesign:next', message: threadId });
    expect(await ephemeralAnswer(rig.fake, next)).toBe('Moved on to Solution sketch.');
    const sketch = await rig.fake.waitForMessage(threadId, (m) =>
      m.embeds.some((e) => e.author?.name === 'Interviewer · Solution sketch'),
    );
    expect(sketch.components).toHaveLength(1);

    const end = rig.fake.sendButton({ customId: 'mockdesign:end', message: sketch.id });
    expect(await ephemeralAnswer(rig.fake, end)).toBe('Round ended — scoring it now.');
    await rig.fake.waitForMessage(threadId, isScorecard, { timeoutMs: 10_000 });
    expect((await rig.store.get(session?.id ?? ''))?.status).toBe('done');
  });

  it('answers in the thread when the core has something to say about a message there', async () => {
    const session = (await rig.store.history('discord', rig.fake.user.id, 1))[0];
    const threadId = session?.thread.split(':')[2] ?? '';
    const late = rig.fake.sendMessage({ channelId: threadId, content: 'One more thought.' });
    const reply = await rig.fake.waitForMessage(
      threadId,
      (m) => m.message_reference?.message_id === late.id,
    );
    expect(reply.content).toBe(
      'This round is over, so that reply was not added. Start a new one with `start`.',
    );
    expect(reply.author.id).toBe(rig.fake.botUser.id);
  });

  it('answers status, prompts, help, history and forget privately', async () => {
    expect(await ephemeralAnswer(rig.fake, slash('status'))).toMatch(/You have no round running/);
    expect(await ephemeralAnswer(rig.fake, slash('prompts'))).toContain(`\`${PROMPT_ID}\``);
    expect(await ephemeralAnswer(rig.fake, slash('help'))).toMatch(/^mockdesign runs a timed/);
    expect(await ephemeralAnswer(rig.fake, slash('history'))).toMatch(/\d+\/100/);
    expect(await ephemeralAnswer(rig.fake, slash('forget'))).toMatch(
      /deletes all 1 of your rounds/,
    );
    expect(await ephemeralAnswer(rig.fake, slash('forget', { confirm: true }))).toBe(
      'Deleted 1 round with their replies and scorecards.',
    );
    expect(await rig.store.history('discord', rig.fake.user.id, 10)).toEqual([]);
  });

  it('tells the candidate, in the thread, when their reply could not be saved', async () => {
    // A second bot on the same fake whose core fails every reply, as when Redis is down; without
    // a guild id it registers /mockdesign globally.
    const discord = rig.config.discord as NonNullable<typeof rig.config.discord>;
    const platform = createDiscordPlatform(
      { ...discord, guildId: undefined },
      { logger: createLogger({ write: () => {} }) },
    );
    const text =
      'Sorry — that reply could not be saved just now. Please send it again in a moment.';
    await platform.start(async (command) =>
      command.kind === 'reply' ? { text, failed: true } : {},
    );
    try {
      const thread = rig.fake.createThread({ name: 'a thread' });
      const message = rig.fake.sendMessage({ channelId: thread.id, content: 'my answer' });
      const reply = await rig.fake.waitForMessage(
        thread.id,
        (m) => m.message_reference?.message_id === message.id,
      );
      expect(reply.content).toBe(text);
      expect(rig.fake.commands.get(GLOBAL_COMMANDS)?.map((c) => c.name)).toEqual(['mockdesign']);
    } finally {
      await platform.stop();
    }
  });

  it('posts over REST alone when built for a worker process (listen: false), each delivery once', async () => {
    const discord = rig.config.discord as NonNullable<typeof rig.config.discord>;
    const platform = createDiscordPlatform(discord, { listen: false });
    expect(platform.client).toBeUndefined();
    await expect(platform.start(async () => ({}))).rejects.toThrow(/outbound only/);
    const connections = rig.fake.gatewayConnections.length;

    const prompt = rig.library.prompts.get(PROMPT_ID);
    if (!prompt) throw new Error('no prompt');
    const { thread, messageId } = await platform.openThread(
      `discord:${rig.fake.guildId}:${rig.fake.channelId}`,
      {
        kind: 'prompt',
        prompt,
        mode: 'async',
        minutes: 72 * 60,
        candidates: [rig.fake.user.id],
        phases: [],
        controls: [],
      },
    );
    expect(thread).toBe(`discord:${rig.fake.guildId}:${messageId}`);
    expect(rig.fake.getChannel(messageId)).toMatchObject({
      type: 11,
      thread_metadata: { auto_archive_duration: 10080 },
    });

    const notice = { kind: 'notice', text: 'Shown once.' } as const;
    const delivery = { key: 'r0123456789abcdef-notice', redelivery: false };
    const first = await platform.post(thread, notice, delivery);
    const again = await platform.post(thread, notice, { ...delivery, redelivery: true });
    expect(again.messageId).toBe(first.messageId);
    expect(rig.fake.messagesIn(messageId).map((m) => m.content)).toEqual(['Shown once.']);
    expect(await platform.permalink?.(thread, first.messageId)).toBe(
      `https://discord.com/channels/${rig.fake.guildId}/${messageId}/${first.messageId}`,
    );
    expect(rig.fake.gatewayConnections).toHaveLength(connections);
  });
});
