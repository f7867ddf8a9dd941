/**
 * `openPrivate` on Discord, with the real discord.js client against the fake: a private thread
 * under the channel with only the bot and the person in it, where the person's messages are
 * replies, and its failures wrapped as every Discord call's.
 */
import { ChannelType } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDiscordPlatform, type DiscordPlatform } from '../../adapters/discord/index.js';
import type { Command } from '../../src/commands/command.js';
import { PlatformError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import { noticeCard } from '../../src/presentation/replies.js';
import type { FakeDiscord } from '../fakes/discord/index.js';
import { type ChallengeRig, PERSON, startChallengeRig } from './discord-challenge-rig.js';
import { MEMBER } from './discord-harness.js';

describe('Discord private threads for challenge attempts', () => {
  let rig: ChallengeRig;
  let fake: FakeDiscord;
  let platform: DiscordPlatform;
  let prompt: ChallengeRig['prompt'];
  let channel = '';
  let commands: readonly Command[] = [];

  beforeAll(async () => {
    rig = await startChallengeRig();
    ({ fake, platform, prompt, channel, commands } = rig);
  });

  afterAll(async () => {
    await rig?.close();
  });

  const nextCommand = (kind: Command['kind'], from: number) => rig.nextCommand(kind, from);

  describe('openPrivate', () => {
    let thread = '';
    let threadId = '';
    let messageId = '';

    it('opens a private thread under the channel with only the bot and the person in it, the card its first message', async () => {
      const roundCard = rig.roundCard();
      const opened = await platform.openPrivate(channel, PERSON.id, roundCard);
      ({ thread, messageId } = opened);
      threadId = thread.split(':')[2] ?? '';
      expect(opened).toEqual({ thread: `discord:${fake.guildId}:${threadId}`, messageId });

      expect(fake.getChannel(threadId)).toMatchObject({
        type: 12,
        parent_id: fake.channelId,
        name: `Mock round: ${prompt.title}`,
        owner_id: fake.botUser.id,
        member_count: 2,
        thread_metadata: { invitable: false, auto_archive_duration: 1440 },
      });
      expect(fake.threadMembers(threadId).map((m) => m.user_id)).toEqual([
        fake.botUser.id,
        PERSON.id,
      ]);
      const [first, ...rest] = fake.messagesIn(threadId);
      expect(first?.id).toBe(messageId);
      expect(first?.author.id).toBe(fake.botUser.id);
      expect(first?.embeds[0]?.title).toBe(prompt.title);
      expect(rest.every((m) => m.author.id === fake.botUser.id)).toBe(true);
      // Nothing of it shows in the channel: no starter message, no "thread created" notice.
      expect(fake.messagesIn(fake.channelId).some((m) => m.thread?.id === threadId)).toBe(false);
      expect(fake.messagesIn(fake.channelId).some((m) => m.type === 18)).toBe(false);
      // discord.js cached it from THREAD_CREATE, as a private thread the bot is in.
      await vi.waitFor(() => {
        const cached = platform.client?.channels.cache.get(threadId);
        expect(cached?.type).toBe(ChannelType.PrivateThread);
        expect(cached?.isThread() && cached.joined).toBe(true);
      });
    });

    it('hands what the person says there to the core as a reply from that thread', async () => {
      const from = commands.length;
      const sent = fake.sendMessage({
        channelId: threadId,
        content: 'I would start from the unsupported-claim rate.',
        author: PERSON,
      });
      expect(await nextCommand('reply', from)).toEqual({
        kind: 'reply',
        origin: { platform: 'discord', user: PERSON.id, channel, thread },
        messageId: sent.id,
        text: 'I would start from the unsupported-claim rate.',
      });
    });

    it('is known to a bot that connects later, from GUILD_CREATE, and its messages reach that bot', async () => {
      const later = createDiscordPlatform(
        {
          token: fake.token,
          appId: fake.applicationId,
          guildId: fake.guildId,
          apiUrl: fake.apiUrl,
        },
        { logger: createLogger({ write: () => {} }) },
      );
      const heard: Command[] = [];
      await later.start(async (command) => {
        heard.push(command);
        return {};
      });
      try {
        const cached = later.client?.channels.cache.get(threadId);
        expect(cached?.type).toBe(ChannelType.PrivateThread);
        expect(cached?.isThread() && cached.joined).toBe(true);
        const sent = fake.sendMessage({
          channelId: threadId,
          content: 'still here',
          author: PERSON,
        });
        await vi.waitFor(() =>
          expect(heard).toContainEqual(
            expect.objectContaining({ kind: 'reply', messageId: sent.id }),
          ),
        );
        expect(heard.find((c) => c.kind === 'reply')?.origin.thread).toBe(thread);
      } finally {
        await later.stop();
      }
    });

    it('is a thread nobody else can write in (the fake keeps private threads private)', () => {
      expect(() =>
        fake.sendMessage({ channelId: threadId, content: 'let me in', author: MEMBER }),
      ).toThrow(/cannot see private thread/);
    });

    it('asks for a week before archiving when the round outlasts a day', async () => {
      const long = { ...noticeCard('An attempt of 48 hours'), threadMinutes: 48 * 60 };
      const opened = await platform.openPrivate(channel, PERSON.id, long);
      const id = opened.thread.split(':')[2] ?? '';
      expect(fake.getChannel(id)).toMatchObject({
        type: 12,
        name: 'An attempt of 48 hours',
        thread_metadata: { auto_archive_duration: 10080 },
      });
      expect(fake.messagesIn(id).map((m) => m.content)).toEqual(['An attempt of 48 hours']);
    });
  });

  describe('failures, wrapped as every Discord call’s', () => {
    it('openPrivate: the thread cannot be made, and nothing is left', async () => {
      const threads = fake.threads.length;
      fake.failNext(
        `POST /channels/${fake.channelId}/threads`,
        { status: 500, code: 0, message: 'Internal Server Error' },
        4,
      );
      const error = await platform
        .openPrivate(channel, PERSON.id, noticeCard('x'))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PlatformError);
      expect((error as PlatformError).message).toMatch(/^discord: open a private thread: HTTP 500/);
      expect(fake.threads).toHaveLength(threads);
    });

    it('openPrivate: the person cannot be added, and the empty thread is deleted again', async () => {
      const threads = fake.threads.length;
      fake.failNext('PUT /channels/:threadId/thread-members/:userId', {
        status: 404,
        code: 10007,
        message: 'Unknown Member',
      });
      const error = await platform
        .openPrivate(channel, PERSON.id, noticeCard('x'))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PlatformError);
      expect((error as PlatformError).message).toBe(
        'discord: add the person to the private thread: 404 Unknown Member (code 10007)',
      );
      const made = fake.threads[threads];
      expect(made?.type).toBe(12);
      expect(fake.getChannel(made?.id ?? '')).toBeUndefined();
      expect(fake.dispatched.some((d) => d.event === 'THREAD_DELETE')).toBe(true);
      await vi.waitFor(() =>
        expect(platform.client?.channels.cache.has(made?.id ?? '')).toBe(false),
      );
    });

    it('openPrivate: an unknown channel is Discord’s 404, a refusal to post a 403 the person can fix', async () => {
      const unknown = await platform
        .openPrivate(`discord:${fake.guildId}:1300000000000009998`, PERSON.id, noticeCard('x'))
        .catch((e: unknown) => e);
      expect((unknown as PlatformError).message).toBe(
        'discord: open a private thread: 404 Unknown Channel (code 10003)',
      );
      fake.failNext('POST /channels/:threadId/messages', {
        status: 403,
        code: 50013,
        message: 'Missing Permissions',
      });
      const refused = await platform
        .openPrivate(channel, PERSON.id, noticeCard('x'))
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(PlatformError);
      expect((refused as PlatformError).refusal).toBe('cannot_post_here');
    });
  });
});
