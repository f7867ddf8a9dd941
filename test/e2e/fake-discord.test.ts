import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  type ClientEvents,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  type Interaction,
  type Message,
  MessageFlags,
  Routes,
  SlashCommandBuilder,
  type TextChannel,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord/index.js';

/** The next event of a kind that passes `accept`, or a rejection after `timeoutMs`. */
function nextEvent<K extends keyof ClientEvents>(
  client: Client,
  event: K,
  accept: (...args: ClientEvents[K]) => boolean = () => true,
  timeoutMs = 5000,
): Promise<ClientEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off(event, listener);
      reject(new Error(`no ${String(event)} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (...args: ClientEvents[K]) => {
      if (!accept(...args)) return;
      clearTimeout(timer);
      client.off(event, listener);
      resolve(args);
    };
    client.on(event, listener);
  });
}

async function nextInteraction(client: Client): Promise<Interaction> {
  const [interaction] = await nextEvent(client, Events.InteractionCreate);
  return interaction;
}

const mockdesignCommand = new SlashCommandBuilder()
  .setName('mockdesign')
  .setDescription('Run a timed mock system-design interview')
  .addSubcommand((sub) =>
    sub
      .setName('start')
      .setDescription('Start a round in a new thread')
      .addStringOption((option) =>
        option.setName('prompt').setDescription('Prompt id').setAutocomplete(true),
      )
      .addIntegerOption((option) => option.setName('minutes').setDescription('Round length')),
  );

describe('the fake Discord, driven by the real discord.js client', () => {
  let fake: FakeDiscord;
  let client: Client;
  let channel: TextChannel;
  let readyAfterMs = 0;

  beforeAll(async () => {
    fake = await startFakeDiscord({ heartbeatIntervalMs: 400 });
    client = new Client({
      intents: [
        GatewayIntentBits.Guilds,
        GatewayIntentBits.GuildMessages,
        GatewayIntentBits.MessageContent,
      ],
      rest: { api: fake.apiUrl },
    });
    const started = Date.now();
    const ready = nextEvent(client, Events.ClientReady);
    await client.login(fake.token);
    await ready;
    readyAfterMs = Date.now() - started;
    const fetched = await client.channels.fetch(fake.channelId);
    if (
      !fetched?.isTextBased() ||
      !fetched.isSendable() ||
      fetched.isThread() ||
      fetched.isDMBased()
    ) {
      throw new Error('the seeded channel should be a guild text channel');
    }
    channel = fetched as TextChannel;
  });

  afterAll(async () => {
    await client?.destroy();
    await fake?.close();
  });

  it('logs in over the local gateway quickly, without compression, and caches the seeded guild', () => {
    expect(readyAfterMs).toBeLessThan(3000);
    expect(client.user?.id).toBe(fake.botUser.id);
    expect(client.application?.id).toBe(fake.applicationId);
    expect(client.guilds.cache.get(fake.guildId)?.available).toBe(true);
    expect(channel.guildId).toBe(fake.guildId);

    const [connection] = fake.gatewayConnections;
    expect(connection?.query).toMatchObject({ v: '10', encoding: 'json' });
    expect(connection?.query.compress).toBeUndefined();
    const identify = fake.gatewayReceived.find((frame) => frame.op === 2);
    expect(identify?.d).toMatchObject({ token: fake.token, compress: false });
    expect(fake.dispatched.map((d) => d.event).slice(0, 2)).toEqual(['READY', 'GUILD_CREATE']);
    expect(fake.calls[0]).toMatchObject({ method: 'GET', path: '/gateway/bot', status: 200 });
  });

  it('records guild commands registered through client.rest and echoes them with ids', async () => {
    const saved = (await client.rest.put(
      Routes.applicationGuildCommands(fake.applicationId, fake.guildId),
      { body: [mockdesignCommand.toJSON()] },
    )) as Array<{ id: string; name: string; guild_id: string }>;

    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ name: 'mockdesign', guild_id: fake.guildId });
    expect(saved[0]?.id).toMatch(/^\d+$/);
    expect(fake.commands.get(fake.guildId)?.map((c) => c.name)).toEqual(['mockdesign']);
  });

  it('delivers a slash command with subcommand and typed options, and records an ephemeral reply', async () => {
    const received = nextInteraction(client);
    const sent = fake.sendSlashCommand({
      name: 'mockdesign',
      subcommand: 'start',
      options: { prompt: 'rate-limiter', minutes: 45 },
    });
    const interaction = await received;
    if (!interaction.isChatInputCommand()) throw new Error('expected a chat-input command');

    expect(interaction.id).toBe(sent.id);
    expect(interaction.channelId).toBe(fake.channelId);
    expect(interaction.user.id).toBe(fake.user.id);
    expect(interaction.options.getSubcommand()).toBe('start');
    expect(interaction.options.getString('prompt')).toBe('rate-limiter');
    expect(interaction.options.getInteger('minutes')).toBe(45);

    await interaction.reply({ content: 'Only you can see this', flags: MessageFlags.Ephemeral });
    const response = await fake.waitForInteractionResponse(sent.id);
    expect(response).toMatchObject({ kind: 'reply', type: 4, flags: 64, ephemeral: true });
    expect(response.message?.content).toBe('Only you can see this');
    expect(fake.messagesIn(fake.channelId).some((m) => m.id === response.message?.id)).toBe(false);
  });

  it('starts a thread on a fetched reply, posts into it, and receives a user message from it', async () => {
    const received = nextInteraction(client);
    const sent = fake.sendSlashCommand({ name: 'mockdesign', subcommand: 'start' });
    const interaction = await received;
    if (!interaction.isChatInputCommand()) throw new Error('expected a chat-input command');

    await interaction.reply({ content: 'Round started: design a rate limiter' });
    const reply = await interaction.fetchReply();
    expect(reply.id).toBe(fake.interactions.get(sent.id)?.originalMessageId);
    expect(fake.messagesIn(fake.channelId).at(-1)?.content).toBe(
      'Round started: design a rate limiter',
    );

    const thread = await reply.startThread({ name: 'Mock round: rate limiter' });
    expect(thread.id).toBe(reply.id);
    expect(fake.threads.at(-1)).toMatchObject({
      id: thread.id,
      type: 11,
      parent_id: fake.channelId,
    });
    expect(fake.dispatched.some((d) => d.event === 'THREAD_CREATE')).toBe(true);

    await thread.send('Framing window: state a falsifiable hypothesis');
    expect(fake.messagesIn(thread.id).map((m) => m.content)).toEqual([
      'Framing window: state a falsifiable hypothesis',
    ]);

    const userMessage = nextEvent(
      client,
      Events.MessageCreate,
      (message: Message) => message.channelId === thread.id && !message.author.bot,
    );
    const text = 'I hypothesize a token bucket cuts p99 latency by 20%';
    fake.sendMessage({ channelId: thread.id, content: text });
    const [message] = await userMessage;
    expect(message.channel.isThread()).toBe(true);
    expect(message.content).toBe(text);
    expect(message.author.id).toBe(fake.user.id);
  });

  it('purges messages in bulk as a moderator does: one MESSAGE_DELETE_BULK that discord.js reads as messageDeleteBulk', async () => {
    const texts = ['first purged line', 'second purged line', 'a line that stays'];
    const arrived = nextEvent(
      client,
      Events.MessageCreate,
      (message: Message) => message.content === texts[2],
    );
    const [first, second, kept] = texts.map((content) =>
      fake.sendMessage({ channelId: fake.channelId, content }),
    );
    if (!first || !second || !kept) throw new Error('expected three messages');
    await arrived;
    const deletesBefore = fake.dispatched.filter((d) => d.event === 'MESSAGE_DELETE').length;

    const purged = nextEvent(client, Events.MessageBulkDelete);
    fake.deleteMessages([first.id, second.id]);
    const [messages, where] = await purged;
    expect([...messages.keys()]).toEqual([first.id, second.id]);
    expect(messages.get(first.id)?.content).toBe(texts[0]);
    expect(where.id).toBe(fake.channelId);
    expect(fake.dispatched.filter((d) => d.event === 'MESSAGE_DELETE_BULK').at(-1)?.data).toEqual({
      ids: [first.id, second.id],
      channel_id: fake.channelId,
      guild_id: fake.guildId,
    });
    expect(fake.dispatched.filter((d) => d.event === 'MESSAGE_DELETE')).toHaveLength(deletesBefore);
    expect(fake.getMessage(first.id)).toBeUndefined();
    expect(fake.messagesIn(fake.channelId).map((m) => m.id)).toContain(kept.id);
    expect(() => fake.deleteMessages([first.id])).toThrow(`no message ${first.id}`);
  });

  it('delivers button presses answered with reply and with deferUpdate plus an edit', async () => {
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder()
        .setCustomId('mockdesign-end')
        .setLabel('End round')
        .setStyle(ButtonStyle.Danger),
    );
    const posted = await channel.send({ content: 'Round in progress', components: [row] });

    const first = nextInteraction(client);
    const press = fake.sendButton({ customId: 'mockdesign-end', message: posted.id });
    const button = await first;
    if (!button.isButton()) throw new Error('expected a button interaction');
    expect(button.customId).toBe('mockdesign-end');
    expect(button.message.id).toBe(posted.id);
    await button.reply({ content: 'Are you sure?', flags: MessageFlags.Ephemeral });
    expect(await fake.waitForInteractionResponse(press.id)).toMatchObject({
      kind: 'reply',
      ephemeral: true,
    });

    const second = nextInteraction(client);
    const again = fake.sendButton({ customId: 'mockdesign-end', message: posted.id });
    const update = await second;
    if (!update.isButton()) throw new Error('expected a button interaction');
    await update.deferUpdate();
    expect(await fake.waitForInteractionResponse(again.id)).toMatchObject({
      kind: 'deferUpdate',
      type: 6,
    });
    await update.editReply({ content: 'Round ended', components: [] });
    expect(fake.getMessage(posted.id)).toMatchObject({ content: 'Round ended', components: [] });
  });

  it('delivers autocomplete and records the offered choices', async () => {
    const received = nextInteraction(client);
    const sent = fake.sendAutocomplete({
      name: 'mockdesign',
      subcommand: 'start',
      options: { prompt: 'rate' },
      focused: 'prompt',
    });
    const interaction = await received;
    if (!interaction.isAutocomplete()) throw new Error('expected an autocomplete interaction');
    expect(interaction.options.getFocused(true)).toMatchObject({ name: 'prompt', value: 'rate' });

    await interaction.respond([{ name: 'Design a rate limiter', value: 'rate-limiter' }]);
    const response = await fake.waitForInteractionResponse(sent.id);
    expect(response).toMatchObject({ kind: 'autocomplete', type: 8 });
    expect(response.choices).toEqual([{ name: 'Design a rate limiter', value: 'rate-limiter' }]);
  });

  it('lets discord.js wait out a 429 and retry, so the message still lands', async () => {
    fake.rateLimitNext('POST /channels/:channelId/messages', 0.25);
    const started = Date.now();
    const message = await channel.send('posted after a rate limit');

    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(fake.getMessage(message.id)?.content).toBe('posted after a rate limit');
    const attempts = fake.calls.filter(
      (call) => call.route === '/channels/:channelId/messages' && call.method === 'POST',
    );
    expect(attempts.slice(-2).map((call) => call.status)).toEqual([429, 200]);
  });

  it('answers Discord-style errors: invalid form body, bad token and unknown routes', async () => {
    const error = await channel.send('x'.repeat(2001)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ code: 50035, status: 400 });

    const unauthorized = await fetch(`${fake.apiUrl}/v10/users/@me`, {
      headers: { authorization: 'Bot wrong-token' },
    });
    expect(unauthorized.status).toBe(401);
    expect(await unauthorized.json()).toEqual({ message: '401: Unauthorized', code: 0 });

    const missing = await fetch(`${fake.apiUrl}/v10/nowhere`, {
      headers: { authorization: `Bot ${fake.token}` },
    });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: '404: Not Found', code: 0 });
  });

  it('refuses what Discord refuses: a row of six buttons, over 100 users to ping, parse and users together, alt text over 1024, long autocomplete choices', async () => {
    const refused = async (call: Promise<unknown>) => {
      const error = await call.then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(DiscordAPIError);
      return error as DiscordAPIError;
    };
    const post = (body: Record<string, unknown>, files?: { name: string; data: Buffer }[]) =>
      client.rest.post(Routes.channelMessages(fake.channelId), {
        body,
        ...(files ? { files } : {}),
      });
    const button = (n: number) => ({ type: 2, style: 1, label: `b${n}`, custom_id: `b${n}` });
    const row = await refused(
      post({ content: 'x', components: [{ type: 1, components: [1, 2, 3, 4, 5, 6].map(button) }] }),
    );
    expect(row).toMatchObject({ code: 50035, status: 400 });
    expect(JSON.stringify(row.rawError)).toContain('components');

    const users = Array.from({ length: 101 }, (_, i) => String(1300000000000001000n + BigInt(i)));
    expect(await refused(post({ content: 'x', allowed_mentions: { users } }))).toMatchObject({
      code: 50035,
    });
    expect(
      await refused(post({ content: 'x', allowed_mentions: { parse: ['users'], users: ['1'] } })),
    ).toMatchObject({ code: 50035 });

    const alt = await refused(
      post(
        {
          content: 'x',
          attachments: [{ id: 0, filename: 'a.txt', description: 'd'.repeat(1025) }],
        },
        [{ name: 'a.txt', data: Buffer.from('a') }],
      ),
    );
    expect(alt).toMatchObject({ code: 50035 });
    expect(fake.messagesIn(fake.channelId).some((m) => m.content === 'x')).toBe(false);

    const received = nextInteraction(client);
    const sent = fake.sendAutocomplete({
      name: 'mockdesign',
      subcommand: 'start',
      focused: 'prompt',
    });
    const interaction = await received;
    if (!interaction.isAutocomplete()) throw new Error('expected an autocomplete interaction');
    const long = await refused(interaction.respond([{ name: 'n'.repeat(101), value: 'v' }]));
    expect(long).toMatchObject({ code: 50035 });
    expect(
      await refused(interaction.respond([{ name: 'n', value: 'v'.repeat(101) }])),
    ).toMatchObject({ code: 50035 });
    await interaction.respond([{ name: 'n', value: 'v' }]);
    expect((await fake.waitForInteractionResponse(sent.id)).choices).toEqual([
      { name: 'n', value: 'v' },
    ]);
  });

  it('opens no private thread in an announcement channel: only a text channel holds one', async () => {
    const news = await startFakeDiscord({
      guilds: [
        {
          id: '1300000000000000100',
          channels: [{ id: '1300000000000000201', name: 'announcements', type: 5 }],
        },
      ],
    });
    try {
      const response = await fetch(`${news.apiUrl}/v10/channels/1300000000000000201/threads`, {
        method: 'POST',
        headers: { authorization: `Bot ${news.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'attempt', type: 12, invitable: false }),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 50024 });
      expect(news.threads).toHaveLength(0);
    } finally {
      await news.close();
    }
  });

  it('resumes a dropped gateway session and replays the events it missed', async () => {
    const resumed = nextEvent(client, Events.ShardResume);
    const replayed = nextEvent(
      client,
      Events.MessageCreate,
      (message: Message) => message.content === 'sent while the bot was disconnected',
    );
    fake.dropGatewayConnections();
    fake.sendMessage({ content: 'sent while the bot was disconnected' });

    await resumed;
    const [message] = await replayed;
    expect(message.channelId).toBe(fake.channelId);
    expect(fake.gatewayReceived.some((frame) => frame.op === 6)).toBe(true);
  });

  it('acknowledges heartbeats so discord.js keeps one healthy connection', async () => {
    await fake.waitFor(() => fake.gatewayReceived.some((frame) => frame.op === 1), {
      timeoutMs: 3000,
      description: 'a heartbeat',
    });
    expect(client.ws.ping).toBeGreaterThanOrEqual(0);
  });
});
