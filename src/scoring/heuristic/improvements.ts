import { technologiesIn, tiedToMeasurement } from '../../analysis/technology.js';
import type { CriterionScore, FlagHit, Improvement } from '../scorecard.js';
import type { Sentence } from './heuristic-scorer.js';

const TIPS: Record<string, string> = {
  hypothesis:
    'Open the framing window with one falsifiable sentence: what changes, by how much, on which metric or benchmark, against which baseline.',
  experimental_design:
    'Design the system as the test-bed: name the variable you change, the control or baseline, the primary metric, the components you toggle off for ablations, and the sample size you need.',
  scalability:
    'Derive scale from the experiment: how many samples per arm reach significance, what throughput and latency that implies, and which trade-off (freshness vs latency, cost vs power) you accept.',
  risk: 'Name what could fool you — confounders, leakage, label noise, drift — how you would detect each, and how the finding feeds the next model iteration.',
  communication:
    'Signpost (“three parts: hypothesis, test-bed, risks”), answer the question first, and meet a pivot by asking what it changes in the experiment.',
};

/** The three most useful improvements: the weakest weighted criteria, with a rewrite where possible. */
export function improvementsFor(
  criteria: readonly CriterionScore[],
  flags: readonly FlagHit[],
  sentences: readonly Sentence[],
): Improvement[] {
  const out: Improvement[] = [];
  const untied = sentences.find(
    (s) => technologiesIn(s.text).length > 0 && !tiedToMeasurement(s.message),
  );
  if (untied || flags.some((f) => f.id === 'tech_without_hypothesis')) {
    const quote =
      untied?.text ?? flags.find((f) => f.id === 'tech_without_hypothesis')?.quote ?? '';
    const tech = technologiesIn(quote)[0] ?? 'this component';
    out.push({
      text: 'Tie every technology you name to the hypothesis and to a measurement of its effect (Signal → Impact → Evidence).',
      before: quote,
      after: `I expect ${tech} to improve the primary metric by a stated amount (say 10% over the baseline); I'll test it by toggling it on for half the runs and comparing.`,
    });
  }
  const ranked = [...criteria]
    .filter((c) => c.level < 4)
    .sort((a, b) => b.weight * (4 - b.level) - a.weight * (4 - a.level));
  for (const c of ranked) {
    if (out.length >= 3) break;
    const tip = TIPS[c.id] ?? `Strengthen ${c.name.toLowerCase()}: ${c.rationale}`;
    if (c.id === 'hypothesis' && c.evidence[0] && c.level < 3) {
      out.push({
        text: tip,
        before: c.evidence[0].quote,
        after:
          'I hypothesize that <your change> reduces <metric> by <N>% on <benchmark> compared with <baseline>; if it moves less than <M>%, I am wrong.',
      });
    } else out.push({ text: tip });
  }
  return out.slice(0, 3);
}
