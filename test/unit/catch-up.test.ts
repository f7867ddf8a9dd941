import { describe, expect, it } from 'vitest';
import { catchUp } from '../../src/catch-up.js';
import { createLogger } from '../../src/logger.js';
import { cardText } from '../../src/presentation/card.js';
import { harness } from './harness.js';

const MINUTE = 60_000;

describe('catching up on a thread after a gap', () => {
  it('reads back what was said in the gap, even once a reply heard after it is stored', async () => {
    const h = await harness();
    const thread = await h.start();
    const id = (await h.store.findByThread(thread))?.id ?? '';
    const say = async (messageId: string, text: string, heard: boolean) => {
      h.platform.written.push({ thread, messageId, user: 'U1', text, sentAt: h.clock.now() });
      if (heard) await h.reply(thread, text, messageId);
    };
    await say(
      'm1',
      'I expect a reranker to cut unsupported claims by 15% against the baseline.',
      true,
    );
    await h.clock.advance(MINUTE);
    // The platform connection drops: these two are not heard.
    await say('m2', 'The benchmark is our 2,000 support questions.', false);
    await h.clock.advance(MINUTE);
    await say('m3', 'Two arms, the same questions, the reranker on or off.', false);
    await h.clock.advance(MINUTE);
    const back = h.clock.now();
    await h.clock.advance(2_000);
    // Heard as soon as the platform is back, before the catch-up reaches this round.
    await say('m4', 'Sample size: 800 questions per arm.', true);
    const logger = createLogger({ write: () => {} });
    await catchUp({ store: h.store, platforms: h.platforms, handle: h.send, logger }, 'test', back);
    // In the order they were said (the transcript sorts by time; m4 was stored first).
    const replies = (await h.store.messages(id))
      .filter((m) => m.role === 'candidate')
      .sort((a, b) => a.at - b.at);
    expect(replies.map((m) => m.id)).toEqual(['m1', 'm2', 'm3', 'm4']);
    expect(replies.map((m) => Math.round(m.at / 60))).toEqual([0, 1, 2, 3]);
  });

  it('tells the person about a missed reply it refuses, as it would have live, once', async () => {
    const h = await harness();
    const thread = await h.start();
    const back = h.clock.now();
    await h.clock.advance(MINUTE);
    h.platform.written.push({
      thread,
      messageId: 'm1',
      user: 'U1',
      text: 'x'.repeat(30_000),
      sentAt: back - 1_000,
    });
    const logger = createLogger({ write: () => {} });
    await catchUp({ store: h.store, platforms: h.platforms, handle: h.send, logger }, 'test', back);
    const [told] = h.platform.ephemerals;
    expect(h.platform.ephemerals).toHaveLength(1);
    expect(told).toMatchObject({ address: thread, user: 'U1' });
    expect(told && cardText(told.card)).toMatch(/the limit is 20,000/);
    // The next catch-up (a reconnect) reads it again, and says nothing more.
    await catchUp({ store: h.store, platforms: h.platforms, handle: h.send, logger }, 'test', back);
    expect(h.platform.ephemerals).toHaveLength(1);
  });
});
