import type { Rubric } from '../../../rubric/schema.js';
import { deniesTie, technologiesIn, tiedToMeasurement } from '../../analysis/technology.js';
import type { Transcript } from '../../transcript.js';
import { exploresOrProposes } from './evidence-kinds.js';
import { templatePattern } from './rubric-line.js';
import type { Sentence } from './sentence.js';

/**
 * What the candidate answered to one of the interviewer's technology probes ("You mentioned Kafka.
 * Which hypothesis does it serve ...?").
 */
export interface ProbeAnswer {
  /** The technologies the probe named. */
  readonly technologies: readonly string[];
  /** The sentences of the candidate's first message after the probe. */
  readonly reply: readonly Sentence[];
  /** The first sentence of the reply that says it serves no hypothesis or measurement. */
  readonly denial?: Sentence;
  /**
   * The reply ties what was probed (guide, section 4: "including in the answer to a probe"): it
   * names what the technology does for a measurement without saying it does nothing for one, or,
   * having said so, proposes a check of what it does to the results ("switch it off and the metric
   * is the same ... so I'd check our numbers against the reference implementation first").
   */
  readonly ties: boolean;
  /** The reply names a metric or a number (not only "the hypothesis" or "the goal" it serves). */
  readonly measures: boolean;
}

/** The round's technology probes and the candidate's answers, in order. */
export function probeAnswers(
  rubric: Rubric,
  transcript: Transcript,
  all: readonly Sentence[],
): ProbeAnswer[] {
  const probe = templatePattern(rubric.probe.text);
  return transcript.messages
    .filter((m) => m.role === 'interviewer' && probe.test(m.text))
    .map((q) => {
      const first = all.find((s) => s.at >= q.at);
      const reply = all.filter((s) => s.at === first?.at);
      const at = reply.findIndex((s) => deniesTie(s.norm));
      const denial = reply[at];
      const ties = denial
        ? reply.slice(at + 1).some((s) => checksTheEffect(s.norm))
        : reply.some((s) => tiedToMeasurement(s.norm));
      const measures = reply.some((s) => s.signals.metric || s.signals.quantity);
      return {
        technologies: technologiesIn(q.text),
        reply,
        ...(denial ? { denial } : {}),
        ties,
        measures,
      };
    });
}

/** A check of what a component does to the results, proposed in so many words. */
const CHECK =
  /\b(?:worth checking|parity check|measure it|check (?:that|whether)|(?:we|i) (?:can|could|would|'d|should|must) (?:measure|check|verify|validate|compare))\b/i;

function checksTheEffect(sentence: string): boolean {
  return exploresOrProposes(sentence) || CHECK.test(sentence);
}

/** A probe whose answer leaves its technology tied to nothing, and the sentence the flag quotes. */
export interface UntiedAnswer {
  readonly probe: ProbeAnswer;
  readonly quote: Sentence;
}

/**
 * The probes whose answer leaves the technology tied to nothing, each with the sentence the red
 * flag quotes: a denial of any tie with no check proposed; and an answer that ties it only by
 * naming a hypothesis ("Spark serves the detection hypothesis at scale", "it serves the core
 * hypothesis by providing a single source of truth") with no metric or number (guide, section 4:
 * a tie names what the component does for the experiment, which metric it moves or records),
 * whatever the round's hypothesis. Until 2026-12-07 the second was read only in rounds with no
 * testable hypothesis; read in every round, pooled held-out flag F1 over the twenty-six parts then
 * labelled went 0.7546 → 0.7592 (14 more found, 11 more false), chosen before the twenty-seventh
 * part was scored.
 */
export function untiedAnswers(probes: readonly ProbeAnswer[]): UntiedAnswer[] {
  return probes.flatMap((probe) => {
    if (probe.denial) return probe.ties ? [] : [{ probe, quote: probe.denial }];
    if (!probe.ties || probe.measures) return [];
    const quote = probe.reply.find((s) => tiedToMeasurement(s.norm)) ?? probe.reply[0];
    return quote ? [{ probe, quote }] : [];
  });
}
