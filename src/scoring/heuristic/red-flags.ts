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

/** The red flags of the rubric the round raises, each once, with the sentence that raised it. */
export function detectFlags(
  rubric: Rubric,
  round: RoundReading,
  hypothesisAt: number | null,
  /** The design is anchored to a level-4 hypothesis: no technology flag (see the caller). */
  anchored: boolean,
  /** The probe answers that tie their technology to nothing (`untiedAnswers`). */
  untied: readonly UntiedAnswer[],
): FlagHit[] {
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
  for (const s of all) {
    if (!anchored && technologiesPutForward(s.norm).some((t) => !tied.has(t))) {
      add('tech_without_hypothesis', s);
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
  if (!anchored)
    for (const { probe, quote } of untied)
      add('tech_without_hypothesis', quote, undefined, probe.technologies[0]);
  // A third or more of the framing window's messages, two at least, on interfaces.
  const api = apiFraming(framing);
  if (api.messages >= 2 && api.share >= 1 / 3) add('framing_spent_on_api_design', api.first);
  const { pivot } = round;
  // Courtesy ("good point") does not undo a dismissal; exploring what the change means does.
  if (pivot.dismissal && !pivot.explores) add('defensive_pivot', pivot.dismissal);
  return hits;
}
