// The candidate's sentences as the heuristic engine reads them: corrected, with the interviewer's
// own quantities masked, and where each came from.
import { givenQuantities, maskGiven } from '../../analysis/given-quantities.js';
import { type HypothesisSignals, hypothesisSignals } from '../../analysis/hypothesis.js';
import { normaliseTypos } from '../../analysis/normalise.js';
import { type ReadSentence, readSentences } from '../../analysis/reading.js';
import { words } from '../../analysis/sentences.js';
import { quantified } from '../../analysis/vacuity.js';
import type { Transcript } from '../../transcript.js';

/** A candidate sentence with where it came from. */
export interface Sentence extends ReadSentence {
  readonly at: number;
  readonly messageId?: string;
  /** The whole message, for ties that span sentences. */
  readonly message: string;
  /** `message`, likewise corrected. */
  readonly messageNorm: string;
  /** `messageNorm` with the interviewer's quantities masked, as `own` is. */
  readonly ownMessage: string;
  /**
   * What the sentence alone carries of a hypothesis (`hypothesisSignals` of `own`), read once:
   * a passage's reading, with the sentences after it, is `hypothesisSignalsAt`.
   */
  readonly signals: HypothesisSignals;
}

export function candidateSentences(transcript: Transcript): Sentence[] {
  const seen = new Set<string>();
  const out: Sentence[] = [];
  const given = givenQuantities([
    transcript.prompt,
    ...transcript.messages.filter((m) => m.role === 'interviewer').map((m) => m.text),
  ]);
  for (const m of transcript.messages) {
    if (m.role !== 'candidate') continue;
    const messageNorm = normaliseTypos(m.text);
    const ownMessage = maskGiven(messageNorm, given);
    for (const read of readSentences(m.text, given)) {
      const key = words(read.text).join(' ');
      if (seen.has(key)) continue; // pasted repeats add nothing
      seen.add(key);
      out.push({
        ...read,
        at: m.at,
        messageId: m.id,
        message: m.text,
        messageNorm,
        ownMessage,
        signals: hypothesisSignals(read.own),
      });
    }
  }
  return out;
}

/** The sentences of each message, in order (runs of sentences that share a message). */
export function byMessage(list: readonly Sentence[]): Sentence[][] {
  const out: Sentence[][] = [];
  for (const s of list) {
    const last = out[out.length - 1];
    if (last?.[0]?.message === s.message && last[0].at === s.at) last.push(s);
    else out.push([s]);
  }
  return out;
}

/** A sentence tying what it names to a decision or a reason. */
const DECISION = /\b(?:if|unless|otherwise|so that|which means|so we|then we|because)\b/i;

/** Whether a sentence is connected to a number (its own or its message's) or to a decision. */
export function grounded(s: Sentence): boolean {
  return quantified(s.own) || quantified(s.ownMessage) || DECISION.test(s.norm);
}
