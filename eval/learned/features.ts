// Features of a transcript for a learned reader. Two groups: GENERIC (the engine's own reader
// features: counts, shares, signals; no level or flag of the rules) and HEURISTIC (the rules'
// five levels and five flags, the engine run without its reader), for stacking.
import type { Rubric } from '../../rubric/schema.js';
import { scoreHeuristically } from '../../src/scoring/heuristic/heuristic-scorer.js';
import { readerFeatures } from '../../src/scoring/heuristic/reader-features.js';
import { readRound } from '../../src/scoring/heuristic/round-reading.js';
import type { Scorecard } from '../../src/scoring/scorecard.js';
import type { Transcript } from '../../src/transcript.js';

export const CRITERIA = [
  'hypothesis',
  'experimental_design',
  'scalability',
  'risk',
  'communication',
] as const;
export const FLAGS = [
  'no_hypothesis_in_framing',
  'tech_without_hypothesis',
  'engineering_first',
  'framing_spent_on_api_design',
  'defensive_pivot',
] as const;

export interface Features {
  readonly generic: Record<string, number>;
  readonly heuristic: Record<string, number>;
  /** The rules' scorecard (the engine without its reader). */
  readonly card: Scorecard;
}

export function featuresOf(rubric: Rubric, t: Transcript): Features {
  const card = scoreHeuristically(rubric, t, null, null);
  const generic: Record<string, number> = { ...readerFeatures(readRound(rubric, t)) };
  const heuristic: Record<string, number> = {};
  for (const c of card.criteria) heuristic[`h_${c.id}`] = c.level;
  for (const f of FLAGS) heuristic[`hf_${f}`] = card.flags.some((x) => x.id === f) ? 1 : 0;
  return { generic, heuristic, card };
}
