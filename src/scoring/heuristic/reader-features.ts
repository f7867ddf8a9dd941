import { statesComparison } from '../../analysis/comparator.js';
import { type HypothesisSignals, levelOf, statesClaim } from '../../analysis/hypothesis.js';
import { hypothesisSignalsAt } from '../../analysis/reading.js';
import { words } from '../../analysis/sentences.js';
import { technologiesIn } from '../../analysis/technology.js';
import { quantified } from '../../analysis/vacuity.js';
import type { Transcript } from '../../transcript.js';
import type { PhaseSpan } from '../phase-times.js';
import {
  ALL_KINDS,
  apiFraming,
  COURTESY,
  dismissal,
  ENGINEERING_FIRST,
  type EvidenceKind,
  EXPERIMENT_KINDS,
  explores,
  exploresOrProposes,
  PIVOT_ANSWER_S,
  PIVOT_FOLLOW_UP_S,
  RISK_KINDS,
  SCALE_KINDS,
  STATISTICAL_NEED,
  STRUCTURE,
  shows,
} from './evidence-kinds.js';
import type { ProbeAnswer } from './probes.js';
import { byMessage, grounded, type Sentence } from './sentence.js';

/** The way a feature may move a level: 1 up only, -1 down only, 0 either. */
export type Sign = 1 | -1 | 0;

/**
 * What the reader (see `reader.ts`) is given of a round: generic measures of how much of substance
 * the candidate said and how it hangs together. Each comes with the way it may move a level (1: more
 * of it never lowers one, as more numbers of your own; -1: never raises one, as a later hypothesis;
 * 0: either way), and how a candidate would read it above and below most answers (empty where that
 * is no shortfall to name: few elements named in passing, when the rest are tied to numbers, lowers
 * nothing a candidate should change, though it counts in the level). What raises a level is said as
 * what the answer did, never as a shortfall ("few ..."): a feature that may move either way says
 * below most answers, where that raises the level, in a fourth text ("technologies named
 * sparingly", not "weighed up by few technologies named"). None is a level
 * or a flag of the rules; the reader's weights over them are fitted on the development part of the
 * labelled corpus (`eval/learned/fit.ts`), each within its sign. How much was said is not among
 * them (words in all, words per reply, vocabulary size): padding would earn, and a terse strong
 * answer lose; without them the reader read as well on the development part.
 */
export const FEATURES = {
  hyp_best_level: [1, 'a fuller hypothesis', 'a hypothesis missing parts'],
  hyp_stated: [
    1,
    'a hypothesis stated as what you expect',
    'no hypothesis stated as what you expect',
  ],
  hyp_in_framing: [
    1,
    'the hypothesis in the framing window',
    'no hypothesis in the framing window',
  ],
  hyp_time_frac: [-1, 'a late hypothesis', 'an early hypothesis'],
  hyp_question_only: [-1, 'a hypothesis only ever asked', 'a hypothesis stated, not only asked'],
  exp_kinds_tied: [
    1,
    'experiment elements tied to numbers or decisions',
    'few experiment elements tied to numbers or decisions',
  ],
  exp_kinds_untied: [1, 'experiment elements named in passing', ''],
  scale_kinds_tied: [
    1,
    'scale elements tied to numbers or decisions',
    'few scale elements tied to numbers or decisions',
  ],
  scale_kinds_untied: [1, 'scale elements named in passing', ''],
  risk_kinds_tied: [
    1,
    'threats to validity tied to numbers or decisions',
    'few threats to validity tied to numbers or decisions',
  ],
  risk_kinds_untied: [1, 'threats to validity named in passing', ''],
  kind_sentences_grounded_share: [
    1,
    'ideas tied to numbers or decisions',
    'ideas left untied to any number or decision',
  ],
  quantified_sentences: [1, 'numbers of your own', 'few numbers of your own'],
  derived_from_experiment: [
    1,
    'estimates sized from what the experiment must detect',
    'no estimate sized from what the experiment must detect',
  ],
  comparisons: [
    1,
    'comparisons stated (control, baseline, arms)',
    'few sentences comparing arms, controls or baselines',
  ],
  tech_named: [
    0,
    'many technologies named',
    'few technologies named',
    'technologies named sparingly',
  ],
  tech_untied: [
    -1,
    'technologies with no tie to the hypothesis',
    'technologies tied to the hypothesis',
  ],
  framing_word_share: [
    0,
    'much of the answer spent framing',
    'a small share of the answer spent framing',
    'most of the answer spent past framing',
  ],
  signposts: [1, 'signposting', 'little signposting'],
  vacuous_share: [
    -1,
    'sentences that say nothing checkable',
    'sentences that each say something checkable',
  ],
  substantive_share: [1, 'sentences with substance', 'sentences without substance'],
  questions_asked: [
    0,
    'many points put as questions',
    'few points put as questions',
    'stating more than asking',
  ],
  words_per_point: [-1, 'many words for each point', 'points made concisely'],
  api_framing_share: [-1, 'framing spent on API design', 'framing kept off API design'],
  engineering_first: [
    -1,
    'engineering before the research question',
    'the research question before engineering',
  ],
  pivot_defensive: [-1, 'defending the plan at the pivot', 'no defending at the pivot'],
  pivot_explores: [1, 'exploring what the pivot changes', 'not exploring what the pivot changes'],
  ended_early: [-1, 'ending the round early', 'using the whole round'],
} as const satisfies Record<
  string,
  readonly [Sign, string, string] | readonly [Sign, string, string, string]
>;

export type FeatureName = keyof typeof FEATURES;

/** Features that say something about every criterion: how much of the answer has substance. */
const SUBSTANCE: readonly FeatureName[] = [
  'substantive_share',
  'vacuous_share',
  'kind_sentences_grounded_share',
  'ended_early',
];

/**
 * The features a criterion's rationale may name as what weighed its level up or down: those that
 * speak of that criterion (every feature still counts in the level). "Risk weighed down by many
 * technologies named" names a real weight of the fitted model, but not a reason a candidate can
 * act on for risk.
 */
export const NAMED_FOR: Readonly<Record<string, ReadonlySet<FeatureName>>> = {
  hypothesis: new Set<FeatureName>([
    'hyp_best_level',
    'hyp_stated',
    'hyp_in_framing',
    'hyp_time_frac',
    'hyp_question_only',
    'comparisons',
    'quantified_sentences',
    'framing_word_share',
    'api_framing_share',
    'engineering_first',
    ...SUBSTANCE,
  ]),
  experimental_design: new Set<FeatureName>([
    'exp_kinds_tied',
    'exp_kinds_untied',
    'hyp_best_level',
    'hyp_stated',
    'comparisons',
    'quantified_sentences',
    'derived_from_experiment',
    'tech_untied',
    ...SUBSTANCE,
  ]),
  scalability: new Set<FeatureName>([
    'scale_kinds_tied',
    'scale_kinds_untied',
    'derived_from_experiment',
    'quantified_sentences',
    'tech_named',
    'tech_untied',
    ...SUBSTANCE,
  ]),
  risk: new Set<FeatureName>([
    'risk_kinds_tied',
    'risk_kinds_untied',
    'pivot_explores',
    'pivot_defensive',
    ...SUBSTANCE,
  ]),
  communication: new Set<FeatureName>([
    'signposts',
    'words_per_point',
    'questions_asked',
    'pivot_defensive',
    'pivot_explores',
    'framing_word_share',
    'api_framing_share',
    ...SUBSTANCE,
  ]),
};

export type FeatureVector = Record<FeatureName, number>;

/** What the scorer has already read of a round, which the features are computed from. */
export interface RoundReading {
  /** The round as read: its candidate messages without their notes to the grader. */
  readonly transcript: Transcript;
  /** The notes to the grader set aside from it, in order. */
  readonly notes: readonly string[];
  /** Every candidate sentence, in order. */
  readonly all: readonly Sentence[];
  /** The sentences of `all` with substance. */
  readonly substantive: readonly Sentence[];
  /** Round seconds at which the framing window ends: never in a drill, which has none. */
  readonly framingEnd: number;
  /** Round seconds of the interviewer's pivot, when there was one. */
  readonly pivotAt: number | undefined;
  /** The round's phases, in order, with the words said in each. */
  readonly phases: readonly PhaseSpan[];
  /** The rubric's cut-in for a missing hypothesis: when due, and when the candidate answered it. */
  readonly cutIn: { readonly due?: number; readonly answeredAt?: number };
  /** The candidate's answer to the pivot (see `pivotAnswer`). */
  readonly pivot: PivotAnswer;
  /** The interviewer's technology probes and what the candidate answered, in order. */
  readonly probes: readonly ProbeAnswer[];
  /** The sentences that reply to a probe. */
  readonly echoes: ReadonlySet<Sentence>;
  /** Technologies tied to the hypothesis or a measurement somewhere in the round. */
  readonly tied: ReadonlySet<string>;
}

export interface PivotAnswer {
  /** The first sentence of the answer that dismisses the pivot. */
  readonly dismissal?: Sentence;
  /** The answer explores what the pivot changes or proposes a check. */
  readonly explores: boolean;
}

/**
 * The candidate's answer to the pivot, as the red flag and the reader read it: the first sentence
 * that dismisses it, and whether the answer explores what it changes or proposes a check. The
 * answer may take a message or two (a pushback first, the plan kept later; the check a doubtful
 * reply proposes may come later too), and a reply to a probe in between answers the probe.
 */
export function pivotAnswer(
  all: readonly Sentence[],
  pivotAt: number | undefined,
  /** Replies to a technology probe: what they deny is the probe's tie, not the pivot. */
  echoes: ReadonlySet<Sentence>,
): PivotAnswer {
  if (pivotAt === undefined) return { explores: false };
  const answer = all.filter((s) => s.at >= pivotAt && s.at <= pivotAt + PIVOT_FOLLOW_UP_S);
  const dismissed = answer.find((s) => !echoes.has(s) && dismissal(s.norm));
  return {
    ...(dismissed ? { dismissal: dismissed } : {}),
    explores: answer.some((s) => exploresOrProposes(s.norm)),
  };
}

/**
 * What the passage at sentence `i` of a message carries of a hypothesis, as the round reads it: the
 * answer to the cut-in ("what do you expect to change?") says what the candidate expects, whether
 * or not it opens with "I expect" ("That the non-English scores come out lower than English").
 */
export function claimSignalsAt(
  r: RoundReading,
  message: readonly Sentence[],
  i: number,
): HypothesisSignals | undefined {
  return hypothesisSignalsAt(message, i, message[i]?.at === r.cutIn.answeredAt);
}

/** Distinct kinds shown, and how many of them in a grounded sentence. */
function kindCounts(kinds: readonly EvidenceKind[], list: readonly Sentence[]) {
  let named = 0;
  let tied = 0;
  for (const k of kinds) {
    const hits = list.filter((s) => shows(k, s.own));
    if (hits.length === 0) continue;
    named++;
    if (hits.some(grounded)) tied++;
  }
  return { named, tied };
}

/** Whether a sentence carries something: a number, a technology or an evidence kind. */
export function carries(s: Sentence): boolean {
  return (
    quantified(s.norm) ||
    technologiesIn(s.norm).length > 0 ||
    ALL_KINDS.some((k) => shows(k, s.norm))
  );
}

export function readerFeatures(r: RoundReading): FeatureVector {
  const { transcript: t, all, substantive: sub, framingEnd, pivotAt } = r;
  const roundS = t.minutes * 60;
  const cand = t.messages.filter((m) => m.role === 'candidate');
  const nWords = cand.reduce((n, m) => n + words(m.text).length, 0);
  const log1p = Math.log1p;

  // Hypothesis: the best level of any passage before timing, and whether and when it was stated.
  let hypBest = 0;
  let hypAt: number | null = null;
  let hypQuestion = false;
  for (const msg of byMessage(sub)) {
    for (const [i, s] of msg.entries()) {
      const sig = claimSignalsAt(r, msg, i);
      if (!sig) continue;
      hypBest = Math.max(hypBest, levelOf(sig));
      if (sig.question) hypQuestion = true;
      if (hypAt === null && statesClaim(sig)) hypAt = s.at;
    }
  }
  const exp = kindCounts(EXPERIMENT_KINDS, sub);
  const sca = kindCounts(SCALE_KINDS, sub);
  const risk = kindCounts(RISK_KINDS, sub);
  const kindSentences = sub.filter((s) => ALL_KINDS.some((k) => shows(k, s.own)));
  const techs = new Set(sub.flatMap((s) => technologiesIn(s.norm)));
  const untied = [...techs].filter((x) => !r.tied.has(x)).length;
  const framing = all.filter((s) => s.at < framingEnd);
  const after =
    pivotAt === undefined
      ? []
      : all.filter((s) => s.at >= pivotAt && s.at <= pivotAt + PIVOT_ANSWER_S);
  const phaseWords = r.phases.reduce((n, p) => n + p.words, 0);

  return {
    hyp_best_level: hypBest,
    hyp_stated: hypAt === null ? 0 : 1,
    hyp_in_framing: hypAt !== null && hypAt < framingEnd ? 1 : 0,
    hyp_time_frac: hypAt === null ? 1 : Math.min(1, hypAt / roundS),
    hyp_question_only: hypAt === null && hypQuestion ? 1 : 0,
    exp_kinds_tied: exp.tied,
    exp_kinds_untied: exp.named - exp.tied,
    scale_kinds_tied: sca.tied,
    scale_kinds_untied: sca.named - sca.tied,
    risk_kinds_tied: risk.tied,
    risk_kinds_untied: risk.named - risk.tied,
    kind_sentences_grounded_share:
      kindSentences.length === 0 ? 0 : kindSentences.filter(grounded).length / kindSentences.length,
    quantified_sentences: log1p(sub.filter((s) => quantified(s.own)).length),
    derived_from_experiment: log1p(
      sub.filter((s) => quantified(s.own) && STATISTICAL_NEED.test(s.norm)).length,
    ),
    comparisons: log1p(sub.filter((s) => statesComparison(s.own)).length),
    tech_named: log1p(techs.size),
    tech_untied: log1p(untied),
    framing_word_share: phaseWords === 0 ? 0 : (r.phases[0]?.words ?? 0) / phaseWords,
    signposts: log1p(sub.filter((s) => STRUCTURE.test(s.norm)).length),
    // Empty as the one reading judges it: a short clause counts with the rest of its sentence.
    vacuous_share: all.filter((s) => !s.substantive).length / Math.max(1, all.length),
    substantive_share: sub.length / Math.max(1, all.length),
    questions_asked: log1p(all.filter((s) => s.text.trim().endsWith('?')).length),
    words_per_point: log1p(nWords / Math.max(1, sub.filter(carries).length)),
    api_framing_share: apiFraming(framing).share,
    engineering_first: all.some((s) => ENGINEERING_FIRST.test(s.norm)) ? 1 : 0,
    pivot_defensive: r.pivot.dismissal ? 1 : 0,
    pivot_explores: after.some((s) => explores(s.norm) || COURTESY.test(s.norm)) ? 1 : 0,
    ended_early: t.endedAt !== undefined && t.endedAt < 0.75 * roundS ? 1 : 0,
  };
}
