// Whether a round raises the technology red flag, decided as the labelled corpus decides it: a
// logistic model over what the rules read and the words around the technologies named.
import { technologiesPutForward } from '../../analysis/technology.js';
import type { RoundReading } from './reader-features.js';
import fitted from './tie-model.json' with { type: 'json' };

/**
 * The decider of the technology flag (`tech_without_hypothesis`). The guide's rule ("never tied,
 * anywhere in the round, including in the answer to a probe") is read by the rules, but whether an
 * answer ties its technology is a judgement the annotators make on the whole round: the same
 * words ("it's how we get the parallelism, it doesn't serve a hypothesis") are flagged in one round
 * and not in another. The decider weighs the rules' own verdict with the words of the probe
 * answers and of the sentences that put a technology forward (single words and pairs), fitted by
 * `eval/learned/tie-fit.ts` on the fitting set. Fitted on every part of the corpus seen then but one
 * and scored on that one, in turn (`eval/learned/tie-lopo.ts`, 2026-12-07), it read technology-flag
 * F1 0.761 → 0.792 and red-flag F1 0.765 → 0.782 pooled, better on 23 parts and worse on 7 of 33.
 */
export interface TieModel {
  /** What it was fitted on, for the record. */
  readonly fitted: string;
  readonly lambda: number;
  readonly bias: number;
  /** Weight by feature (see `tieFeatures`); features seen in too few rounds are left out. */
  readonly weights: Readonly<Record<string, number>>;
}

export const TIE_MODEL: TieModel = fitted as TieModel;

/**
 * The features of a round the decider weighs, by name with their value: the rules' verdict, the
 * hypothesis level by the rules (at 4 the design is anchored to it), whether a technology was
 * probed and what the answers do (deny a tie, tie, name a metric or number), each 1 where present;
 * and the words of the probe answers (`reply:`) and of the sentences putting a technology forward
 * (`named:`), each 1/√n of the n there are.
 */
export function tieFeatures(
  round: RoundReading,
  rulesFlag: boolean,
  ruled: number,
): Record<string, number> {
  const features = new Set<string>([`rules:${rulesFlag}`, `hypothesis:${ruled}`]);
  const text = new Set<string>();
  const words = (tag: string, said: string) => {
    const ws = said
      .toLowerCase()
      .replace(/[^a-z0-9' ]+/g, ' ')
      .split(/\s+/)
      .filter(Boolean);
    ws.forEach((w, i) => {
      text.add(`${tag}:${w}`);
      if (i > 0) text.add(`${tag}:${ws[i - 1]} ${w}`);
    });
  };
  for (const probe of round.probes) {
    features.add('probe');
    if (probe.denial) features.add('probe:denies');
    if (probe.ties) features.add('probe:ties');
    if (probe.measures) features.add('probe:measures');
    words('reply', probe.reply.map((s) => s.norm).join(' '));
  }
  for (const s of round.all) if (technologiesPutForward(s.norm).length > 0) words('named', s.norm);
  // The words weigh together as much in a short round as in a long one.
  const share = 1 / Math.sqrt(Math.max(1, text.size));
  return Object.fromEntries([
    ...[...features].map((f) => [f, 1] as const),
    ...[...text].map((f) => [f, share] as const),
  ]);
}

/**
 * Whether the round raises the technology flag, given its features (`tieFeatures`). Where the
 * interviewer probed no technology the rules decide: the corpus's rounds probe every technology
 * named without a tie (the bot does too, up to three a round), so a round with no probe there is
 * one whose technologies were tied as they were named, and the decider learned to flag almost
 * none of them; a transcript scored from elsewhere, or a round whose probes ran out, is not that.
 */
export function tieRaised(model: TieModel, features: Readonly<Record<string, number>>): boolean {
  if (!features.probe) return features['rules:true'] === 1;
  const odds = Object.entries(features).reduce(
    (z, [f, x]) => z + (model.weights[f] ?? 0) * x,
    model.bias,
  );
  return odds >= 0;
}
