// The rubric's red flags a round raises: no hypothesis in framing, technology tied to no
// hypothesis, engineering first, framing spent on interfaces, defending the plan at the pivot.
import type { Rubric } from '../../../rubric/schema.js';
import { technologiesIn, technologiesPutForward } from '../../analysis/technology.js';
import type { FlagHit } from '../scorecard.js';
import { apiFraming, ENGINEERING_FIRST } from './evidence-kinds.js';
import type { UntiedAnswer } from './probes.js';
import { quoteOf } from './quotes.js';
import type { RoundReading } from './reader-features.js';
import type { Sentence } from './sentence.js';
import { type TieModel, tieFeatures, tieRaised } from './tie-decider.js';

/** The red flags of the rubric the round raises, each once, with the sentence that raised it. */
export function detectFlags(
  rubric: Rubric,
  round: RoundReading,
  hypothesisAt: number | null,
  /** The hypothesis's level by the rules: at 4 the rules raise no technology flag (see the caller). */
  ruled: number,
  /** The probe answers that tie their technology to nothing (`untiedAnswers`). */
  untied: readonly UntiedAnswer[],
  /** Decides the technology flag from the rules' reading and more (null: the rules decide). */
  tie: TieModel | null,
): FlagHit[] {
  const anchored = ruled === 4;
  const { all, framingEnd, tied } = round;
  const hits: FlagHit[] = [];
  const add = (id: string, s: Sentence | undefined, quote?: string, about?: string) => {
    const flag = rubric.flags.find((f) => f.id === id);
    if (!flag || hits.some((h) => h.id === id)) return;
    const quoted = quote ?? (s ? quoteOf(s) : '');
    hits.push({
      id,
      name: flag.name,
      quote: quoted,
      at: s?.at ?? 0,
      messageId: s?.messageId,
      ...(about && !technologiesIn(quoted).includes(about) ? { about } : {}),
    });
  };
  const framing = all.filter((s) => s.at < framingEnd);
  if (hypothesisAt === null || hypothesisAt >= framingEnd) {
    // The framing's first sentence of substance, not its greeting ("Oh, fun question.").
    const opening = framing.find((s) => s.substantive) ?? framing[0];
    add(
      'no_hypothesis_in_framing',
      opening,
      opening ? undefined : '(nothing was said in the framing window)',
    );
  }
  // The rules' technology flag: a technology put forward and tied nowhere in the round, the first
  // sentence naming it quoted.
  let technology: Untied | undefined;
  for (const s of all) {
    if (!technology && !anchored && technologiesPutForward(s.norm).some((t) => !tied.has(t))) {
      technology = { quote: s };
    }
    if (ENGINEERING_FIRST.test(s.norm)) add('engineering_first', s);
  }
  // Asked what a technology serves, the candidate says it serves no hypothesis or measurement and
  // proposes no check of what it does to the results (what follows in the same answer, "the
  // metric it affects is GPU utilisation", read as a tie on the first two parts of the corpus and
  // not on the third: 2026-12-04). In a design anchored to a level-4 hypothesis even a denial is
  // no flag: flagging it there read better on the parts labelled since the guide said a denial
  // ties nothing (the sixteenth to the twenty-fifth), and worse on the twenty-sixth, written after
  // (flag F1 0.737 → 0.719: nine more false, four fewer missed; 2026-12-07). Flagging it there only
  // where no sentence elsewhere in the round ties the technology read better on the twenty-seven
  // parts it was chosen on and worse on the twenty-eighth, written after (0.744 → 0.690: six more
  // false, none found; 2026-12-07, `f54355b`, taken back).
  const answer = untied[0];
  if (!technology && !anchored && answer) {
    technology = { quote: answer.quote, about: answer.probe.technologies[0] };
  }
  // The decider weighs the rules' verdict with the words around the technologies (`tie-decider.ts`).
  const raised = tie
    ? tieRaised(tie, tieFeatures(round, technology !== undefined, ruled))
    : technology !== undefined;
  const flagged = raised ? (technology ?? untiedByDecider(round, untied)) : undefined;
  if (flagged) add('tech_without_hypothesis', flagged.quote, undefined, flagged.about);
  // A third or more of the framing window's messages, two at least, on interfaces.
  const api = apiFraming(framing);
  if (api.messages >= 2 && api.share >= 1 / 3) add('framing_spent_on_api_design', api.first);
  const { pivot } = round;
  // Courtesy ("good point") does not undo a dismissal; exploring what the change means does.
  if (pivot.dismissal && !pivot.explores) add('defensive_pivot', pivot.dismissal);
  return hits;
}

/** The sentence a technology flag quotes, and the technology where the sentence is a probe answer. */
interface Untied {
  readonly quote: Sentence;
  readonly about?: string;
}

/**
 * What a technology flag the decider raises quotes where the rules saw no flag: a probe answer
 * that ties its technology to nothing (in a design anchored to a level-4 hypothesis), else one
 * that does not tie it, else the first technology put forward that nothing ties, else the first
 * put forward. A round that puts no technology forward raises no flag.
 */
function untiedByDecider(round: RoundReading, untied: readonly UntiedAnswer[]): Untied | undefined {
  const answer =
    untied[0] ??
    round.probes.flatMap((probe) => {
      const quote = probe.reply[0];
      return !probe.ties && quote ? [{ probe, quote }] : [];
    })[0];
  if (answer) return { quote: answer.quote, about: answer.probe.technologies[0] };
  const named = (s: Sentence) => technologiesPutForward(s.norm);
  const quote =
    round.all.find((s) => named(s).some((t) => !round.tied.has(t))) ??
    round.all.find((s) => named(s).length > 0);
  return quote ? { quote } : undefined;
}
