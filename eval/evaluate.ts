import type { Scorer } from '../src/ports/scorer.js';
import type { Scorecard } from '../src/scoring/scorecard.js';
import type { Transcript } from '../src/transcript.js';
import type { LabelledTranscript } from './labelled-set.js';
import {
  type PrecisionRecall,
  pairwiseAccuracy,
  precisionRecall,
  quadraticKappa,
  spearman,
} from './metrics.js';

export interface Evaluation {
  readonly engine: string;
  readonly transcripts: number;
  readonly spearman: number;
  readonly pairwiseAccuracy: number;
  /** Per criterion id. */
  readonly kappa: Record<string, number>;
  readonly meanKappa: number;
  readonly flags: PrecisionRecall;
  /** Mean change of overall when every candidate turn is padded with filler. */
  readonly paddingDelta: number;
  /** Mean change of overall when rubric keywords are stuffed into every candidate turn. */
  readonly stuffingDelta: number;
  readonly rows: readonly {
    file: string;
    label: number;
    predicted: number;
    flags: string[];
    truth: string[];
  }[];
}

/** Filler that adds length and no substance, varied so no two turns repeat it. */
const FILLER = [
  ' To be honest, there are a lot of things to think about here, and it is important to consider all of them carefully.',
  ' I think this is a really interesting and important area, and there are many different angles we could take on it.',
  ' Obviously we would want to make sure that everything works well together and that the whole thing is robust overall.',
  ' There are several considerations that come into play, and we should keep all of them in mind as we go along.',
];
/** Rubric vocabulary with no substance, varied likewise. */
const STUFFING = [
  ' Hypothesis, baseline, ablation, A/B test, statistical significance.',
  ' Throughput, p99 latency, sharding, trade-offs, bottleneck.',
  ' Confounders, leakage, bias, drift, rollback, monitoring.',
  ' Control group, holdout, primary metric, guard-rail metric, power analysis.',
];

function perturb(t: Transcript, additions: readonly string[]): Transcript {
  let n = 0;
  return {
    ...t,
    messages: t.messages.map((m) =>
      m.role === 'candidate'
        ? { ...m, text: m.text + (additions[n++ % additions.length] as string) }
        : m,
    ),
  };
}

/** Scores the labelled set with `scorer` and compares with the labels. */
export async function evaluate(
  scorer: Scorer,
  set: readonly LabelledTranscript[],
): Promise<Evaluation> {
  const cards: Scorecard[] = [];
  for (const item of set) cards.push(await scorer.score(item.transcript));
  const labels = set.map((s) => s.label.overall);
  const predicted = cards.map((c) => c.overall);
  const criteria = Object.keys(set[0]?.label.levels ?? {});
  const kappa: Record<string, number> = {};
  for (const id of criteria) {
    kappa[id] = quadraticKappa(
      set.map((s) => s.label.levels[id] ?? 0),
      cards.map((c) => c.criteria.find((x) => x.id === id)?.level ?? 0),
    );
  }
  const meanKappa =
    criteria.reduce((sum, id) => sum + (kappa[id] ?? 0), 0) / Math.max(1, criteria.length);
  let padding = 0;
  let stuffing = 0;
  for (const [i, item] of set.entries()) {
    padding +=
      (await scorer.score(perturb(item.transcript, FILLER))).overall - (predicted[i] as number);
    stuffing +=
      (await scorer.score(perturb(item.transcript, STUFFING))).overall - (predicted[i] as number);
  }
  return {
    engine: cards[0]?.engine.name ?? scorer.name,
    transcripts: set.length,
    spearman: spearman(labels, predicted),
    pairwiseAccuracy: pairwiseAccuracy(labels, predicted),
    kappa,
    meanKappa,
    flags: precisionRecall(
      set.map((s) => s.label.flags),
      cards.map((c) => c.flags.map((f) => f.id)),
    ),
    paddingDelta: padding / set.length,
    stuffingDelta: stuffing / set.length,
    rows: set.map((s, i) => ({
      file: s.file,
      label: s.label.overall,
      predicted: predicted[i] as number,
      truth: s.label.flags,
      flags: (cards[i] as Scorecard).flags.map((f) => f.id),
    })),
  };
}
