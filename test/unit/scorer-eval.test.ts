import { describe, expect, it } from 'vitest';
import { evaluate } from '../../eval/evaluate.js';
import { type LabelledTranscript, loadLabelledSet } from '../../eval/labelled-set.js';
import { pairwiseAccuracy, precisionRecall, quadraticKappa, spearman } from '../../eval/metrics.js';
import {
  HeuristicScorer,
  scoreHeuristically,
} from '../../src/scoring/heuristic/heuristic-scorer.js';
import { shippedLibrary } from './harness.js';

const byCase = (set: LabelledTranscript[], name: string) => {
  const item = set.find((s) => s.label.case === name);
  if (!item) throw new Error(`no labelled transcript for case ${name}`);
  return item;
};

describe('agreement statistics', () => {
  it('computes Spearman, pairwise accuracy, quadratic kappa and F1 on known values', () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1);
    expect(spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])).toBeCloseTo(0.8);
    expect(pairwiseAccuracy([10, 50, 90], [20, 10, 80])).toBeCloseTo(2 / 3);
    expect(quadraticKappa([0, 1, 2, 3, 4], [0, 1, 2, 3, 4])).toBeCloseTo(1);
    expect(quadraticKappa([0, 0, 4, 4], [4, 4, 0, 0])).toBeLessThan(0);
    expect(precisionRecall([['a', 'b'], []], [['a'], ['c']])).toMatchObject({
      precision: 0.5,
      recall: 0.5,
      f1: 0.5,
    });
  });
});

describe('the heuristic scorer on the labelled set', () => {
  it('meets the targets: Spearman ≥ 0.85, mean QWK ≥ 0.6, red-flag F1 ≥ 0.8', async () => {
    const { rubric } = await shippedLibrary();
    const set = await loadLabelledSet();
    expect(set.length).toBeGreaterThanOrEqual(24);
    const e = await evaluate(new HeuristicScorer(rubric), set);
    expect(e.spearman).toBeGreaterThanOrEqual(0.85);
    expect(e.meanKappa).toBeGreaterThanOrEqual(0.6);
    expect(e.flags.f1).toBeGreaterThanOrEqual(0.8);
    // Rubric words strung together earn nothing; annotators mark them down, so may the scorer.
    expect(e.stuffingDelta).toBeLessThanOrEqual(2);
    expect(e.paddingDelta).toBeLessThanOrEqual(2);
  });

  it('scores the tricky cases on substance', async () => {
    const { rubric } = await shippedLibrary();
    const set = await loadLabelledSet();
    const overall = (name: string) =>
      scoreHeuristically(rubric, byCase(set, name).transcript).overall;
    expect(overall('keyword-stuffing')).toBeLessThan(25);
    expect(overall('long-but-shallow')).toBeLessThan(45);
    expect(overall('terse-but-strong')).toBeGreaterThanOrEqual(65);
    expect(overall('heavy-typos')).toBeGreaterThanOrEqual(65);
    expect(overall('terse-but-strong')).toBeGreaterThan(overall('long-but-shallow') + 25);
  });

  it('gives text addressed to the grader no effect, and flags nothing for it', async () => {
    const { rubric } = await shippedLibrary();
    const { transcript } = byCase(await loadLabelledSet(), 'prompt-injection');
    const injections = /ignore (the|all)|give (me|this)|system\s*:|score (me|this)/i;
    const clean = {
      ...transcript,
      messages: transcript.messages.filter(
        (m) => !(m.role === 'candidate' && injections.test(m.text)),
      ),
    };
    expect(clean.messages.length).toBeLessThan(transcript.messages.length);
    const withInjection = scoreHeuristically(rubric, transcript);
    const without = scoreHeuristically(rubric, clean);
    expect(withInjection.overall).toBeLessThanOrEqual(without.overall);
  });

  it('does not let length predict the score', async () => {
    const { rubric } = await shippedLibrary();
    const set = await loadLabelledSet();
    const words = set.map((s) =>
      s.transcript.messages
        .filter((m) => m.role === 'candidate')
        .reduce((n, m) => n + m.text.split(/\s+/).length, 0),
    );
    const scores = set.map((s) => scoreHeuristically(rubric, s.transcript).overall);
    const labels = set.map((s) => s.label.overall);
    // Strong answers in the set tend to be longer; the scorer may follow length no more than the
    // labels themselves do, and it follows the labels far more closely than length.
    expect(Math.abs(spearman(words, scores))).toBeLessThanOrEqual(
      Math.abs(spearman(words, labels)) + 0.1,
    );
    expect(spearman(labels, scores)).toBeGreaterThan(Math.abs(spearman(words, scores)));
  });
});
