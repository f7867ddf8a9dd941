import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordPlatform, type DiscordPlatform } from '../../adapters/discord/index.js';
import { noticeCard } from '../../src/presentation/replies.js';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord/index.js';

const GUILD = '1300000000000000100';
const CHANNEL = '1300000000000000200';
const MINUTE = 60_000;

describe('a Discord redelivery older than the nonce window', () => {
  let fake: FakeDiscord;
  let discord: DiscordPlatform;
  let thread: string;

  beforeAll(async () => {
    // A Discord that forgets nonces at once: only reading the thread can keep a post single.
    fake = await startFakeDiscord({ nonceWindowMs: 0 });
    discord = createDiscordPlatform(
      { token: fake.token, appId: fake.applicationId, apiUrl: fake.apiUrl },
      { listen: false },
    );
    ({ thread } = await discord.openThread(`discord:${GUILD}:${CHANNEL}`, noticeCard('A round')));
  });

  afterAll(async () => {
    await discord?.stop();
    await fake?.close();
  });

  const threadId = () => thread.split(':')[2] ?? '';
  const shown = (text: string) =>
    fake.messagesIn(threadId()).filter((m) => JSON.stringify(m).includes(text));

  it('finds the card it already posted in the thread and posts nothing again', async () => {
    const card = noticeCard('Framing window closed: sketch the system.');
    const since = Date.now() - 10 * MINUTE; // decided ten minutes ago, posted, never confirmed
    const first = await discord.post(thread, card, {
      key: 's1-phase-sketch',
      redelivery: false,
      since,
    });
    const again = await discord.post(thread, card, {
      key: 's1-phase-sketch',
      redelivery: true,
      since,
    });
    expect(again.messageId).toBe(first.messageId);
    expect(shown('Framing window closed')).toHaveLength(1);
    // It read the thread from a little before the message was decided.
    const reads = fake.calls.filter((c) => c.method === 'GET' && c.path.includes(threadId()));
    expect(reads).toHaveLength(1);
  });

  it('posts a redelivered card that the thread does not show', async () => {
    const since = Date.now() - 10 * MINUTE;
    await discord.post(thread, noticeCard('Five minutes left.'), {
      key: 's1-warning',
      redelivery: true,
      since,
    });
    expect(shown('Five minutes left.')).toHaveLength(1);
  });

  it('leaves a recent redelivery to the nonce, reading nothing', async () => {
    const before = fake.calls.filter((c) => c.method === 'GET').length;
    await discord.post(thread, noticeCard('The pivot.'), {
      key: 's1-pivot',
      redelivery: true,
      since: Date.now(),
    });
    expect(fake.calls.filter((c) => c.method === 'GET').length).toBe(before);
  });
});
