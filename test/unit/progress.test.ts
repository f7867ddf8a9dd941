import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { OVERALL_COLOUR, plotPosition } from '../../src/progress/chart.js';
import { HeuristicScorer } from '../../src/scoring/heuristic/heuristic-scorer.js';
import { TranscriptSchema } from '../../src/transcript.js';
import { harness, shippedLibrary } from './harness.js';

const MINUTE = 60_000;
const STRONG =
  'I hypothesise that a cross-encoder reranker cuts the hallucination rate by 15% against the current retriever as baseline; I will test it with a control arm and a treatment arm on 2,000 held-out questions, and watch for reviewer bias as a threat to validity.';
const WEAK = 'I would use Kafka and Kubernetes.';

/** Plays a round with `lines` and ends it; the clock moves a day on. */
async function round(h: Awaited<ReturnType<typeof harness>>, lines: string[], promptId?: string) {
  const thread = await h.start(promptId ? { promptId } : {});
  for (const line of lines) await h.reply(thread, line);
  await h.reply(thread, 'end');
  await h.clock.advance(24 * 60 * MINUTE);
  return thread;
}

describe('the practice loop in chat', () => {
  it('shows each criterion rising when the last three rounds beat the three before', async () => {
    const h = await harness();
    for (let i = 0; i < 3; i++) await round(h, [WEAK]);
    for (let i = 0; i < 3; i++) await round(h, [STRONG]);
    const text = (await h.send({ kind: 'history', origin: h.origin })).text ?? '';
    expect(text).toMatch(/^Your last 6 rounds/);
    expect(text).toMatch(/Hypothesis definition \d\.\d ↑ \(from \d\.\d\)/);
    expect(text).not.toMatch(/four or more scored rounds/);
  });

  it('sends a chart of the stored scores to the person’s direct messages with the history', async () => {
    const h = await harness();
    await round(h, [WEAK]);
    await round(h, [STRONG]);
    const answer = await h.send({ kind: 'history', origin: h.origin });
    expect(answer.text).toMatch(
      /The chart of your scores over time is in your direct messages with me/,
    );
    const [sent] = h.platform.directs;
    const file = sent?.files[0];
    expect(file).toMatchObject({ name: 'mockdesign-progress.png', contentType: 'image/png' });
    const png = decode(file?.bytes as Uint8Array);
    expect([png.width, png.height]).toEqual([960, 540]);
    // The overall line's dots sit where the stored scorecards put them, oldest first.
    const overalls = (await h.store.history('test', 'U1', 10)).reverse();
    expect(overalls).toHaveLength(2);
    for (const [i, session] of overalls.entries()) {
      const card = await h.store.getScorecard(session.id);
      const { x, y } = plotPosition(i, 2, card?.overall ?? -1, 'overall');
      const rgb = pixel(png, x, y);
      expect(rgb).toEqual([...OVERALL_COLOUR]);
    }
  });

  it('answers the history without a chart when the chart cannot be sent', async () => {
    const h = await harness();
    await round(h, [WEAK]);
    h.platform.failures = 1;
    const answer = await h.send({ kind: 'history', origin: h.origin });
    expect(answer.text).toMatch(/Your last round[\s\S]*The chart could not be sent just now/);
  });

  it('aims adaptive at the weakest criterion and says why on the prompt card', async () => {
    const h = await harness();
    const library = await shippedLibrary();
    // Strong hypotheses, nothing on scalability: scalability is weakest (hypothesis is not).
    await round(h, [STRONG]);
    const started = await h.send({
      kind: 'start',
      origin: h.origin,
      mode: 'live',
      promptId: 'adaptive',
    });
    expect(started.text).toMatch(
      /Picked for your weakest criterion, (\w+ ?)+ \(mean level \d\.\d of 4 over the last 1 scored round\)/,
    );
    const session = await h.store.findActive('test', 'U1');
    const prompt = library.prompts.get(session?.promptId ?? '');
    const weakest = /weakest criterion, ([^(]+) \(/.exec(started.text ?? '')?.[1]?.trim();
    const criterion = library.rubric.criteria.find((c) => c.name === weakest);
    expect(criterion).toBeDefined();
    expect(criterion?.id).not.toBe('hypothesis');
    expect(prompt?.stresses).toContain(criterion?.id);
    const card = h.platform.cards('prompt').at(-1);
    expect(JSON.stringify(card?.card.blocks)).toContain('Picked for your weakest criterion');
  });

  it('picks at random and says so when there is nothing scored yet', async () => {
    const h = await harness();
    const started = await h.send({
      kind: 'start',
      origin: h.origin,
      mode: 'live',
      promptId: 'adaptive',
    });
    expect(started.text).toMatch(/Picked at random: you have no scored rounds yet/);
  });

  it('exports every round as transcripts that score again to the stored overall', async () => {
    const h = await harness();
    await round(h, [WEAK]);
    await round(h, [STRONG], 'labeller-quality');
    const answer = await h.send({ kind: 'export', origin: h.origin });
    expect(answer.text).toMatch(/Your 2 rounds are in your direct messages with me/);
    const [sent] = h.platform.directs;
    expect(sent?.user).toBe('U1');
    const file = sent?.files[0];
    expect(file).toMatchObject({ name: 'mockdesign-rounds.json', contentType: 'application/json' });
    const rounds = JSON.parse(new TextDecoder().decode(file?.bytes)) as {
      scorecard: { overall: number };
    }[];
    expect(rounds).toHaveLength(2);
    const library = await shippedLibrary();
    const scorer = new HeuristicScorer(library.rubric);
    for (const exported of rounds) {
      const transcript = TranscriptSchema.parse(exported);
      expect((await scorer.score(transcript)).overall).toBe(exported.scorecard.overall);
    }
  });

  it('says so when the platform cannot take the export', async () => {
    const h = await harness();
    await round(h, [WEAK]);
    h.platform.failures = 1;
    const answer = await h.send({ kind: 'export', origin: h.origin });
    expect(answer.failed).toBe(true);
    expect(answer.card?.kind).toBe('apology');
  });
});

/** The RGB of one pixel of a decoded PNG (indexed or not). */
function pixel(png: ReturnType<typeof decode>, x: number, y: number): number[] {
  const i = y * png.width + x;
  if (png.palette) return [...(png.palette[png.data[i] as number] ?? [])].slice(0, 3);
  const channels = png.channels;
  return [...png.data.slice(i * channels, i * channels + 3)];
}
