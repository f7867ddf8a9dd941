import type { Rubric } from '../../../rubric/schema.js';
import type { Drill } from '../../round/drills.js';
import {
  bandFor,
  type CriterionScore,
  type Evidence,
  type FlagHit,
  type Improvement,
  overallScore,
  type Scorecard,
} from '../scorecard.js';
import type { Judgement } from './judge-schema.js';
import type { CandidateTurn } from './turns.js';
import { cleanQuote, saidByCandidate, verifyQuote } from './verify-quotes.js';

/** Levels from 3 up must rest on at least one quote the candidate really wrote. */
const CAP_WITHOUT_EVIDENCE = 2;
/** Two engines this many levels apart mark the criterion low-confidence. */
const DISAGREEMENT = 2;
const MAX_EVIDENCE = 3;
const MAX_IMPROVEMENTS = 3;

export interface CombineInput {
  readonly rubric: Rubric;
  readonly judgement: Judgement;
  /** The heuristic card of the same (cleaned) transcript: the cross-check, phases and triad. */
  readonly heuristic: Scorecard;
  readonly turns: readonly CandidateTurn[];
  readonly model: string;
  /** Warnings found before the call (injection attempts, stripped characters). */
  readonly warnings: readonly string[];
  /** The drill, when the transcript is one: the judge's word counts on its criterion alone. */
  readonly drill?: Drill;
}

/**
 * The LLM engine's scorecard: the judge's levels, backed only by quotes verified against the
 * transcript, with overall and band recomputed locally, phase discipline and the triad taken from
 * the heuristic card, and criteria where the two engines disagree marked low-confidence.
 *
 * A drill is judged on its one criterion, as the heuristic judges it: the judge's level, advice
 * and quotes count for that criterion alone, the others keep the heuristic's drill reading (so
 * overall and band mean what they mean under either engine), and no red flag is raised.
 */
export function combineScorecard(input: CombineInput): Scorecard {
  const { rubric, judgement, heuristic, turns, drill } = input;
  let droppedQuotes = 0;

  const criteria: CriterionScore[] = rubric.criteria.map((c) => {
    const outside = drill && c.id !== drill.criterion;
    const kept = outside ? heuristic.criteria.find((h) => h.id === c.id) : undefined;
    if (kept) return kept;
    const judged = judgement.criteria.find((j) => j.id === c.id);
    const evidence: Evidence[] = [];
    for (const e of judged?.evidence ?? []) {
      const verified = verifyQuote(e.quote, e.turn, turns);
      if (!verified) droppedQuotes++;
      else if (!evidence.some((x) => x.quote === verified.quote)) evidence.push(verified);
    }
    let level = judged?.level ?? 0;
    let rationale = judged?.rationale.trim() || 'No rationale given.';
    if (level > CAP_WITHOUT_EVIDENCE && evidence.length === 0) {
      level = CAP_WITHOUT_EVIDENCE;
      rationale = `${rationale} (Capped at level ${CAP_WITHOUT_EVIDENCE}: none of the judge's quotes appear in the transcript.)`;
    }
    const cross = heuristic.criteria.find((h) => h.id === c.id);
    const lowConfidence = cross !== undefined && Math.abs(cross.level - level) >= DISAGREEMENT;
    return {
      id: c.id,
      name: c.name,
      weight: c.weight,
      level,
      rationale,
      evidence: evidence.slice(0, MAX_EVIDENCE),
      ...(lowConfidence ? { lowConfidence } : {}),
    };
  });

  const { flags, dropped: droppedFlags } = drill ? { flags: [], dropped: 0 } : verifiedFlags(input);
  const overall = overallScore(criteria);
  const warnings = [...input.warnings];
  if (judgement.injection_detected && !warnings.some((w) => w.includes('prompt injection'))) {
    warnings.push(
      'The judge reported text in the transcript that tried to instruct it; it was scored as data.',
    );
  }
  if (droppedQuotes > 0) {
    warnings.push(
      `Dropped ${droppedQuotes} evidence quote${droppedQuotes === 1 ? '' : 's'} from the judge that the candidate never wrote.`,
    );
  }
  if (droppedFlags > 0) {
    warnings.push(
      `Dropped ${droppedFlags} red flag${droppedFlags === 1 ? '' : 's'} whose quote the candidate never wrote.`,
    );
  }
  const improvements = judgedImprovements(judgement, turns, drill);
  return {
    prompt: heuristic.prompt,
    minutes: heuristic.minutes,
    ...(heuristic.mode ? { mode: heuristic.mode } : {}),
    overall,
    band: bandFor(rubric, overall),
    criteria,
    flags,
    phaseDiscipline: heuristic.phaseDiscipline,
    triad: heuristic.triad,
    improvements: improvements.length > 0 ? improvements : heuristic.improvements,
    engine: { name: 'llm', model: input.model },
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

/**
 * The judge's red flags with verified quotes, one hit per flag. A flag whose quote cannot be
 * found survives only when the heuristic raised it too (absence flags such as "no hypothesis in
 * framing" often have nothing to quote), with the heuristic's quote.
 */
function verifiedFlags({ rubric, judgement, heuristic, turns }: CombineInput) {
  const flags: FlagHit[] = [];
  let dropped = 0;
  for (const f of judgement.flags) {
    const flag = rubric.flags.find((r) => r.id === f.id);
    if (!flag || flags.some((h) => h.id === f.id)) continue;
    const verified = verifyQuote(f.quote, f.turn, turns);
    const corroborated = heuristic.flags.find((h) => h.id === f.id);
    if (verified) flags.push({ id: flag.id, name: flag.name, ...verified });
    else if (corroborated) flags.push(corroborated);
    else dropped++;
  }
  return { flags, dropped };
}

/**
 * Up to three improvements, each with the criterion it would raise when the judge named one (in a
 * drill, only those on its criterion); a rewrite keeps its before/after only if the candidate said
 * "before".
 */
function judgedImprovements(
  judgement: Judgement,
  turns: readonly CandidateTurn[],
  drill: Drill | undefined,
): Improvement[] {
  return judgement.improvements
    .filter((i) => i.text.trim().length > 0 && (!drill || i.criterion === drill.criterion))
    .slice(0, MAX_IMPROVEMENTS)
    .map((i) => {
      const text = i.text.trim();
      const criterion = i.criterion ? { criterion: i.criterion } : {};
      const before = i.before?.trim();
      const after = i.after?.trim();
      return before && after && saidByCandidate(before, turns)
        ? { text, ...criterion, before: cleanQuote(before), after }
        : { text, ...criterion };
    });
}
