// Generic features of a transcript for a learned reader, built on the existing analysis. Two
// groups: GENERIC (counts, shares, signals; no heuristic level or flag) and HEURISTIC (the rule
// engine's five levels and five flags), for stacking.
import type { Rubric } from '../../rubric/schema.js';
import { statesComparison } from '../../src/analysis/comparator.js';
import { levelOf } from '../../src/analysis/hypothesis.js';
import { hypothesisSignalsAt, statesHypothesisAt } from '../../src/analysis/reading.js';
import { words } from '../../src/analysis/sentences.js';
import { technologiesIn } from '../../src/analysis/technology.js';
import { quantified, vacuous } from '../../src/analysis/vacuity.js';
import {
  ALL_KINDS,
  API_DESIGN,
  CURIOUS,
  DEFENSIVE,
  ENGINEERING_FIRST,
  type EvidenceKind,
  EXPERIMENT_KINDS,
  EXPLORES,
  INJECTION,
  RISK_KINDS,
  SCALE_KINDS,
  STATISTICAL_NEED,
  STRUCTURE,
  shows,
} from '../../src/scoring/heuristic/evidence-kinds.js';
import {
  byMessage,
  candidateSentences,
  grounded,
  PIVOT_ANSWER_S,
  pivotTime,
  type Sentence,
  scoreHeuristically,
  tiedTechnologies,
} from '../../src/scoring/heuristic/heuristic-scorer.js';
import { phaseTimes } from '../../src/scoring/phase-times.js';
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
  readonly card: Scorecard;
}

const log1p = Math.log1p;

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

export function featuresOf(rubric: Rubric, t: Transcript): Features {
  const card = scoreHeuristically(rubric, t);
  const all = candidateSentences(t);
  const sub = all.filter((s) => s.substantive);
  const phases = phaseTimes(rubric, t);
  const framingEnd = phases[1]?.start ?? t.minutes * 60;
  const roundS = t.minutes * 60;
  const cand = t.messages.filter((m) => m.role === 'candidate');
  const wordsAll = cand.flatMap((m) => words(m.text).map((w) => w.toLowerCase()));
  const nWords = wordsAll.length;

  // Hypothesis: best uncapped level of any passage, whether/when a claim was stated.
  let hypBest = 0;
  let hypAt: number | null = null;
  let hypQuestion = 0;
  for (const msg of byMessage(sub)) {
    for (let i = 0; i < msg.length; i++) {
      const sig = hypothesisSignalsAt(msg, i);
      if (!sig) continue;
      hypBest = Math.max(hypBest, levelOf(sig));
      if (sig.question) hypQuestion = 1;
      if (hypAt === null && statesHypothesisAt(msg, i)) hypAt = (msg[i] as Sentence).at;
    }
  }
  const exp = kindCounts(EXPERIMENT_KINDS, sub);
  const sca = kindCounts(SCALE_KINDS, sub);
  const risk = kindCounts(RISK_KINDS, sub);
  const kindSentences = sub.filter((s) => ALL_KINDS.some((k) => shows(k, s.own)));
  const techs = new Set(sub.flatMap((s) => technologiesIn(s.norm)));
  const tied = tiedTechnologies(all);
  const untied = [...techs].filter((x) => !tied.has(x)).length;
  const framing = all.filter((s) => s.at < framingEnd);
  const pivotAt = pivotTime(rubric, t);
  const after =
    pivotAt === undefined
      ? []
      : all.filter((s) => s.at >= pivotAt && s.at <= pivotAt + PIVOT_ANSWER_S);
  const framingWords = phases[0]?.words ?? 0;
  const phaseWords = phases.reduce((n, p) => n + p.words, 0);
  const replies = Math.max(1, cand.length);

  const generic: Record<string, number> = {
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
    log_words: log1p(nWords),
    words_per_reply: log1p(nWords / replies),
    framing_word_share: phaseWords === 0 ? 0 : framingWords / phaseWords,
    signposts: log1p(sub.filter((s) => STRUCTURE.test(s.norm)).length),
    vacuous_share: all.filter((s) => vacuous(s.norm)).length / Math.max(1, all.length),
    substantive_share: sub.length / Math.max(1, all.length),
    type_token: nWords === 0 ? 0 : new Set(wordsAll).size / Math.sqrt(nWords), // Guiraud's R
    questions_asked: log1p(all.filter((s) => s.text.trim().endsWith('?')).length),
    words_per_point: log1p(
      nWords /
        Math.max(
          1,
          sub.filter(
            (s) =>
              quantified(s.norm) ||
              technologiesIn(s.norm).length > 0 ||
              ALL_KINDS.some((k) => shows(k, s.norm)),
          ).length,
        ),
    ),
    api_framing_share:
      framing.filter((s) => API_DESIGN.test(s.norm)).length / Math.max(1, framing.length),
    engineering_first: all.filter((s) => ENGINEERING_FIRST.test(s.norm)).length > 0 ? 1 : 0,
    pivot_defensive: after.some((s) => DEFENSIVE.test(s.norm)) ? 1 : 0,
    pivot_explores: after.some((s) => EXPLORES.test(s.norm) || CURIOUS.test(s.norm)) ? 1 : 0,
    injection: all.some((s) => INJECTION.test(s.norm)) ? 1 : 0,
    ended_early: t.endedAt !== undefined && t.endedAt < 0.75 * roundS ? 1 : 0,
  };
  const heuristic: Record<string, number> = {};
  for (const c of card.criteria) heuristic[`h_${c.id}`] = c.level;
  for (const f of FLAGS) heuristic[`hf_${f}`] = card.flags.some((x) => x.id === f) ? 1 : 0;
  return { generic, heuristic, card };
}
