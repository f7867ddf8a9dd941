import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockdesignCommand } from '../../adapters/discord/commands.js';
import { createDiscordPlatform } from '../../adapters/discord/index.js';
import { commandFromSlash, type SlashOptions } from '../../adapters/discord/slash-command.js';
import { PRODUCT_SUMMARY, SUBCOMMANDS } from '../../src/commands/catalogue.js';
import type { Origin } from '../../src/commands/command.js';
import { type StartRequest, startCommand } from '../../src/commands/parse.js';
import { UserError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import { timerId } from '../../src/ports/scheduler.js';
import { present } from '../../src/presentation/present.js';
import {
  noticeCard,
  platformRefusalCard,
  replyNotSavedCard,
} from '../../src/presentation/replies.js';
import {
  forgottenCard,
  movedOnCard,
  refusals,
  roundEndedCard,
} from '../../src/presentation/round-replies.js';
import { GLOBAL_COMMANDS, type SendSlashCommandOptions } from '../fakes/discord/index.js';
import { waitingTimers } from '../integration/waiting-timers.js';
import {
  banners,
  type DiscordRig,
  ephemeralAnswer,
  isScorecard,
  MEMBER,
  messageText,
  PROMPT_ID,
  startDiscordRig,
  startRound,
} from './discord-harness.js';

const ORIGIN: Origin = { platform: 'discord', user: 'U', channel: 'discord:1:2' };

/** What the core's one validator says of a start request it refuses, given as typed options. */
function refusalOf(request: StartRequest): string {
  try {
    startCommand(request, ORIGIN, 'typed');
  } catch (error) {
    if (error instanceof UserError) return error.message;
    throw error;
  }
  throw new Error(`the core accepts ${JSON.stringify(request)}`);
}

/** `HH:MM`: the time `at` (epoch ms) shows on a clock in `zone`. */
function localClock(at: number, zone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}

/**
 * A zone where `at` (epoch ms) falls between 05:00 and 06:00: in the night, at most three hours
 * before its morning. The Etc zones lie whole hours from UTC, so one of them always does (their
 * signs are POSIX's: `Etc/GMT-3` is three hours ahead).
 */
function zoneWhereItIsFive(at: number): string {
  for (let ahead = -12; ahead <= 14; ahead++) {
    const zone = ahead === 0 ? 'UTC' : `Etc/GMT${ahead > 0 ? '-' : '+'}${Math.abs(ahead)}`;
    if (localClock(at, zone).startsWith('05:')) return zone;
  }
  throw new Error(`no zone has 05:00 at ${new Date(at).toISOString()}`);
}

describe('/mockdesign as registered, from the core’s catalogue', () => {
  const options = (sub: string, values: Record<string, string | number | boolean> = {}) =>
    ({
      getSubcommand: () => sub,
      getString: (name: string) => (typeof values[name] === 'string' ? values[name] : null),
      getInteger: (name: string) => (typeof values[name] === 'number' ? values[name] : null),
      getBoolean: (name: string) => (typeof values[name] === 'boolean' ? values[name] : null),
    }) as SlashOptions;

  it('has a subcommand per catalogue entry, with its summary and typed options', () => {
    const command = mockdesignCommand();
    expect(command.name).toBe('mockdesign');
    expect(command.description).toBe(PRODUCT_SUMMARY);
    const subcommands = (command.options ?? []) as unknown as Array<{
      name: string;
      description: string;
      options?: Array<Record<string, unknown>>;
    }>;
    expect(subcommands.map((s) => [s.name, s.description])).toEqual(
      SUBCOMMANDS.map((s) => [s.name, s.summary]),
    );
    for (const [index, spec] of SUBCOMMANDS.entries()) {
      const registered = subcommands[index]?.options ?? [];
      expect(registered.map((o) => [o.name, o.description])).toEqual(
        spec.options.map((o) => [o.name, o.description]),
      );
      for (const [i, o] of spec.options.entries()) {
        const type = { string: 3, integer: 4, boolean: 5 }[o.type];
        expect(registered[i]).toMatchObject({ type });
        if (o.min !== undefined) expect(registered[i]).toMatchObject({ min_value: o.min });
        if (o.max !== undefined) expect(registered[i]).toMatchObject({ max_value: o.max });
        if (o.choices) expect(registered[i]).toMatchObject({ choices: o.choices });
        if (o.autocomplete) expect(registered[i]).toMatchObject({ autocomplete: true });
      }
    }
  });

  it('hands start options to the core as given, and builds forget and the simple commands', () => {
    expect(commandFromSlash(options('start', { prompt: ' RAG-x ', minutes: 30 }), ORIGIN)).toEqual(
      startCommand({ prompt: ' RAG-x ', minutes: 30 }, ORIGIN),
    );
    expect(commandFromSlash(options('start', { mode: 'async', hours: 48 }), ORIGIN)).toMatchObject({
      mode: 'async',
      minutes: 48 * 60,
      promptId: undefined,
    });
    expect(
      commandFromSlash(options('start', { mode: 'async', tz: 'Europe/Berlin' }), ORIGIN),
    ).toMatchObject({ mode: 'async', minutes: 72 * 60, timeZone: 'Europe/Berlin' });
    expect(commandFromSlash(options('forget', { confirm: true }), ORIGIN)).toEqual({
      kind: 'forget',
      origin: ORIGIN,
      confirmed: true,
    });
    expect(commandFromSlash(options('forget'), ORIGIN)).toMatchObject({ confirmed: false });
    for (const name of ['next', 'end', 'status', 'prompts', 'history', 'help']) {
      expect(commandFromSlash(options(name), ORIGIN)).toEqual({ kind: name, origin: ORIGIN });
    }
  });

  it('refuses bad minutes, hours and modes in the words of the core’s validator', () => {
    const bad: StartRequest[] = [
      { minutes: 4 },
      { minutes: 241 },
      { mode: 'async', hours: 0 },
      { mode: 'async', hours: 10_000 },
      { mode: 'async', minutes: 30 },
      { hours: 10 },
      { mode: 'fast' },
      { tz: 'Europe/Berlin' },
      { mode: 'async', tz: 'Mars/Base' },
    ];
    for (const request of bad) {
      const values = Object.fromEntries(
        Object.entries(request).filter(([, v]) => v !== undefined && v !== null),
      ) as Record<string, string | number>;
      expect(() => commandFromSlash(options('start', values), ORIGIN)).toThrow(
        new UserError(refusalOf(request)),
      );
    }
    expect(() => commandFromSlash(options('dance'), ORIGIN)).toThrow(UserError);
  });
});

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

  /** The autocomplete response to `typed` in the prompt option of `subcommand`. */
  const suggested = async (subcommand: string, typed?: string) => {
    const sent = rig.fake.sendAutocomplete({
      name: 'mockdesign',
      subcommand,
      ...(typed === undefined ? {} : { options: { prompt: typed } }),
      focused: 'prompt',
    });
    return rig.fake.waitForInteractionResponse(sent.id);
  };

  it('offers prompts from the library as autocomplete choices', async () => {
    const response = await suggested('start', 'halluc');
    expect(response.kind).toBe('autocomplete');
    expect(response.choices).toEqual([
      {
        name: 'Hallucination measurement in RAG (rag-hallucination-measurement)',
        value: PROMPT_ID,
      },
    ]);
    const choices = (await suggested('start')).choices ?? [];
    expect(choices[0]).toEqual({ name: 'random', value: 'random' });
    expect(choices).toHaveLength(Math.min(25, rig.library.prompts.size + 2));
  });

  it('suggests adaptive beside random, as the prompt option’s description promises', async () => {
    const offered = (await suggested('start', 'adap')).choices ?? [];
    expect(offered[0]).toEqual({ name: 'adaptive', value: 'adaptive' });

    const choices = (await suggested('challenge')).choices ?? [];
    expect(choices.slice(0, 2)).toEqual([
      { name: 'random', value: 'random' },
      { name: 'adaptive', value: 'adaptive' },
    ]);
    expect(choices).toHaveLength(Math.min(25, rig.library.prompts.size + 2));
  });

  it('names the remind commands as Discord takes them', async () => {
    expect(await ephemeralAnswer(rig.fake, slash('remind', { when: 'snooze 1w' }))).toBe(
      'You have no reminder to snooze. Set one with `/mockdesign remind when:weekly mon 09:00`.',
    );
    const set = await ephemeralAnswer(rig.fake, slash('remind', { when: 'weekly mon 09:00' }));
    expect(set).toContain(
      '`/mockdesign remind when:snooze 1w` pauses it for a week; `/mockdesign remind when:off` stops it.',
    );
    await ephemeralAnswer(rig.fake, slash('remind', { when: 'off' }));
  });

  it('refuses a malformed remind rule privately, naming the remind command as Discord takes it', async () => {
    const sent = slash('remind', { when: 'weekly 09:00', tz: 'Europe/Berlin' });
    expect((await rig.fake.waitForInteractionResponse(sent.id)).ephemeral).toBe(true);
    expect(await ephemeralAnswer(rig.fake, sent)).toBe(
      '"weekly 09:00" is not a rule. Write `/mockdesign remind when:weekly mon 09:00` (or `daily 08:30`, `weekdays 09:00`, with `tz:Area/City` if you like), `/mockdesign remind when:snooze 1w` (or `3d`), or `/mockdesign remind when:off`.',
    );
  });

  it('refuses bad options with a private error in the core’s words and starts no round', async () => {
    const cases: Array<[SendSlashCommandOptions['options'], string | RegExp]> = [
      [{ minutes: 3 }, refusalOf({ minutes: 3 })],
      [{ minutes: 500 }, refusalOf({ minutes: 500 })],
      [{ mode: 'async', minutes: 30 }, refusalOf({ mode: 'async', minutes: 30 })],
      [{ mode: 'async', hours: 0 }, refusalOf({ mode: 'async', hours: 0 })],
      [{ hours: 10 }, refusalOf({ hours: 10 })],
      [{ tz: 'Europe/Berlin' }, refusalOf({ tz: 'Europe/Berlin' })],
      [{ mode: 'async', tz: 'Mars/Base' }, refusalOf({ mode: 'async', tz: 'Mars/Base' })],
      [{ prompt: 'no-such-prompt' }, /Unknown prompt "no-such-prompt"/],
    ];
    for (const [options, message] of cases) {
      const sent = slash('start', options);
      const response = await rig.fake.waitForInteractionResponse(sent.id);
      expect(response.ephemeral).toBe(true);
      const answer = await ephemeralAnswer(rig.fake, sent);
      if (typeof message === 'string') expect(answer).toBe(message);
      else expect(answer).toMatch(message);
      // Options are named as Discord takes them (`minutes:`), never as text (`--minutes`).
      expect(answer).not.toContain('--');
    }
    expect(rig.fake.threads).toHaveLength(0);
    expect(rig.fake.messagesIn(rig.fake.channelId)).toHaveLength(0);
    expect(await rig.store.findActive('discord', rig.fake.user.id)).toBeUndefined();
  });

  it.each([
    ['post the card', 'POST /channels/:id/messages'],
    // The card posted, then taken down again: no buttons for a round that never started.
    ['start a thread on it', 'POST /channels/:id/messages/:id/threads'],
  ])(
    'tells the person what to do when Discord will not let the bot %s, and leaves nothing behind',
    async (_what, route) => {
      rig.fake.failNext(route, { status: 403, code: 50013, message: 'Missing Permissions' });
      const answer = await ephemeralAnswer(rig.fake, slash('start', { prompt: PROMPT_ID }));
      expect(answer).toBe(platformRefusalCard('cannot_post_here', 'slash').summary);
      expect(rig.fake.threads).toHaveLength(0);
      expect(rig.fake.messagesIn(rig.fake.channelId)).toHaveLength(0);
      expect(await rig.store.findActive('discord', rig.fake.user.id)).toBeUndefined();
    },
  );

  it('refuses End round and Next phase from anyone but the candidate, privately', async () => {
    const { threadId, cardId } = await startRound(rig.fake, { minutes: 45 });
    const address = `discord:${rig.fake.guildId}:${threadId}`;

    const end = rig.fake.sendButton({ customId: 'mockdesign:end', message: cardId, user: MEMBER });
    expect(await ephemeralAnswer(rig.fake, end)).toBe(refusals.onlyCandidate('end'));
    const next = rig.fake.sendButton({
      customId: 'mockdesign:next:framing',
      message: cardId,
      user: MEMBER,
    });
    expect(await ephemeralAnswer(rig.fake, next)).toBe(refusals.onlyCandidate('next'));
    const fromThread = rig.fake.sendSlashCommand({
      name: 'mockdesign',
      subcommand: 'end',
      channelId: threadId,
      user: MEMBER,
    });
    expect(await ephemeralAnswer(rig.fake, fromThread)).toBe(refusals.onlyCandidate('end'));

    const session = await rig.store.findByThread(address);
    expect(session).toMatchObject({ status: 'active', phase: 'framing' });
    expect(banners(rig.fake, threadId)).toEqual([]);
  });

  it('moves on and ends the round when the candidate presses the buttons', async () => {
    const session = await rig.store.findActive('discord', rig.fake.user.id);
    const threadId = session?.thread.split(':')[2] ?? '';

    const next = rig.fake.sendButton({ customId: 'mockdesign:next:framing', message: threadId });
    expect(await ephemeralAnswer(rig.fake, next)).toBe(movedOnCard('Solution sketch').summary);
    const sketch = await rig.fake.waitForMessage(threadId, (m) =>
      m.embeds.some((e) => e.author?.name.startsWith('Interviewer · Solution sketch')),
    );
    expect(sketch.components).toHaveLength(1);

    const end = rig.fake.sendButton({ customId: 'mockdesign:end', message: sketch.id });
    expect(await ephemeralAnswer(rig.fake, end)).toBe(roundEndedCard().summary);
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
    expect(messageText(reply)).toBe(refusals.replyAfterEnd('slash'));
    expect(messageText(reply)).toContain('`/mockdesign start`');
    expect(reply.author.id).toBe(rig.fake.botUser.id);
  });

  it('answers status, prompts, help, history and forget privately', async () => {
    expect(await ephemeralAnswer(rig.fake, slash('status'))).toBe(
      'You have no round running here. Start one with `/mockdesign start` (see `/mockdesign help`).',
    );
    const prompts = await ephemeralAnswer(rig.fake, slash('prompts'));
    expect(prompts).toContain(`\`${PROMPT_ID}\``);
    // Commands are named as Discord takes them: slash commands with typed options.
    expect(prompts).toContain('Start one with `/mockdesign start prompt:<prompt-id>`');
    const help = await ephemeralAnswer(rig.fake, slash('help'));
    expect(help).toMatch(/\nmockdesign runs a timed/);
    expect(help).toContain('`/mockdesign start prompt: minutes: mode: hours: tz:`');
    expect(help).not.toContain('--');
    expect(await ephemeralAnswer(rig.fake, slash('history'))).toMatch(/nothing was said/);
    expect(await ephemeralAnswer(rig.fake, slash('forget'))).toMatch(
      /^`\/mockdesign forget confirm:True` deletes your 1 round/,
    );
    expect(await ephemeralAnswer(rig.fake, slash('forget', { confirm: true }))).toBe(
      forgottenCard(1, false).summary,
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
    await platform.start(async (command) => (command.kind === 'reply' ? { failed: true } : {}));
    try {
      const thread = rig.fake.createThread({ name: 'a thread' });
      const message = rig.fake.sendMessage({ channelId: thread.id, content: 'my answer' });
      const reply = await rig.fake.waitForMessage(
        thread.id,
        (m) => m.message_reference?.message_id === message.id,
      );
      expect(messageText(reply)).toBe(replyNotSavedCard().summary);
      const call = rig.fake.calls.find(
        (c) => c.method === 'POST' && c.path === `/channels/${thread.id}/messages`,
      );
      expect((call?.body as { allowed_mentions?: unknown } | undefined)?.allowed_mentions).toEqual({
        parse: [],
        replied_user: true,
      });
      expect(rig.fake.commands.get(GLOBAL_COMMANDS)?.map((c) => c.name)).toEqual(['mockdesign']);
    } finally {
      await platform.stop();
    }
  });

  it('holds an async round’s nudge due in the night of the zone given with tz: until the morning there, and says so on the card', async () => {
    const { nudge } = rig.library.rubric;
    const hours = 336;
    // The first nudge falls due this long after the start (the rig's time scale applies).
    const quiet = nudge.afterFraction * hours * 3_600_000 * rig.config.timeScale;
    const zone = zoneWhereItIsFive(Date.now() + quiet);
    const start = slash('start', { prompt: PROMPT_ID, mode: 'async', hours, tz: zone }, MEMBER);
    expect(await ephemeralAnswer(rig.fake, start)).toContain('has started');

    const session = await rig.store.findActive('discord', MEMBER.id);
    expect(session).toMatchObject({ mode: 'async', timeZone: zone });
    const threadId = session?.thread.split(':')[2] ?? '';
    const card = messageText(rig.fake.getMessage(threadId) ?? { content: '', embeds: [] });
    // One line of the card's notes (Discord's small print).
    expect(card.split('\n')).toContain(
      `-# No nudges between ${nudge.quietHours.from} and ${nudge.quietHours.until} ${zone}.`,
    );

    // Due at 05:xx there, the nudge waits for 08:00 there, within three hours.
    // The start's nudge, named by the move it waits from: the start itself.
    const id = timerId(session?.id ?? '', { kind: 'nudge', n: 0, at: 0 });
    const timer = (await waitingTimers(`{${rig.prefix}}`)).find((t) => t.id === id);
    const due = (session?.startedAt ?? 0) + quiet;
    const held = timer?.dueAt ?? 0;
    expect(localClock(held, zone)).toBe(nudge.quietHours.until);
    expect(held - due).toBeGreaterThan(0);
    expect(held - due).toBeLessThanOrEqual(3 * 3_600_000);

    // Without tz (Discord says no one's time zone), the card says how to give one, as typed here.
    await ephemeralAnswer(rig.fake, slash('forget', { confirm: true }, MEMBER));
    await ephemeralAnswer(rig.fake, slash('start', { mode: 'async' }, MEMBER));
    const unzoned = await rig.store.findActive('discord', MEMBER.id);
    expect(unzoned?.timeZone).toBeUndefined();
    const plain = rig.fake.getMessage(unzoned?.thread.split(':')[2] ?? '');
    expect(messageText(plain ?? { content: '', embeds: [] }).split('\n')).toContain(
      '-# Nudges may come at any hour: add `tz:Area/City` to set your night.',
    );
    await ephemeralAnswer(rig.fake, slash('forget', { confirm: true }, MEMBER));
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
      present({
        kind: 'prompt',
        prompt,
        mode: 'async',
        minutes: 72 * 60,
        candidates: [rig.fake.user.id],
        phases: [],
        surface: 'chat',
      }),
    );
    expect(thread).toBe(`discord:${rig.fake.guildId}:${messageId}`);
    expect(rig.fake.getChannel(messageId)).toMatchObject({
      type: 11,
      name: `Mock round: ${prompt.title}`,
      thread_metadata: { auto_archive_duration: 10080 },
    });

    const notice = noticeCard('Shown once.');
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
