import { describe, expect, it } from 'vitest';
import { fittingSet, loadCorpus } from '../../eval/corpus.js';
import { fitTie, tieRows } from '../../eval/learned/tie-fit.js';
import { probeText } from '../../rubric/schema.js';
import { scoreHeuristically } from '../../src/scoring/heuristic/heuristic-scorer.js';
import { TIE_MODEL, type TieModel } from '../../src/scoring/heuristic/tie-decider.js';
import type { Transcript } from '../../src/transcript.js';
import { shippedLibrary, WHOLE_CORPUS_MS } from './harness.js';

const FLAG = 'tech_without_hypothesis';
/** A sized hypothesis stated at 01:00, which every round here opens with. */
const CLAIM =
  'I expect the reranker to cut unsupported claims from 12% to 9% against the current pipeline.';

/** A 45-minute round: the interviewer's opener, then the candidate's messages (and any probe). */
const round = (...said: [at: number, text: string, role?: 'interviewer'][]): Transcript => ({
  prompt: 'Design a platform for evaluating alignment-feedback loops in LLMs.',
  promptId: 'alignment-feedback-loops',
  minutes: 45,
  messages: [
    {
      role: 'interviewer',
      at: 0,
      text: 'Design a platform for evaluating alignment-feedback loops in LLMs.',
    },
    ...said.map(([at, text, role]) => ({ role: role ?? ('candidate' as const), at, text })),
  ],
});

const untied = round(
  [60, CLAIM],
  [1100, 'Events go through Kafka into Flink for real-time processing.'],
);

describe("the technology flag's decider", () => {
  it(
    'is the one eval/learned/fit.ts fits on the fitting set (all but the newest held-out part)',
    async () => {
      const { rubric } = await shippedLibrary();
      const corpus = await loadCorpus();
      const refitted = fitTie(tieRows(rubric, fittingSet(corpus)), TIE_MODEL.fitted);
      // Through JSON, as the committed file is read.
      expect(JSON.parse(JSON.stringify(refitted))).toEqual(TIE_MODEL);
    },
    WHOLE_CORPUS_MS,
  );

  it('decides the flag where a technology was probed, and leaves it to the rules where none was', async () => {
    const { rubric } = await shippedLibrary();
    const raises: TieModel = { fitted: 'test', lambda: 0, bias: 1, weights: {} };
    const never: TieModel = { ...raises, bias: -1 };
    const flagged = (t: Transcript, tie: TieModel | null) =>
      scoreHeuristically(rubric, t, undefined, tie).flags.find((f) => f.id === FLAG);
    // No probe: the rules decide, whatever the decider would say.
    expect(flagged(untied, null)?.quote).toContain('Kafka');
    expect(flagged(untied, never)?.quote).toContain('Kafka');
    // Probed: the decider drops the rules' flag, or raises one the rules did not, quoting the answer.
    const probed = (answer: string) =>
      round(
        [60, CLAIM],
        [1100, 'Judged answers go through Kafka to the scoring workers.'],
        [1145, probeText(rubric, 'Kafka'), 'interviewer'],
        [1200, answer],
      );
    const denied = probed("Honestly it doesn't serve a hypothesis, it's just plumbing.");
    expect(flagged(denied, null)?.quote).toContain('Kafka');
    expect(flagged(denied, never)).toBeUndefined();
    const tied = probed(
      "It records each arm's unsupported-claim rate, the metric the comparison reads.",
    );
    expect(flagged(tied, null)).toBeUndefined();
    // Every answer tied it: the flag quotes the sentence that put it forward.
    expect(flagged(tied, raises)?.quote).toBe(
      'Judged answers go through Kafka to the scoring workers.',
    );
    // The card's design choices do not show linked what the flag says is tied to nothing.
    const linked = (tie: TieModel | null) =>
      scoreHeuristically(rubric, tied, undefined, tie).triad.choices.find(
        (c) => c.choice === 'Kafka',
      )?.linked;
    expect(linked(null)).toBe(true);
    expect(linked(raises)).toBe(false);
  });

  it('shows linked a choice the flag is not about, beside the one it is about in the same sentence', async () => {
    const { rubric } = await shippedLibrary();
    const card = scoreHeuristically(
      rubric,
      round(
        [60, CLAIM],
        [1100, 'Judged answers go through Kafka into Flink.'],
        [1300, "Kafka records each arm's unsupported-claim rate, the metric the comparison reads."],
      ),
    );
    expect(card.flags.map((f) => f.id)).toContain(FLAG);
    const linked = (t: string) => card.triad.choices.find((c) => c.choice === t)?.linked;
    expect(linked('Flink')).toBe(false);
    expect(linked('Kafka')).toBe(true);
  });

  it('raises the flag for a technology never tied and denied at its probe, with the shipped decider', async () => {
    const { rubric } = await shippedLibrary();
    const card = scoreHeuristically(
      rubric,
      round(
        [60, CLAIM],
        [1100, 'Events go through Kafka into Flink for real-time processing.'],
        [1145, probeText(rubric, 'Kafka'), 'interviewer'],
        [1200, "Honestly it doesn't serve a hypothesis, it's just the standard streaming stack."],
      ),
    );
    expect(card.flags.map((f) => f.id)).toContain(FLAG);
    expect(scoreHeuristically(rubric, untied).flags.map((f) => f.id)).toContain(FLAG);
  });
});
