// The rubric's red flags a round raises: no hypothesis in framing, technology tied to no
// hypothesis, engineering first, framing spent on interfaces, defending the plan at the pivot.
import type { Rubric } from '../../../rubric/schema.js';
import {
  technologiesIn,
  technologiesPutForward,
  tiedToMeasurement,
} from '../../analysis/technology.js';
import type { FlagHit } from '../scorecard.js';
import { apiFraming, ENGINEERING_FIRST } from './evidence-kinds.js';
import type { ProbeAnswer, UntiedAnswer } from './probes.js';
import { quoteOf } from './quotes.js';
import type { RoundReading } from './reader-features.js';
import type { Sentence } from './sentence.js';

/** The red flags of the rubric the round raises, each once, with the sentence that raised it. */
export function detectFlags(
  rubric: Rubric,
  round: RoundReading,
  hypothesisAt: number | null,
  /**
   * The design is anchored to a level-4 hypothesis: a technology is flagged only by a probe's
   * answer denying any tie, where nothing else ties it (see the caller).
   */
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
  // not on the third: 2026-12-04). In a design anchored to a level-4 hypothesis only such a denial
  // is a flag, and only where no sentence elsewhere in the round ties the technology (guide: "never
  // tied, anywhere in the round"; "it's just plumbing" ties nothing). Flagging every denial there
  // read worse on the twenty-sixth part (flag F1 0.737 → 0.719, 2026-12-07, taken back); never
  // flagging one missed seven of the twenty-seventh part's eleven; this reading, chosen on all
  // twenty-seven parts (pooled held-out 0.7574 → 0.7621) before the twenty-eighth was scored.
  for (const { probe, quote } of untied) {
    if (anchored && (!probe.denial || tiedElsewhere(all, probe))) continue;
    add('tech_without_hypothesis', quote, undefined, probe.technologies[0]);
  }
  // A third or more of the framing window's messages, two at least, on interfaces.
  const api = apiFraming(framing);
  if (api.messages >= 2 && api.share >= 1 / 3) add('framing_spent_on_api_design', api.first);
  const { pivot } = round;
  // Courtesy ("good point") does not undo a dismissal; exploring what the change means does.
  if (pivot.dismissal && !pivot.explores) add('defensive_pivot', pivot.dismissal);
  return hits;
}

/**
 * A sentence of the round outside the probe's answer ties one of the technologies it asked about:
 * names it with what it does for a measurement ("Postgres holds the per-arm refusal rates the
 * comparison reads").
 */
function tiedElsewhere(all: readonly Sentence[], probe: ProbeAnswer): boolean {
  const answer = new Set(probe.reply);
  return all.some(
    (s) =>
      !answer.has(s) &&
      tiedToMeasurement(s.norm) &&
      technologiesIn(s.norm).some((t) => probe.technologies.includes(t)),
  );
}
