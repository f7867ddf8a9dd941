import { roleOf, technologiesIn } from '../../analysis/technology.js';
import type { CriterionScore, FlagHit, Improvement, Scorecard } from '../scorecard.js';

/** How each criterion's advice opens; what the answer lacks follows. */
const LEAD: Record<string, string> = {
  hypothesis: 'Sharpen the hypothesis',
  experimental_design: 'Make the design the test-bed for the hypothesis',
  scalability: 'Derive the scale from what the experiment needs',
  risk: 'Say what could fool you and how you would catch it',
  communication: 'Make the answer easier to follow',
};

/**
 * Advice when nothing is missing by name but the level was held down (no number, no hypothesis,
 * little substance): never the rationale itself, which says what was found, not what to do.
 */
const HELD: Record<string, string> = {
  hypothesis:
    'Sharpen the hypothesis: say it in one sentence inside the framing window, with the change, the metric, the baseline and the size of effect you expect.',
  experimental_design:
    'Size the experiment: samples per arm for the effect you expect, and how long collecting them takes.',
  scalability:
    'Put numbers on the scale: samples or runs per cycle, the throughput and cost they imply, and the trade-off you accept.',
  risk: 'Say what could fool you: for each threat you name, how it would show in the data and what you would do about it.',
  communication:
    'Make every point carry something of your own (a number, a decision or a check), so the clear structure has substance to carry.',
};

/**
 * The advice of `HELD` in a drill, where it differs: a drill has no framing window to say the
 * hypothesis in, only its own time, and a trade-offs drill no experiment to size the scale from.
 */
const HELD_IN_DRILL: Record<string, string> = {
  hypothesis:
    'Sharpen the hypothesis: say it in one sentence, with the change, the metric, the baseline and the size of effect you expect.',
  scalability:
    'Put a number on each trade-off: what it buys and what it costs on an outcome you would measure (latency, cost, coverage, error rate), and which side you would take.',
};

/** How advice opens in a drill, where it differs from `LEAD`. */
const LEAD_IN_DRILL: Record<string, string> = {
  scalability: 'Size each trade-off on an outcome you would measure',
};

/**
 * Advice when no hypothesis was stated at all (there is nothing to sharpen): first, in a round; in
 * a hypothesis drill the hypothesis is all there is, with nothing after it.
 */
const noHypothesis = (drill: boolean) =>
  `State a hypothesis${drill ? '' : ' first'}: what you expect to change, on which metric, against which baseline, and by how much.`;

/** The hypothesis parts a reader names ("missing quantity" → an expected effect size). */
const PART: Record<string, string> = {
  quantity: 'an expected effect size',
  baseline: 'a named baseline it must beat (the current system, the last release, or its value)',
  metric: 'the metric or benchmark',
};

/**
 * A rewrite that ties `tech` to the experiment, in a form that makes sense for what it is; what
 * carries or keeps the data (a queue, a store, a tracker) is tied by what it records.
 */
function techRewrite(tech: string): string {
  const role = roleOf(tech);
  if (role === 'mechanism') {
    return `I expect ${tech} to cut p99 latency (or cost per eval) by a stated amount against running without it; I'll toggle it off for a slice of the runs and compare.`;
  }
  if (role === 'index') {
    return `${tech}'s approximate search should return at least 95% of what exact search returns on a sample of 1,000 queries, so the primary metric moves by less than a point between them; I'd check that before trusting it.`;
  }
  if (role === 'runner') {
    return `${tech} runs every arm on the same pinned image and hardware, so the arms differ only in the treatment; I'd run the control twice through it and expect the primary metric to agree within its noise before trusting a comparison.`;
  }
  if (role === 'provisioner') {
    return `${tech} provisions the same machines for every arm from one definition, so the arms differ only in the treatment; I'd record the definition's version with each run, so a change of hardware cannot pass for an effect on the primary metric.`;
  }
  if (role === 'interface') {
    return `${tech} carries every call between the parts, so I'd log each call with its arm and check that error and timeout rates match across arms; failures in one arm would bias the primary metric.`;
  }
  if (role === 'configuration') {
    return `${tech} holds which arm gets which configuration; I'd version it and record that version with every result, so each number on the primary metric traces back to the arm that produced it.`;
  }
  if (role === 'framework') {
    return `${tech} wires the pipeline the same way in every arm, so only the treatment differs; I'd pin its version for the whole experiment, since an upgrade mid-run would move the primary metric in every arm at once.`;
  }
  if (role === 'access') {
    return `${tech} only decides who may start runs and read results; it touches no arm and no metric, so I'd keep it off the experiment's data path and say that it serves no hypothesis.`;
  }
  if (role === 'router') {
    return `${tech} assigns each request to its arm by a hash of the user id, so assignment is random and stable; I'd check every day that the split stays within a point of the plan, since a skewed split biases the comparison.`;
  }
  if (role === 'engine') {
    return `${tech} computes the primary metric per arm from the logged events; I'd recompute it by hand on a small sample and expect the same numbers before trusting the comparison.`;
  }
  if (role === 'dashboard') {
    return `${tech} shows the primary metric for each arm with its confidence interval, so a decision is read from the comparison, not from one noisy number.`;
  }
  return `${tech} records the per-arm data the primary metric is computed from; if it dropped or duplicated events the comparison would be biased, so I'd reconcile its counts with the source every day.`;
}

/**
 * The rewrite of a hypothesis the card offers when it has no better one: the prompt's reference
 * hypothesis takes its place where the prompt has one (`app/scorer.ts`).
 */
export const HYPOTHESIS_TEMPLATE =
  'I hypothesize that <your change> reduces <metric> by <N>% on <benchmark> compared with <baseline>; if it moves less than <M>%, I am wrong.';

/** What a criterion lacks, once each: an item another one already holds is dropped. */
function distinct(items: readonly string[]): string[] {
  return items.filter(
    (item, i) => !items.some((other, j) => j !== i && other !== item && other.includes(item)),
  );
}

/** The advice for what a criterion lacks: what to add, then when to say it. */
function adviceFor(lead: string, lacks: readonly string[]): string {
  const timing = lacks.filter((l) => l.startsWith('timing: ')).map((l) => l.slice(8));
  const adds = distinct(lacks.filter((l) => !l.startsWith('timing: '))).slice(0, 3);
  return `${lead}: ${[...(adds.length > 0 ? [`add ${adds.join(', ')}`] : []), ...timing].join('; ')}.`;
}

/**
 * The three most useful improvements: an untied technology first (second, after stating one, when
 * there is hardly a hypothesis), then the criteria that would gain most (weight × levels to go),
 * each asking only for what the answer lacks (`missing`). The technology is one the card's
 * Signal–Impact–Evidence list shows untied (the red flag's, where there is one), so the advice
 * never asks to tie what the list shows tied. In a `drill` (given its one criterion) the advice is
 * on that criterion alone, in the drill's terms: no technology to tie, no framing window.
 */
export function improvementsFor(
  criteria: readonly CriterionScore[],
  flags: readonly FlagHit[],
  triad: Scorecard['triad'],
  missing: ReadonlyMap<string, readonly string[]> = new Map(),
  drill = false,
): Improvement[] {
  const out: Improvement[] = [];
  let tech: Improvement | undefined;
  const flagged = flags.find((f) => f.id === 'tech_without_hypothesis');
  const untied = triad.choices.filter((c) => !c.linked);
  const named = [
    ...(flagged?.about ? [flagged.about] : []),
    ...technologiesIn(flagged?.quote ?? ''),
  ].find((t) => untied.some((c) => c.choice === t));
  const choice = untied.find((c) => c.choice === named) ?? (flagged ? undefined : untied[0]);
  if (!drill && (choice || flagged)) {
    const tool = choice?.choice ?? flagged?.about ?? technologiesIn(flagged?.quote ?? '')[0];
    tech = {
      text: 'Tie every technology you name to the hypothesis or to a measurement (Signal → Impact → Evidence).',
      ...(tool ? { before: choice?.quote ?? flagged?.quote ?? '', after: techRewrite(tool) } : {}),
    };
  }
  const ranked = [...criteria]
    .filter((c) => c.level < 4)
    .sort((a, b) => b.weight * (4 - b.level) - a.weight * (4 - a.level));
  for (const c of ranked) {
    if (out.length >= (tech ? 2 : 3)) break;
    const lacks = (missing.get(c.id) ?? []).map((m) => PART[m] ?? m);
    const lead =
      (drill ? LEAD_IN_DRILL[c.id] : undefined) ??
      LEAD[c.id] ??
      `Strengthen ${c.name.toLowerCase()}`;
    const none = c.id === 'hypothesis' && lacks.includes('a hypothesis');
    const held = (drill ? HELD_IN_DRILL[c.id] : undefined) ?? HELD[c.id];
    const text = none
      ? noHypothesis(drill)
      : lacks.length > 0
        ? adviceFor(lead, lacks)
        : (held ?? `${lead}.`);
    // A rewrite only where the hypothesis lacks a part by name: one that has every part is not
    // given a template of what it already says.
    const rewrite =
      c.id === 'hypothesis' &&
      c.evidence[0] &&
      (none || lacks.some((l) => !l.startsWith('timing: ')));
    out.push(
      rewrite
        ? { text, criterion: c.id, before: c.evidence[0]?.quote, after: HYPOTHESIS_TEMPLATE }
        : { text, criterion: c.id },
    );
  }
  if (tech) {
    // An untied technology comes first, unless there is hardly a hypothesis to tie it to: then
    // stating one comes first, and the technology second.
    const hypothesis = criteria.find((c) => c.id === 'hypothesis');
    const at =
      hypothesis && hypothesis.level <= 1 ? out.findIndex((i) => i.criterion === 'hypothesis') : -1;
    out.unshift(...(at >= 0 ? out.splice(at, 1) : []), tech);
  }
  return out.slice(0, 3);
}
