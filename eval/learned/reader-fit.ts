// Fits the engine's reader (src/scoring/heuristic/reader.ts) on labelled rounds: per criterion,
// ridge regression over the standardised reader features, each weight within its feature's sign (λ by an inner 5-fold cross-validation on
// the same rows), cut into levels at the points that maximise quadratic weighted kappa on them.
import type { Rubric } from '../../rubric/schema.js';
import type { CriterionModel, ReaderModel } from '../../src/scoring/heuristic/reader.js';
import {
  FEATURES,
  type FeatureName,
  readerFeatures,
} from '../../src/scoring/heuristic/reader-features.js';
import { readRound } from '../../src/scoring/heuristic/round-reading.js';
import type { Transcript } from '../../src/transcript.js';
import { perturb } from '../evaluate.js';
import type { LabelledTranscript } from '../labelled-set.js';
import { CRITERIA } from './features.js';
import { fitCuts, fitSignedRidge, nestedLambda, predictLinear, type Row } from './models.js';

/**
 * Filler and rubric words for the padded and stuffed copies the reader is trained on (each copy
 * keeps its round's labels: saying more without substance, or naming rubric words, earns nothing).
 * Worded apart from the robustness check's own (`eval/evaluate.ts`), so that check still measures
 * something the reader was not shown.
 */
const TRAIN_FILLER = [
  ' Let me just say that this is a big topic and we could spend a long time on every part of it.',
  ' In general I like to keep things simple and flexible so that the team can adapt as we learn more.',
  ' There is a lot going on here, so I want to be thoughtful about how all the pieces fit together.',
];
const TRAIN_STUFFING = [
  ' Metrics, baselines, controls, randomisation, confidence intervals.',
  ' Latency budget, queues, caching, partitioning, capacity planning.',
  ' Selection bias, contamination, novelty effect, rollback plan, alerting.',
];

export interface Example {
  readonly transcript: Transcript;
  readonly levels: Readonly<Record<string, number>>;
  /** The round it was made from, where it is a copy (see `augmented`). */
  readonly copyOf?: number;
}

const NAMES = Object.keys(FEATURES) as FeatureName[];
/**
 * The criteria the reader weighs: all five. The hypothesis's level is the guide's descriptor as the
 * rules read it, or one above where the reader reads more (`hypothesis-criterion.ts`); chosen on
 * the validation part (`validation.ts`: Spearman 0.826 against 0.807 with the hypothesis left to
 * the rules; 0.833 when the reader may also lower it by one, which marked a complete hypothesis
 * down for the rest of the answer).
 */
const READ = CRITERIA;
const SIGNS = NAMES.map((n) => FEATURES[n][0]);
const round2 = (v: number) => Math.round(v * 1e6) / 1e6;

/** The reader's feature row of a transcript, in the model's order. */
export function featureRow(rubric: Rubric, t: Transcript): number[] {
  const f = readerFeatures(readRound(rubric, t));
  return NAMES.map((n) => f[n]);
}

/** Each example, then a padded and a stuffed copy of each with the same labels. */
export function augmented(examples: readonly Example[]): Example[] {
  return [
    ...examples,
    ...examples.map((e, i) => ({
      ...e,
      copyOf: i,
      transcript: perturb(e.transcript, TRAIN_FILLER),
    })),
    ...examples.map((e, i) => ({
      ...e,
      copyOf: i,
      transcript: perturb(e.transcript, TRAIN_STUFFING),
    })),
  ];
}

/** Fits the reader on labelled transcripts, each also padded and stuffed (`augmented`). */
export function fitReaderOn(
  rubric: Rubric,
  items: readonly LabelledTranscript[],
  fitted: string,
): ReaderModel {
  return fitReader(
    rubric,
    augmented(items.map((t) => ({ transcript: t.transcript, levels: t.label.levels }))),
    fitted,
  );
}

/** Fits the reader on `examples` (their feature rows may be given, in the same order). */
export function fitReader(
  rubric: Rubric,
  examples: readonly Example[],
  fitted: string,
  rows: readonly number[][] = examples.map((e) => featureRow(rubric, e.transcript)),
  read: readonly string[] = READ,
): ReaderModel {
  const criteria: Record<string, CriterionModel> = {};
  let scaler: { mean: number[]; sd: number[] } | undefined;
  for (const c of read) {
    const y = examples.map((e) => e.levels[c] as number);
    const signed = (X: readonly Row[], y: readonly number[], lambda: number) =>
      fitSignedRidge(X, y, lambda, SIGNS);
    const lambda = nestedLambda(
      rows,
      y,
      examples.map((e, i) => e.copyOf ?? i),
      signed,
    );
    const m = signed(rows, y, lambda);
    scaler = m.scaler;
    const cuts = fitCuts(
      rows.map((x) => predictLinear(m, x)),
      y,
    );
    criteria[c] = {
      weights: m.w.map(round2),
      bias: round2(m.b),
      cuts: cuts.map(round2),
      lambda,
    };
  }
  return {
    fitted,
    features: NAMES,
    mean: (scaler?.mean ?? []).map(round2),
    sd: (scaler?.sd ?? []).map(round2),
    criteria,
  };
}
