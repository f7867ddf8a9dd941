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

/** A judgement of one transcript: an annotator's label or an engine's scorecard. */
export interface Judgement {
  readonly overall: number;
  /** Level 0–4 by criterion id. */
  readonly levels: Readonly<Record<string, number>>;
  readonly flags: readonly string[];
}

/** How far two sets of judgements of the same transcripts agree. */
export interface Agreement {
  readonly transcripts: number;
  readonly spearman: number;
  readonly pairwiseAccuracy: number;
  /** Quadratic weighted kappa per criterion id. */
  readonly kappa: Record<string, number>;
  readonly meanKappa: number;
  /** Red flags, the first set taken as the truth. */
  readonly flags: PrecisionRecall;
  /** Mean absolute difference of the overall scores, in points. */
  readonly meanAbsError: number;
}

export interface Evaluation extends Agreement {
  readonly engine: string;
  /** Mean change of overall when every candidate turn is padded with filler. */
  readonly paddingDelta: number;
  /** Mean change of overall when rubric keywords are stuffed into every candidate turn. */
  readonly stuffingDelta: number;
  /**
   * Mean tokens the LLM judge used per scorecard (the unperturbed ones), over the cards the judge
   * scored; undefined when it scored none (the heuristic engine, or every call fell back).
   */
  readonly tokensPerCard?: number;
  /** Cards the LLM judge scored (the rest were heuristic, after a fallback or with too little said). */
  readonly judged: number;
  readonly rows: readonly {
    file: string;
    /** The transcript's writing style, when the set records it. */
    style?: string;
    label: number;
    predicted: number;
    flags: string[];
    truth: string[];
  }[];
}

/** The agreement of `predicted` with `truth`, item by item. */
export function agreement(truth: readonly Judgement[], predicted: readonly Judgement[]): Agreement {
  const labels = truth.map((t) => t.overall);
  const scores = predicted.map((p) => p.overall);
  const criteria = Object.keys(truth[0]?.levels ?? {});
  const kappa: Record<string, number> = {};
  for (const id of criteria) {
    kappa[id] = quadraticKappa(
      truth.map((t) => t.levels[id] ?? 0),
      predicted.map((p) => p.levels[id] ?? 0),
    );
  }
  const meanKappa =
    criteria.reduce((sum, id) => sum + (kappa[id] ?? 0), 0) / Math.max(1, criteria.length);
  return {
    transcripts: truth.length,
    spearman: spearman(labels, scores),
    pairwiseAccuracy: pairwiseAccuracy(labels, scores),
    kappa,
    meanKappa,
    flags: precisionRecall(
      truth.map((t) => t.flags),
      predicted.map((p) => p.flags),
    ),
    meanAbsError:
      labels.reduce((sum, l, i) => sum + Math.abs(l - (scores[i] as number)), 0) /
      Math.max(1, labels.length),
  };
}

/** A scorecard as a judgement. */
export function judgementOf(card: Scorecard): Judgement {
  return {
    overall: card.overall,
    levels: Object.fromEntries(card.criteria.map((c) => [c.id, c.level])),
    flags: card.flags.map((f) => f.id),
  };
}

/** Filler that adds length and no substance, varied so no two turns repeat it. */
export const FILLER = [
  ' To be honest, there are a lot of things to think about here, and it is important to consider all of them carefully.',
  ' I think this is a really interesting and important area, and there are many different angles we could take on it.',
  ' Obviously we would want to make sure that everything works well together and that the whole thing is robust overall.',
  ' There are several considerations that come into play, and we should keep all of them in mind as we go along.',
];
/** Rubric vocabulary with no substance, varied likewise. */
export const STUFFING = [
  ' Hypothesis, baseline, ablation, A/B test, statistical significance.',
  ' Throughput, p99 latency, sharding, trade-offs, bottleneck.',
  ' Confounders, leakage, bias, drift, rollback, monitoring.',
  ' Control group, holdout, primary metric, guard-rail metric, power analysis.',
];

/** The transcript with `additions` appended to the candidate's replies in turn. */
export function perturb(t: Transcript, additions: readonly string[]): Transcript {
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
  let padding = 0;
  let stuffing = 0;
  for (const [i, item] of set.entries()) {
    const overall = (cards[i] as Scorecard).overall;
    padding += (await scorer.score(perturb(item.transcript, FILLER))).overall - overall;
    stuffing += (await scorer.score(perturb(item.transcript, STUFFING))).overall - overall;
  }
  const judged = cards.filter((c) => c.engine.tokens !== undefined);
  const tokens = judged.reduce((n, c) => n + (c.engine.tokens ?? 0), 0);
  return {
    engine: cards[0]?.engine.name ?? scorer.name,
    judged: judged.length,
    ...(judged.length > 0 ? { tokensPerCard: tokens / judged.length } : {}),
    ...agreement(
      set.map((s) => s.label),
      cards.map(judgementOf),
    ),
    paddingDelta: padding / Math.max(1, set.length),
    stuffingDelta: stuffing / Math.max(1, set.length),
    rows: set.map((s, i) => ({
      file: s.file,
      ...(s.label.case ? { style: s.label.case } : {}),
      label: s.label.overall,
      predicted: (cards[i] as Scorecard).overall,
      truth: s.label.flags,
      flags: (cards[i] as Scorecard).flags.map((f) => f.id),
    })),
  };
}
