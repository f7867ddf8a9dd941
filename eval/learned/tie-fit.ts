// Fits the technology flag's decider (`src/scoring/heuristic/tie-decider.ts`): an L2 logistic
// regression over the features `tieFeatures` names, by AdaGrad in a fixed order (the same fit on
// the same rounds gives the same model), over the features seen in at least `MIN_ROUNDS` rounds.
import type { Rubric } from '../../rubric/schema.js';
import { flagsOf } from '../../src/scoring/heuristic/heuristic-scorer.js';
import { readRound } from '../../src/scoring/heuristic/round-reading.js';
import { type TieModel, tieFeatures } from '../../src/scoring/heuristic/tie-decider.js';
import type { LabelledTranscript } from '../labelled-set.js';

const FLAG = 'tech_without_hypothesis';
/** The penalty; 0.001 and 0.01 read alike left out one part at a time (0.792 and 0.790). */
export const LAMBDA = 0.01;
/**
 * A feature seen in fewer rounds is left out of the model: 13,800 features rather than 68,000, and
 * left out one part at a time 1, 2 and 3 read pooled flag F1 0.791, 0.786 and 0.788.
 */
const MIN_ROUNDS = 3;
const EPOCHS = 15;
const RATE = 0.1;

export interface TieRow {
  readonly features: Readonly<Record<string, number>>;
  /** The label raises the flag. */
  readonly flagged: boolean;
  /** The red flags the rules raise (the decider's comparison, `tie-lopo.ts`). */
  readonly rules: readonly string[];
}

/** Each round's features as the engine computes them (the rules' flag without the decider). */
export function tieRows(rubric: Rubric, items: readonly LabelledTranscript[]): TieRow[] {
  return items.map((item) => {
    const round = readRound(rubric, item.transcript);
    const rules = flagsOf(rubric, round, null);
    const flags = rules.flags.map((f) => f.id);
    const { ruled } = rules;
    return {
      features: tieFeatures(round, flags.includes(FLAG), ruled),
      flagged: item.label.flags.includes(FLAG),
      rules: flags,
    };
  });
}

export function fitTie(rows: readonly TieRow[], fittedOn: string): TieModel {
  const seenIn = new Map<string, number>();
  for (const r of rows)
    for (const f of Object.keys(r.features)) seenIn.set(f, (seenIn.get(f) ?? 0) + 1);
  const kept = rows.map((r) =>
    Object.entries(r.features).filter(([f]) => (seenIn.get(f) ?? 0) >= MIN_ROUNDS),
  );
  const w = new Map<string, number>();
  const g2 = new Map<string, number>();
  let bias = 0;
  let gBias = 1e-8;
  const n = rows.length;
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (let k = 0; k < n; k++) {
      // A fixed permutation per epoch (7919 is prime, above any corpus size here).
      const i = (k * 7919 + epoch * 31) % n;
      const features = kept[i] ?? [];
      const z = features.reduce((s, [f, x]) => s + (w.get(f) ?? 0) * x, bias);
      const err = 1 / (1 + Math.exp(-z)) - (rows[i]?.flagged ? 1 : 0);
      for (const [f, x] of features) {
        const wf = w.get(f) ?? 0;
        const g = err * x + LAMBDA * wf;
        const acc = (g2.get(f) ?? 1e-8) + g * g;
        g2.set(f, acc);
        w.set(f, wf - (RATE / Math.sqrt(acc)) * g);
      }
      gBias += err * err;
      bias -= (RATE / Math.sqrt(gBias)) * err;
    }
  }
  const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
  const weights = Object.fromEntries(
    [...w.entries()]
      .map(([f, v]) => [f, round4(v)] as const)
      .filter(([, v]) => v !== 0)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  return { fitted: fittedOn, lambda: LAMBDA, bias: round4(bias), weights };
}
