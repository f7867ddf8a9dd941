import { describe, expect, it } from 'vitest';
import { cardText } from '../../src/presentation/card.js';
import { harness } from './harness.js';

const MINUTE = 60_000;

describe('drills', () => {
  it('times a hypothesis drill out at two minutes and scores the hypothesis alone, with a rewrite', async () => {
    const h = await harness();
    const started = await h.send({ kind: 'drill', origin: h.origin, drill: 'hypothesis' });
    expect(started.text).toMatch(/Your hypothesis drill on ".+" has started: 2 minutes/);
    const session = await h.store.findActive('test', 'U1');
    const thread = session?.thread ?? '';
    const prompt = h.platform.cards('prompt').at(-1);
    expect(prompt?.card.title).toMatch(/^Hypothesis drill: /);
    expect(
      cardText(
        prompt?.card ?? { kind: 'prompt', tone: 'brand', summary: '', blocks: [], controls: [] },
      ),
    ).toMatch(/direction, the metric, the baseline and the effect size/);
    await h.reply(thread, 'I think a better reranker would help, maybe using Kafka for the logs.');
    await h.clock.advance(2 * MINUTE);
    // No cut-in, no phase change, no probe: the closing line and the one-criterion card.
    expect(h.platform.events(thread).map((e) => e.event)).toEqual(['end']);
    // Spoken as a drill, not as a round's phase and panel.
    const closing = h.platform.said(thread, 'end') ?? '';
    expect(closing).toMatch(/Interviewer · Hypothesis drill · /);
    expect(closing).toMatch(/That's time on the drill\. Here is how your answer scores\./);
    expect(closing).not.toMatch(/panel|Framing/);
    const card = h.platform.cards('scorecard').at(-1)?.card;
    expect(card?.title).toMatch(/^Hypothesis drill — \d\/4 · Hypothesis definition$/);
    const text = cardText(card as NonNullable<typeof card>);
    expect(text).not.toMatch(/Scalability considerations|Risk assessment|Red flags/);
    expect(text).toMatch(/[█░]{4} \d\/4 · Hypothesis definition\n/);
    expect(text).toMatch(/Instead of: “I think a better reranker would help/);
    expect(text).not.toMatch(/test-bed|Derive the scale/);
    // A chat keeps every round, so the card can say where to find it.
    expect(text).toMatch(/Scored by .* · kept in your `history`$/);
    const history = await h.send({ kind: 'history', origin: h.origin });
    expect(history.text).toMatch(/: Hypothesis drill — Hypothesis definition \d\/4/);
    // A drill is left out of the trends (its other criteria were never asked for).
    expect(history.text).toMatch(
      /A trend shows once a full round is scored \(drills are left out\)/,
    );
  });

  it('answers `status` in a drill with the drill and its time, not with a round’s phases', async () => {
    const h = await harness();
    await h.send({ kind: 'drill', origin: h.origin, drill: 'hypothesis' });
    const thread = (await h.store.findActive('test', 'U1'))?.thread ?? '';
    await h.clock.advance(MINUTE);
    const status = await h.send({ kind: 'status', origin: { ...h.origin, thread } });
    expect(status.text).toBe('Hypothesis drill: 01:00 elapsed, 01:00 left; 0 replies.');
  });

  for (const [drill, criterion, title] of [
    ['tradeoffs', 'Scalability considerations', 'Trade-offs drill'],
    ['risks', 'Risk assessment', 'Risks drill'],
  ] as const) {
    it(`times a ${drill} drill out at five minutes and scores ${criterion} alone`, async () => {
      const h = await harness();
      await h.send({ kind: 'drill', origin: h.origin, drill });
      const thread = (await h.store.findActive('test', 'U1'))?.thread ?? '';
      await h.reply(
        thread,
        'Sharding cuts p99 latency by 30% but doubles cost; caching saves 40% of compute but risks stale results, which I would measure weekly.',
      );
      await h.clock.advance(4 * MINUTE);
      expect(h.platform.cards('scorecard')).toHaveLength(0);
      await h.clock.advance(MINUTE);
      const card = h.platform.cards('scorecard').at(-1)?.card;
      expect(card?.title).toMatch(new RegExp(`^${title} — \\d/4 · ${criterion}$`));
    });
  }

  it('ends a drill at once on next', async () => {
    const h = await harness();
    await h.send({ kind: 'drill', origin: h.origin, drill: 'risks' });
    const thread = (await h.store.findActive('test', 'U1'))?.thread ?? '';
    await h.reply(thread, 'next');
    await h.clock.advance(1000);
    expect(h.platform.cards('scorecard')).toHaveLength(1);
  });
});
