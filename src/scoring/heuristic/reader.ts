import { FEATURES, type FeatureName, type FeatureVector, NAMED_FOR } from './reader-features.js';
import fitted from './reader-model.json' with { type: 'json' };

/**
 * The reader: per criterion, a linear model over the generic features of a round (standardised),
 * cut into levels 0..4 at fitted points. Its weights and cut points are fitted on the development
 * part of the labelled corpus by `eval/learned/fit.ts` (ridge regression, λ chosen by an inner
 * cross-validation; cuts maximising quadratic weighted kappa there), never on the held-out part.
 * It weighs how much of substance was said; the guide's rules still bound what it may give (see
 * `criterion-level.ts`).
 */
export interface ReaderModel {
  /** What it was fitted on, for the record. */
  readonly fitted: string;
  readonly features: readonly FeatureName[];
  readonly mean: readonly number[];
  readonly sd: readonly number[];
  readonly criteria: Readonly<Record<string, CriterionModel>>;
}

export interface CriterionModel {
  readonly weights: readonly number[];
  readonly bias: number;
  /** The values at which levels 1, 2, 3 and 4 begin. */
  readonly cuts: readonly number[];
  readonly lambda: number;
}

/**
 * The reader fitted on the development part and every held-out part but the newest
 * (`eval/learned/fit.ts` writes it).
 */
export const READER: ReaderModel = fitted as ReaderModel;

/** A feature as it weighs on one answer's level, and how a candidate reads it. */
export interface Weight {
  readonly feature: FeatureName;
  readonly text: string;
}

export interface Read {
  readonly level: number;
  /**
   * The features that lift this answer's level against the answers it was fitted on, most first
   * (the rationale names two).
   */
  readonly lifts: readonly Weight[];
  /** The features that lower it, most first. */
  readonly lowers: readonly Weight[];
}

/** How many of the cut points a value reaches: its level. */
export const levelAt = (cuts: readonly number[], value: number): number =>
  cuts.filter((t) => value >= t).length;

/**
 * The reader's level for one criterion, with what carried it; undefined for a criterion it lacks.
 * The features named as carrying it are those that speak of the criterion (`NAMED_FOR`).
 */
export function readLevel(
  model: ReaderModel,
  features: FeatureVector,
  criterion: string,
): Read | undefined {
  const m = model.criteria[criterion];
  if (!m) return undefined;
  const contributions = model.features.map((name, j) => {
    const z = (features[name] - (model.mean[j] ?? 0)) / (model.sd[j] || 1);
    return { name, above: z > 0, value: (m.weights[j] ?? 0) * z };
  });
  const value = contributions.reduce((s, c) => s + c.value, m.bias);
  // Only what speaks of this criterion is named (every feature counts in the level).
  const speaks = NAMED_FOR[criterion];
  const weighing = (sign: 1 | -1) =>
    contributions
      .filter((c) => sign * c.value > 0 && (speaks?.has(c.name) ?? true))
      .sort((a, b) => sign * (b.value - a.value))
      .map((c) => ({ feature: c.name, text: describe(c.name, c.above, sign === 1) }))
      .filter((w) => w.text !== '');
  return { level: levelAt(m.cuts, value), lifts: weighing(1), lowers: weighing(-1) };
}

/**
 * A feature as a candidate reads it, above or below most answers; below most answers where that
 * `lifts` the level, in the words for it where it has them (never "few ...").
 */
function describe(name: FeatureName, above: boolean, lifts: boolean): string {
  const [, more, less, lessLifting]: readonly [unknown, string, string, string?] = FEATURES[name];
  if (above) return more;
  return (lifts ? lessLifting : undefined) ?? less;
}
