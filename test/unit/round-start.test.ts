/** Starting a round: one active round per person whatever races, and the limits per person. */
import { describe, expect, it } from 'vitest';
import { harness } from './harness.js';

const MINUTE = 60_000;

describe('starting a round', () => {
  it('gives two starts sent at once one round and one thread', async () => {
    const h = await harness();
    const start = () => h.send({ kind: 'start', origin: h.origin, mode: 'live' });
    const [a, b] = await Promise.all([start(), start()]);
    expect([a.text, b.text].filter((t) => /has started/.test(t ?? ''))).toHaveLength(1);
    expect(
      [a.text, b.text].filter((t) => /already have a round running/.test(t ?? '')),
    ).toHaveLength(1);
    expect(h.platform.cards('prompt')).toHaveLength(1);
  });

  it('leaves nothing behind when the prompt card cannot be posted, so the next start works', async () => {
    const h = await harness();
    const open = h.platform.openThread.bind(h.platform);
    h.platform.openThread = async () => {
      throw new Error('platform unavailable');
    };
    const failed = await h.send({ kind: 'start', origin: h.origin, mode: 'live' });
    expect(failed.failed).toBe(true);
    expect(failed.text).toMatch(/something went wrong on our side/);
    h.platform.openThread = open;
    expect((await h.send({ kind: 'start', origin: h.origin, mode: 'live' })).text).toMatch(
      /has started/,
    );
  });

  it('gives the slot back when the round cannot be stored, and its timers do nothing', async () => {
    const h = await harness();
    const create = h.store.create.bind(h.store);
    h.store.create = async () => {
      throw new Error('store unavailable');
    };
    const failed = await h.send({ kind: 'start', origin: h.origin, mode: 'live' });
    expect(failed.failed).toBe(true);
    h.store.create = create;
    await h.clock.advance(50 * MINUTE); // the orphan thread's timers fire and find no round
    expect(h.errors).toEqual([]);
    expect((await h.send({ kind: 'start', origin: h.origin, mode: 'live' })).text).toMatch(
      /has started/,
    );
  });

  it('starts a round when the one holding the slot ends between the refused claim and the lookup', async () => {
    const h = await harness();
    const thread = await h.start();
    // The running round ends just as the refused start looks it up (another process ended it).
    const findActive = h.store.findActive.bind(h.store);
    h.store.findActive = async (...args) => {
      h.store.findActive = findActive;
      await h.reply(thread, 'end');
      return findActive(...args);
    };
    const again = await h.send({ kind: 'start', origin: h.origin, mode: 'live' });
    expect(again.text).toMatch(/has started/);
    expect(h.platform.cards('prompt')).toHaveLength(2);
  });

  it('refuses a start past the rounds a person may start in a day', async () => {
    const h = await harness({ limits: { roundsPerDay: 2 } });
    for (let i = 0; i < 2; i++) {
      const thread = await h.start();
      await h.reply(thread, 'end');
    }
    expect((await h.send({ kind: 'start', origin: h.origin, mode: 'live' })).text).toMatch(
      /started 2 rounds in the last 24 hours/,
    );
    await h.clock.advance(24 * 60 * MINUTE + MINUTE);
    expect((await h.send({ kind: 'start', origin: h.origin, mode: 'live' })).text).toMatch(
      /has started/,
    );
  });

  it('refuses replies past the most one round takes, and the round goes on', async () => {
    const h = await harness({ limits: { repliesPerRound: 2 } });
    const thread = await h.start();
    await h.reply(thread, 'First point about the metric.');
    await h.reply(thread, 'Second point about the baseline.');
    expect((await h.reply(thread, 'Third point.')).text).toMatch(/taken its 2 replies/);
    const session = await h.store.findByThread(thread);
    expect(session?.replies).toBe(2);
    expect(session?.status).toBe('active');
    expect((await h.reply(thread, 'end')).text).toMatch(/Round ended/);
  });
});

describe('a reply', () => {
  it('is stored with its round update or not at all, so a resend after a failure is taken', async () => {
    const h = await harness();
    const thread = await h.start();
    const addReply = h.store.addReply.bind(h.store);
    h.store.addReply = async () => {
      throw new Error('store unavailable');
    };
    const text =
      'I hypothesize that a reranker cuts hallucination rate by 15% vs the current baseline.';
    const failed = await h.reply(thread, text, 'M1');
    expect(failed.failed).toBe(true);
    expect(failed.text).toMatch(/not part of your round yet/);
    h.store.addReply = addReply;
    await h.reply(thread, text, 'M1');
    const session = await h.store.findByThread(thread);
    expect(session?.replies).toBe(1);
    expect(session?.hypothesisAt).toBe(0);
    expect((await h.store.messages(session?.id ?? '')).map((m) => m.id)).toEqual(['M1']);
  });

  it('keeps the probe a stored reply brings when the process fails right after storing it', async () => {
    const h = await harness();
    const thread = await h.start();
    await h.reply(
      thread,
      'I hypothesize that a reranker cuts hallucination rate by 15% vs the current baseline.',
    );
    const addReply = h.store.addReply.bind(h.store);
    // The write happens; the answer never comes back (a lost connection, a killed process).
    h.store.addReply = async (...args) => {
      await addReply(...args);
      throw new Error('connection lost');
    };
    await h.reply(thread, 'We will put the logs in Kafka.', 'M1');
    h.store.addReply = addReply;
    const session = await h.store.findByThread(thread);
    expect(session?.probes.map((p) => p.technology)).toEqual(['Kafka']);
    await h.clock.advance(60_000);
    expect(h.platform.said(thread, 'probe-1')).toMatch(/You mentioned Kafka/);
  });

  it('is probed on its own clock when sent again after a failed store, not on the failed try’s', async () => {
    const h = await harness();
    const thread = await h.start();
    await h.reply(
      thread,
      'I hypothesize that a reranker cuts hallucination rate by 15% vs the current baseline.',
    );
    const addReply = h.store.addReply.bind(h.store);
    h.store.addReply = async () => {
      throw new Error('store unavailable');
    };
    // The failed try foresaw a probe due 45 s later and scheduled it before the store refused.
    expect((await h.reply(thread, 'We will put the logs in Kafka.', 'M1')).failed).toBe(true);
    h.store.addReply = addReply;
    await h.clock.advance(30_000);
    await h.reply(thread, 'We will put the logs in Kafka.', 'M1');
    await h.clock.advance(60_000);
    const probes = h.platform.events(thread).filter((e) => e.event.startsWith('probe-'));
    // 45 s after the reply that was stored (0:30), once.
    expect(probes).toEqual([{ event: 'probe-1', minute: 1.25 }]);
  });
});
