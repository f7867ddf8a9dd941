import { describe, expect, it } from 'vitest';
import type { Scorer } from '../../src/ports/scorer.js';
import { cardText } from '../../src/presentation/card.js';
import { harness } from './harness.js';

const MINUTE = 60_000;

describe('history and forget', () => {
  it('lists a user’s rounds newest first with their scores', async () => {
    const h = await harness();
    const first = await h.start({ promptId: 'rag-hallucination-measurement' });
    await h.reply(first, 'I expect a reranker to cut the hallucination rate by 15% vs today.');
    await h.reply(first, 'end');
    await h.clock.advance(MINUTE);
    await h.start({ promptId: 'red-teaming-at-scale' });
    const text = (await h.send({ kind: 'history', origin: h.origin })).text ?? '';
    const lines = text.split('\n');
    expect(lines[0]).toBe('Your last 2 rounds');
    expect(lines[1]).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d UTC — Red-teaming .*\(45 minutes\): in progress$/i,
    );
    expect(lines[2]).toMatch(
      /: \d+\/100 .+ — Hypothesis \d · Experimental \d · Scalability \d · Risk \d · Communication \d$/,
    );
    expect(text).toMatch(
      // One scored round: nothing before it to compare with.
      /Trend — the last scored round\nHypothesis definition \d\.0\n/,
    );
  });

  it('gives an async round’s length as its scorecard does, in hours or days', async () => {
    const h = await harness();
    const HOUR = 60 * MINUTE;
    const days = await h.start({
      promptId: 'rag-hallucination-measurement',
      mode: 'async',
      minutes: 72 * 60,
    });
    await h.reply(days, 'I expect a reranker to cut the hallucination rate by 15% vs today.');
    await h.clock.advance(5 * HOUR);
    await h.reply(days, 'end');
    await h.clock.advance(MINUTE);
    await h.start({ promptId: 'red-teaming-at-scale', mode: 'async', minutes: 36 * 60 });
    const text = (await h.send({ kind: 'history', origin: h.origin })).text ?? '';
    const lines = text.split('\n');
    expect(lines[1]).toMatch(/Red-teaming .*\(36 hours\): in progress$/i);
    expect(lines[2]).toMatch(/Hallucination .*\(3 days\): \d+\/100 /);
    const scorecard = h.platform.cards('scorecard')[0];
    expect(scorecard && cardText(scorecard.card)).toMatch(/Round of 3 days/);
  });

  it('lists a round where nothing was said as such, and leaves it out of the trends', async () => {
    const h = await harness();
    const spoken = await h.start({ promptId: 'rag-hallucination-measurement' });
    await h.reply(spoken, 'I expect a reranker to cut the hallucination rate by 15% vs today.');
    await h.reply(spoken, 'end');
    await h.clock.advance(MINUTE);
    const silent = await h.start({ promptId: 'red-teaming-at-scale' });
    await h.reply(silent, 'end');
    await h.clock.advance(MINUTE);
    const text = (await h.send({ kind: 'history', origin: h.origin })).text ?? '';
    const lines = text.split('\n');
    expect(lines[1]).toMatch(/Red-teaming .*: nothing was said \(left out of your trends\)$/i);
    expect(lines[2]).toMatch(/: \d+\/100 /);
    expect(text).toMatch(/Trend — the last scored round\n/);
  });

  it('takes a round whose every answer was deleted for one where nothing was said', async () => {
    const h = await harness();
    const spoken = await h.start({ promptId: 'rag-hallucination-measurement' });
    await h.reply(spoken, 'I expect a reranker to cut the hallucination rate by 15% vs today.');
    await h.reply(spoken, 'end');
    await h.clock.advance(MINUTE);
    const taken = await h.start({ promptId: 'red-teaming-at-scale' });
    await h.reply(taken, 'sorry, wrong window', 'oops');
    await h.send({ kind: 'withdraw', origin: { ...h.origin, thread: taken }, messageId: 'oops' });
    // The platform tells of the deletion again: it is counted once.
    await h.send({ kind: 'withdraw', origin: { ...h.origin, thread: taken }, messageId: 'oops' });
    await h.reply(taken, 'end');
    await h.clock.advance(MINUTE);
    const closing = h.platform.posts.find((p) => p.address === taken && p.subject === 'end');
    expect(closing && cardText(closing.card)).toMatch(/no answers came in/);
    const text = (await h.send({ kind: 'history', origin: h.origin })).text ?? '';
    const lines = text.split('\n');
    expect(lines[1]).toMatch(/Red-teaming .*: nothing was said \(left out of your trends\)$/i);
    expect(text).toMatch(/Trend — the last scored round\n/);
  });

  it('counts a deletion handled by two processes at once once, so the answer left still stands', async () => {
    const h = await harness();
    // A second process on the same store: the platform delivered the deletion twice, or a
    // catch-up read it while the live event was handled.
    const other = await harness({ store: h.store });
    const thread = await h.start({ promptId: 'rag-hallucination-measurement' });
    await h.reply(thread, 'I expect a reranker to cut the hallucination rate by 15% vs today.');
    await h.reply(thread, 'sorry, wrong window', 'oops');
    const withdraw = {
      kind: 'withdraw' as const,
      origin: { ...h.origin, thread },
      messageId: 'oops',
    };
    await Promise.all([h.send(withdraw), other.send(withdraw)]);
    const round = await h.store.findByThread(thread);
    expect(await h.store.message(round?.id ?? '', 'oops')).toMatchObject({ role: 'withdrawn' });
    expect((await h.reply(thread, 'status')).text).toMatch(/; 1 reply\.$/m);
    await h.reply(thread, 'end');
    await h.clock.advance(MINUTE);
    expect(h.platform.said(thread, 'end')).toMatch(
      /Ending here, .* The panel scores what you said/,
    );
    const text = (await h.send({ kind: 'history', origin: h.origin })).text ?? '';
    expect(text.split('\n')[1]).toMatch(/Hallucination .*\(45 minutes\): \d+\/100 /i);
    expect(text).toMatch(/Trend — the last scored round\n/);
  });

  it('lists a round that could not be scored as not scored, not as still scoring', async () => {
    const scorer: Scorer = {
      name: 'heuristic',
      async score() {
        throw new Error('the engine failed on this transcript');
      },
    };
    const h = await harness({ scorer });
    const thread = await h.start({ promptId: 'rag-hallucination-measurement' });
    await h.reply(thread, 'I expect a reranker to cut the hallucination rate by 15% vs today.');
    await h.reply(thread, 'end');
    await h.clock.advance(MINUTE);
    expect((await h.store.findByThread(thread))?.status).toBe('done');
    const text = (await h.send({ kind: 'history', origin: h.origin })).text ?? '';
    expect(text.split('\n')[1]).toMatch(/\(45 minutes\): not scored \(scoring failed\)$/);
  });

  it('asks before deleting, then deletes every round of the user and stops a running one', async () => {
    const h = await harness();
    const thread = await h.start();
    await h.reply(thread, 'I hypothesize X cuts error rate by 10% vs baseline.');
    const ask = await h.send({ kind: 'forget', origin: h.origin, confirmed: false });
    expect(ask.text).toMatch(/^forget confirm deletes your 1 round here/);
    expect(await h.store.findByThread(thread)).toBeDefined();
    const done = await h.send({ kind: 'forget', origin: h.origin, confirmed: true });
    expect(done.text).toBe('Deleted 1 round with their replies and scorecards.');
    expect(await h.store.findByThread(thread)).toBeUndefined();
    expect(h.scheduler.list()).toEqual([]);
    await h.clock.advance(60 * MINUTE);
    expect(h.platform.events(thread)).toEqual([]);
  });
});
