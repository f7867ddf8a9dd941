/** The time a scorecard stamps on each quote: as the rest of its card gives times. */
import { describe, expect, it } from 'vitest';
import type { Card } from '../../src/presentation/card.js';
import { present } from '../../src/presentation/present.js';
import { drillCard, scorecardCard } from '../../src/presentation/scorecard-card.js';
import { DRILLS } from '../../src/round/drills.js';
import { asyncScorecard } from '../fixtures/async-scorecard.js';

/** Each quote on the card that has a time, as `[time] words`. */
function stampedQuotes(card: Card): string[] {
  return card.blocks
    .flatMap((block) => (block.type === 'section' ? block.lines : []))
    .flat()
    .flatMap((run) =>
      typeof run === 'object' && 'quote' in run && run.at !== undefined
        ? [`[${run.at}] ${run.quote}`]
        : [],
    );
}

/** A live round's scorecard: the same quotes, said 2 min 5 s and 1 h 2 min 5 s in. */
function liveScorecard(minutes: number) {
  const card = asyncScorecard();
  return {
    ...card,
    minutes,
    criteria: card.criteria.map((c) => ({
      ...c,
      evidence: c.evidence.map((e) => ({ ...e, at: 125 })),
    })),
    flags: card.flags.map((f) => ({ ...f, at: 3725 })),
  };
}

describe("a scorecard's quote times", () => {
  it("stamp an async round's quotes with how long into the round they were said", () => {
    const card = present({ kind: 'scorecard', scorecard: asyncScorecard() });
    expect(stampedQuotes(card)).toEqual([
      '[19 h 12 min] A two-stage retriever cuts hallucination by 15% on HaluEval.',
      '[2 d 5 h] We just use Kafka.',
    ]);
  });

  it("stamp a live round's quotes on its clock, as before", () => {
    const card = present({ kind: 'scorecard', scorecard: liveScorecard(90) });
    expect(stampedQuotes(card)).toEqual([
      '[02:05] A two-stage retriever cuts hallucination by 15% on HaluEval.',
      '[1:02:05] We just use Kafka.',
    ]);
  });

  it('read as durations on a saved transcript’s card when the round was longer than a live round can be', () => {
    // `mockdesign score FILE`: the transcript does not say the round's mode.
    const card = scorecardCard(asyncScorecard());
    expect(stampedQuotes(card)).toEqual([
      '[19 h 12 min] A two-stage retriever cuts hallucination by 15% on HaluEval.',
      '[2 d 5 h] We just use Kafka.',
    ]);
    const lines = card.blocks.flatMap((b) => (b.type === 'section' ? b.lines : []));
    expect(lines).toContainEqual(['Hypothesis first stated: after 19 h 12 min (in framing)']);
  });

  it('read on the clock on a saved transcript’s card of a round a live one could be', () => {
    expect(stampedQuotes(scorecardCard(liveScorecard(240)))[0]).toMatch(/^\[02:05\] /);
  });

  it("stamp a drill's quotes on its clock", () => {
    const card = drillCard(liveScorecard(10), DRILLS.hypothesis);
    expect(stampedQuotes(card)).toEqual([
      '[02:05] A two-stage retriever cuts hallucination by 15% on HaluEval.',
    ]);
  });
});
