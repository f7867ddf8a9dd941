/**
 * Drills: short timed rounds on one criterion, from the preparation checklist of a research-first
 * design round. Each runs on a prompt, has no cut-ins, and is scored on its one criterion.
 */

/** The drills there are. */
export type DrillKind = 'hypothesis' | 'tradeoffs' | 'risks';

export interface Drill {
  readonly kind: DrillKind;
  /** Its name on cards, e.g. "Hypothesis drill". */
  readonly name: string;
  /** Round minutes. */
  readonly minutes: number;
  /** The rubric criterion it is scored on. */
  readonly criterion: string;
  /** What to do, in one sentence. */
  readonly task: string;
}

export const DRILLS: Readonly<Record<DrillKind, Drill>> = {
  hypothesis: {
    kind: 'hypothesis',
    name: 'Hypothesis drill',
    minutes: 2,
    criterion: 'hypothesis',
    task: 'State one falsifiable hypothesis for this prompt: its direction, the metric, the baseline and the effect size you expect.',
  },
  tradeoffs: {
    kind: 'tradeoffs',
    name: 'Trade-offs drill',
    minutes: 5,
    criterion: 'scalability',
    task: 'Name five trade-offs of a design for this prompt, each tied to an outcome you would measure (latency, cost, coverage, error rate...).',
  },
  risks: {
    kind: 'risks',
    name: 'Risks drill',
    minutes: 5,
    criterion: 'risk',
    task: 'Name the threats to the validity of your evaluation for this prompt, and how you would mitigate each one.',
  },
};

/** Whether `word` names a drill. */
export function isDrill(word: string): word is DrillKind {
  return Object.hasOwn(DRILLS, word);
}

/**
 * The drill that works on `criterion`: its own where there is one; experimental design borrows
 * the hypothesis drill (metric, baseline, effect size) and communication the trade-offs drill (a
 * short structured list). Nothing scored yet: the hypothesis drill, what a research-first round
 * asks for first.
 */
export function drillFor(criterion: string | undefined): Drill {
  const own = Object.values(DRILLS).find((d) => d.criterion === criterion);
  if (own) return own;
  return criterion === 'communication' ? DRILLS.tradeoffs : DRILLS.hypothesis;
}

/**
 * A drill's closing line, where a round's speaks of the panel: time up, ended early (`{elapsed}`
 * filled in), or with nothing said.
 */
export const DRILL_CLOSING = {
  time: "That's time on the drill. Here is how your answer scores.",
  early: 'Stopped at {elapsed}. Here is how your answer scores.',
  silent:
    'Ending the drill: no answer came in, so there is nothing to score. Start another when you are ready.',
} as const;
