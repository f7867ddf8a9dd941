/**
 * The challenge card on Discord, with the real discord.js client against the fake: edited in
 * place, its Start my attempt button, and `Origin.manager` from the member's permissions.
 */
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscordPlatform } from '../../adapters/discord/index.js';
import type { Challenge } from '../../src/challenges/challenge.js';
import type { Command } from '../../src/commands/command.js';
import { PlatformError } from '../../src/errors.js';
import type { Card } from '../../src/presentation/card.js';
import { noticeCard } from '../../src/presentation/replies.js';
import type { FakeDiscord, FakeMessage } from '../fakes/discord/index.js';
import {
  buttonsOf,
  CHALLENGE_ID,
  type ChallengeRig,
  PERSON,
  startChallengeRig,
} from './discord-challenge-rig.js';
import { MEMBER, messageText } from './discord-harness.js';

/** A member given a role with Manage Channels. */
const MODERATOR = { id: '1300000000000000600', username: 'moderator' } as const;
/** A member given a role with Manage Server. */
const ADMIN = { id: '1300000000000000700', username: 'server-admin' } as const;

describe('the Discord challenge card', () => {
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

  /** The challenge card as the core draws it, with `attempts` so far. */
  const card = (attempts: number, status?: Challenge['status']): Card =>
    rig.challengeCard(attempts, status);

  describe('edit', () => {
    it('replaces the card in place: the new count, and no button once the challenge is closed', async () => {
      const { messageId } = await platform.openThread(channel, card(0));
      const posted = fake.getMessage(messageId);
      expect(messageText(posted as FakeMessage)).toContain('0 attempts so far');

      await platform.edit(channel, messageId, card(3));
      const edited = fake.getMessage(messageId);
      expect(edited?.edited_timestamp).not.toBeNull();
      expect(messageText(edited as FakeMessage)).toContain('3 attempts so far');
      expect(buttonsOf(edited).map((b) => b.custom_id)).toEqual([
        `mockdesign:attempt:${CHALLENGE_ID}`,
      ]);

      await platform.edit(channel, messageId, card(4, 'closed'));
      const closed = fake.getMessage(messageId);
      expect(messageText(closed as FakeMessage)).toMatch(/Closed .* · 4 attempts/);
      expect(closed?.components).toEqual([]);
      // The channel still holds one card, not a second one.
      expect(fake.messagesIn(fake.channelId).filter((m) => m.id === messageId)).toHaveLength(1);
    });

    it('turns an embed into plain text and back, each time replacing all of it', async () => {
      const { messageId } = await platform.openThread(channel, card(1));
      await platform.edit(channel, messageId, noticeCard('Only a line now.'));
      expect(fake.getMessage(messageId)).toMatchObject({
        content: 'Only a line now.',
        embeds: [],
        components: [],
      });
      await platform.edit(channel, messageId, card(2));
      const back = fake.getMessage(messageId);
      expect(back?.content).toBe('');
      expect(back?.embeds[0]?.title).toBe(`Team challenge: ${prompt.title}`);
    });

    it('keeps the first part, with the card’s buttons, of a card that no longer fits one message', async () => {
      const { messageId } = await platform.openThread(channel, card(1));
      const long: Card = {
        ...card(5),
        blocks: Array.from({ length: 12 }, (_, i) => ({
          type: 'section' as const,
          title: [`Row ${i + 1}`],
          lines: [['x'.repeat(300)], ['y'.repeat(300)], ['z'.repeat(300)]],
        })),
      };
      await platform.edit(channel, messageId, long);
      const edited = fake.getMessage(messageId);
      expect(edited?.embeds[0]?.title).toBe(`Team challenge: ${prompt.title}`);
      expect(edited?.embeds.flatMap((e) => e.fields ?? []).length).toBeLessThan(12);
      expect(buttonsOf(edited).map((b) => b.custom_id)).toEqual([
        `mockdesign:attempt:${CHALLENGE_ID}`,
      ]);
    });

    it('edits a message in a thread when given the thread', async () => {
      const { thread } = await platform.openThread(channel, noticeCard('A challenge'));
      const threadId = thread.split(':')[2] ?? '';
      const { messageId } = await platform.post(thread, noticeCard('Leaderboard: nobody yet'));
      await platform.edit(thread, messageId, noticeCard('Leaderboard: 1. someone'));
      expect(fake.messagesIn(threadId).map((m) => m.content)).toEqual(['Leaderboard: 1. someone']);
    });
  });

  describe('the Start my attempt button', () => {
    it('carries the challenge id and comes back as an attempt from the channel', async () => {
      const { messageId } = await platform.openThread(channel, card(0));
      const [button] = buttonsOf(fake.getMessage(messageId));
      expect(button).toMatchObject({
        custom_id: `mockdesign:attempt:${CHALLENGE_ID}`,
        label: 'Start my attempt',
      });
      const from = commands.length;
      fake.sendButton({ customId: button?.custom_id ?? '', message: messageId, user: PERSON });
      expect(await nextCommand('attempt', from)).toEqual({
        kind: 'attempt',
        origin: { platform: 'discord', user: PERSON.id, channel, manager: false },
        challengeId: CHALLENGE_ID,
      });
    });

    it('leaves Next phase and End round as they were: the round of the card they are on', async () => {
      const roundCard = rig.roundCard();
      const { thread, messageId } = await platform.openThread(channel, roundCard);
      const last = [messageId, ...fake.messagesIn(messageId).map((m) => m.id)]
        .map((id) => fake.getMessage(id))
        .find((m) => buttonsOf(m).length > 0);
      expect(buttonsOf(last).map((b) => b.custom_id)).toEqual([
        'mockdesign:next',
        'mockdesign:end',
      ]);
      const from = commands.length;
      fake.sendButton({ customId: 'mockdesign:end', message: last?.id ?? '', user: PERSON });
      expect(await nextCommand('end', from)).toEqual({
        kind: 'end',
        origin: { platform: 'discord', user: PERSON.id, channel, thread, manager: false },
      });
      // This card names no phase, like buttons posted before Next phase carried one: a press from
      // an unknown phase, for the core to handle.
      const again = commands.length;
      fake.sendButton({ customId: 'mockdesign:next', message: last?.id ?? '', user: PERSON });
      expect(await nextCommand('next', again)).toEqual({
        kind: 'next',
        origin: { platform: 'discord', user: PERSON.id, channel, thread, manager: false },
        button: {},
      });
    });

    it('ignores a press whose challenge id is not one the core could have written', async () => {
      const { messageId } = await platform.openThread(channel, card(0));
      const message = fake.getMessage(messageId);
      if (!message) throw new Error('no card');
      // A button the core cannot have drawn (a value with a colon), as a forged press would carry.
      message.components = [
        {
          type: 1,
          components: [{ type: 2, style: 1, label: 'x', custom_id: 'mockdesign:attempt:a:b' }],
        },
      ];
      const from = commands.length;
      const sent = fake.sendButton({ customId: 'mockdesign:attempt:a:b', message: messageId });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(commands.slice(from)).toEqual([]);
      expect(fake.interactions.get(sent.id)?.response).toBeUndefined();
    });
  });

  describe('Origin.manager, from the member’s permissions in the channel', () => {
    beforeAll(() => {
      const channels = fake.createRole({
        name: 'moderators',
        permissions: PermissionFlagsBits.ManageChannels,
      });
      fake.addMemberRole({ user: MODERATOR, roleId: channels.id });
      const server = fake.createRole({
        name: 'admins',
        permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel,
      });
      fake.addMemberRole({ user: ADMIN, roleId: server.id });
    });

    const managerOf = async (user: { id: string; username: string }) => {
      const from = commands.length;
      const sent = fake.sendSlashCommand({ name: 'mockdesign', subcommand: 'status', user });
      const member = fake.interactions.get(sent.id)?.payload.member as { permissions: string };
      const permissions = member.permissions;
      const command = await nextCommand('status', from);
      return { manager: command.origin.manager, permissions };
    };

    it('is true for a member with Manage Channels, false for one without', async () => {
      const moderator = await managerOf(MODERATOR);
      expect(moderator.manager).toBe(true);
      expect(BigInt(moderator.permissions) & PermissionFlagsBits.ManageChannels).not.toBe(0n);
      const member = await managerOf(MEMBER);
      expect(member.manager).toBe(false);
      expect(typeof member.permissions).toBe('string');
    });

    it('is true for Manage Server, and for the server’s owner, who holds every permission', async () => {
      expect((await managerOf(ADMIN)).manager).toBe(true);
      expect((await managerOf(fake.user as { id: string; username: string })).manager).toBe(true);
    });

    it('comes with button presses too', async () => {
      const { messageId } = await platform.openThread(channel, card(0));
      const from = commands.length;
      fake.sendButton({
        customId: `mockdesign:attempt:${CHALLENGE_ID}`,
        message: messageId,
        user: MODERATOR,
      });
      expect((await nextCommand('attempt', from)).origin.manager).toBe(true);
    });
  });

  describe('failures, wrapped as every Discord call’s', () => {
    it('edit: an unknown message is Discord’s 404', async () => {
      const error = await platform
        .edit(channel, '1300000000000009999', noticeCard('x'))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PlatformError);
      expect((error as PlatformError).message).toBe(
        'discord: edit a message: 404 Unknown Message (code 10008)',
      );
    });

    it('edit: a server error that outlasts discord.js’s retries', async () => {
      const { messageId } = await platform.openThread(channel, noticeCard('A card'));
      fake.failNext(
        `PATCH /channels/${fake.channelId}/messages/${messageId}`,
        { status: 500, code: 0, message: 'Internal Server Error' },
        4,
      );
      const error = await platform
        .edit(channel, messageId, noticeCard('B card'))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PlatformError);
      expect((error as PlatformError).message).toMatch(/^discord: edit a message: HTTP 500 /);
      expect(fake.getMessage(messageId)?.content).toBe('A card');
    });
  });
});
