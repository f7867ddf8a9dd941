/**
 * `direct` on Discord, with the real discord.js client against the fake: the bot's DM channel
 * with the person (`POST /users/@me/channels`), the card posted there, files uploaded on its first
 * message as `multipart/form-data`, and Discord's refusals and failures wrapped.
 */
import { Client, Events, type GatewayDispatchPayload, GatewayIntentBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDiscordPlatform, type DiscordPlatform } from '../../adapters/discord/index.js';
import { MockdesignError, PlatformError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import type { OutgoingFile } from '../../src/ports/chat-platform.js';
import type { Card } from '../../src/presentation/card.js';
import { noticeCard } from '../../src/presentation/replies.js';
import { type FakeDiscord, type RecordedCall, startFakeDiscord } from '../fakes/discord/index.js';

const GUILD = '1300000000000000100';
const CHANNEL = '1300000000000000200';
/** A member who takes DMs from the server. */
const PERSON = { id: '1300000000000000510', username: 'learner' } as const;
/** A member who turned off DMs from server members. */
const PRIVATE = { id: '1300000000000000520', username: 'no-dms' } as const;

/** A 1×1 PNG: its signature alone holds `\r\n`, `\x1a` and `\n` for the multipart parser. */
const PNG = new Uint8Array(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'base64',
  ),
);
const JSON_BYTES = new TextEncoder().encode(
  `${JSON.stringify({ rounds: [{ prompt: 'rag-hallucination-measurement', score: 72 }] }, null, 2)}\n`,
);
const file = (name: string, contentType: string, bytes: Uint8Array, title: string) =>
  ({ name, contentType, bytes, title }) satisfies OutgoingFile;
const FILES = [
  file('mockdesign-progress.png', 'image/png', PNG, 'Your overall score over your last rounds'),
  file('mockdesign-rounds.json', 'application/json', JSON_BYTES, 'Your rounds as transcript JSON'),
];

const historyCard: Card = {
  kind: 'history',
  tone: 'brand',
  summary: 'Your practice: 3 rounds',
  title: 'Your practice',
  blocks: [{ type: 'text', lines: [['3 rounds, best ', { strong: '78/100' }]] }],
  controls: [],
};

describe('Discord direct messages', () => {
  let fake: FakeDiscord;
  let platform: DiscordPlatform;
  /** Every dispatch the bot's own client (without the DirectMessages intent) received. */
  const botPackets: GatewayDispatchPayload[] = [];
  const near = `discord:${GUILD}:${CHANNEL}`;

  beforeAll(async () => {
    fake = await startFakeDiscord({
      guilds: [{ id: GUILD, channels: [{ id: CHANNEL }], members: [PERSON, PRIVATE] }],
    });
    platform = createDiscordPlatform(
      { token: fake.token, appId: fake.applicationId, guildId: GUILD, apiUrl: fake.apiUrl },
      { logger: createLogger({ write: () => {} }) },
    );
    await platform.start(async () => ({}));
    platform.client?.on(Events.Raw, (packet: GatewayDispatchPayload) => botPackets.push(packet));
  });

  afterAll(async () => {
    await platform?.stop();
    await fake?.close();
  });

  const dmWith = (userId: string) => {
    const channel = fake.directChannelWith(userId);
    if (!channel) throw new Error(`no DM channel with ${userId}`);
    return channel;
  };
  const callsTo = (path: string, from = 0): RecordedCall[] =>
    fake.calls.slice(from).filter((call) => call.method === 'POST' && call.path === path);
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (e: unknown) => e,
    );

  it('posts a card alone in the person’s DM channel, opened with POST /users/@me/channels', async () => {
    const from = fake.calls.length;
    await platform.direct(near, PERSON.id, historyCard);

    expect(callsTo('/users/@me/channels', from).map((c) => [c.status, c.body])).toEqual([
      [200, { recipient_id: PERSON.id }],
    ]);
    const dm = dmWith(PERSON.id);
    expect(dm).toMatchObject({ type: 1, recipients: [{ id: PERSON.id }] });
    const [posted] = callsTo(`/channels/${dm.id}/messages`, from);
    expect(posted).toMatchObject({ status: 200, files: [] });

    const [message, ...others] = fake.messagesIn(dm.id);
    expect(others).toEqual([]);
    expect(message?.author.id).toBe(fake.botUser.id);
    expect(message?.guild_id).toBeUndefined();
    expect(message?.embeds[0]).toMatchObject({ title: 'Your practice' });
    expect(message?.embeds[0]?.description).toBe('3 rounds, best **78/100**');
    expect(message?.attachments).toEqual([]);
  });

  it('attaches a PNG and a JSON file to the card, their bytes as sent', async () => {
    const from = fake.calls.length;
    await platform.direct(near, PERSON.id, historyCard, FILES);

    const dm = dmWith(PERSON.id);
    const [posted, ...more] = callsTo(`/channels/${dm.id}/messages`, from);
    expect(more).toEqual([]);
    // discord.js's upload: the message as payload_json, the files as files[0] and files[1].
    expect(posted?.files).toEqual(['mockdesign-progress.png', 'mockdesign-rounds.json']);
    expect(posted?.body).toMatchObject({
      embeds: [{ title: 'Your practice' }],
      attachments: [
        { id: 0, filename: 'mockdesign-progress.png', description: FILES[0]?.title },
        { id: 1, filename: 'mockdesign-rounds.json', description: FILES[1]?.title },
      ],
    });

    const message = fake.messagesIn(dm.id).at(-1);
    expect(message?.embeds[0]?.title).toBe('Your practice');
    const [png, json] = message?.attachments ?? [];
    expect(png).toMatchObject({
      filename: 'mockdesign-progress.png',
      description: 'Your overall score over your last rounds',
      content_type: 'image/png',
      size: PNG.byteLength,
      width: 1,
      height: 1,
    });
    expect(json).toMatchObject({
      filename: 'mockdesign-rounds.json',
      description: 'Your rounds as transcript JSON',
      content_type: 'application/json',
      size: JSON_BYTES.byteLength,
    });
    expect(png?.url).toMatch(/\/mockdesign-progress\.png$/);
    expect(fake.attachmentBytes(png?.id ?? '')).toEqual(PNG);
    expect(fake.attachmentBytes(json?.id ?? '')).toEqual(JSON_BYTES);
  });

  it('puts the files on the first message of a card that takes several', async () => {
    const lines = Array.from({ length: 80 }, (_, i) => [`Round ${i + 1}: ${'·'.repeat(40)}`]);
    const long: Card = {
      ...noticeCard('x'),
      summary: 'A long list',
      blocks: [{ type: 'text', lines }],
    };
    const before = fake.messagesIn(dmWith(PERSON.id).id).length;
    await platform.direct(near, PERSON.id, long, FILES);

    const parts = fake.messagesIn(dmWith(PERSON.id).id).slice(before);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts[0]?.content.startsWith('Round 1:')).toBe(true);
    expect(parts[0]?.attachments.map((a) => a.filename)).toEqual([
      'mockdesign-progress.png',
      'mockdesign-rounds.json',
    ]);
    expect(parts.slice(1).every((m) => m.attachments.length === 0)).toBe(true);
    expect(parts.map((m) => m.content).join('\n')).toContain('Round 80:');
  });

  it('uses the same DM channel for a second direct to the same person', async () => {
    const dm = dmWith(PERSON.id);
    const from = fake.calls.length;
    const before = fake.messagesIn(dm.id).length;
    await platform.direct(near, PERSON.id, noticeCard('First'));
    await platform.direct(`discord:${GUILD}:1300000000000000999`, PERSON.id, noticeCard('Second'));

    const opened = callsTo('/users/@me/channels', from);
    expect(opened).toHaveLength(2);
    expect(fake.directChannelWith(PERSON.id)?.id).toBe(dm.id);
    expect(
      fake
        .messagesIn(dm.id)
        .slice(before)
        .map((m) => m.content),
    ).toEqual(['First', 'Second']);
  });

  it('sends a keyed card once: the same key again within the nonce window posts nothing new', async () => {
    const dm = dmWith(PERSON.id);
    const before = fake.messagesIn(dm.id).length;
    const delivery = { key: 'reminder-1', redelivery: true, since: Date.now() };
    await platform.direct(near, PERSON.id, noticeCard('Time to practise'), [], delivery);
    await platform.direct(near, PERSON.id, noticeCard('Time to practise'), [], delivery);
    await platform.direct(near, PERSON.id, noticeCard('Time to practise'), [], {
      ...delivery,
      key: 'reminder-2',
    });
    expect(
      fake
        .messagesIn(dm.id)
        .slice(before)
        .map((m) => m.content),
    ).toEqual(['Time to practise', 'Time to practise']);
  });

  it('shows a quote’s round time without a jump link: a DM is in no server', async () => {
    const quoted: Card = {
      ...noticeCard('x'),
      blocks: [
        {
          type: 'text',
          lines: [[{ quote: 'shard by tenant', at: '02:05', messageId: '1300000000000000777' }]],
        },
      ],
    };
    await platform.direct(near, PERSON.id, quoted);
    expect(fake.messagesIn(dmWith(PERSON.id).id).at(-1)?.content).toBe('`02:05` “shard by tenant”');
  });

  it('wraps a person who takes no DMs from server members (50007) as a cannot_post_here refusal', async () => {
    fake.refuseDirectMessages(PRIVATE.id);
    const refused = await failure(platform.direct(near, PRIVATE.id, historyCard, FILES));
    expect(refused).toBeInstanceOf(PlatformError);
    expect(refused).toMatchObject({
      platform: 'discord',
      refusal: 'cannot_post_here',
      message: 'discord: post a direct message: 403 Cannot send messages to this user (code 50007)',
    });
    // Discord opens the channel; it is the post that is refused, and nothing is shown.
    expect(fake.messagesIn(dmWith(PRIVATE.id).id)).toEqual([]);

    fake.refuseDirectMessages(PRIVATE.id, false);
    await platform.direct(near, PRIVATE.id, noticeCard('Now it arrives'));
    expect(fake.messagesIn(dmWith(PRIVATE.id).id).map((m) => m.content)).toEqual([
      'Now it arrives',
    ]);
  });

  it('wraps a refusal to open the DM channel too (a person who blocked the bot)', async () => {
    fake.failNext('POST /users/@me/channels', {
      status: 400,
      code: 50007,
      message: 'Cannot send messages to this user',
    });
    const refused = await failure(platform.direct(near, PERSON.id, historyCard));
    expect(refused).toMatchObject({
      refusal: 'cannot_post_here',
      message: 'discord: open direct messages: 400 Cannot send messages to this user (code 50007)',
    });
  });

  it('wraps a 500 on the post, after discord.js’s retries, as a Discord PlatformError', async () => {
    const dm = dmWith(PERSON.id);
    const before = fake.messagesIn(dm.id).length;
    const from = fake.calls.length;
    // discord.js retries a 5xx three times: four failures reach the caller.
    fake.failNext(
      `POST /channels/${dm.id}/messages`,
      { status: 500, code: 0, message: 'Internal Server Error' },
      4,
    );
    const error = await failure(platform.direct(near, PERSON.id, historyCard, FILES));
    expect(error).toBeInstanceOf(PlatformError);
    expect((error as PlatformError).message).toMatch(/^discord: post a direct message: HTTP 500/);
    expect((error as PlatformError).refusal).toBeUndefined();
    expect(callsTo(`/channels/${dm.id}/messages`, from).map((c) => c.status)).toEqual([
      500, 500, 500, 500,
    ]);
    expect(fake.messagesIn(dm.id)).toHaveLength(before);
  });

  it('refuses an address that is not Discord’s before calling Discord', async () => {
    const from = fake.calls.length;
    const error = await failure(platform.direct('slack:T1:C1', PERSON.id, historyCard));
    expect(error).toBeInstanceOf(MockdesignError);
    expect((error as MockdesignError).code).toBe('bad_address');
    expect(fake.calls.length).toBe(from);
  });

  it('dispatches MESSAGE_CREATE of a DM only to sessions with the DirectMessages intent', async () => {
    const listener = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages],
      rest: { api: fake.apiUrl },
    });
    const heard: GatewayDispatchPayload[] = [];
    listener.on(Events.Raw, (packet: GatewayDispatchPayload) => heard.push(packet));
    await listener.login(fake.token);
    try {
      await vi.waitFor(() => expect(listener.isReady()).toBe(true));
      const dm = dmWith(PERSON.id);
      await platform.direct(near, PERSON.id, noticeCard('Heard in DMs'));

      await vi.waitFor(() =>
        expect(heard).toContainEqual(
          expect.objectContaining({
            t: 'MESSAGE_CREATE',
            d: expect.objectContaining({ channel_id: dm.id, content: 'Heard in DMs' }),
          }),
        ),
      );
      const created = heard.find((p) => p.t === 'MESSAGE_CREATE');
      expect(created?.d).not.toHaveProperty('guild_id');
      expect(created?.d).not.toHaveProperty('member');
      // The bot's own client identified without DirectMessages: none of its DMs reached it.
      const sent = fake.dispatched.filter(
        (d) =>
          d.event === 'MESSAGE_CREATE' && (d.data as { channel_id?: string }).channel_id === dm.id,
      );
      expect(sent).toHaveLength(1);
      const dms = new Set([dm.id, dmWith(PRIVATE.id).id]);
      expect(
        botPackets.filter((p) => dms.has((p.d as { channel_id?: string }).channel_id ?? '')),
      ).toEqual([]);
    } finally {
      await listener.destroy();
    }
  });
});
