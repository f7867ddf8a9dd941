import { INJECTION } from '../scoring/heuristic/evidence-kinds.js';
import { hypothesisLevel } from './hypothesis.js';
import { normaliseTypos } from './normalise.js';
import { sentences } from './sentences.js';
import { vacuous } from './vacuity.js';

/** A sentence of a candidate's message as every reader of it sees it. */
export interface ReadSentence {
  /** As written. */
  readonly text: string;
  /** With research terms' typos corrected: what the patterns read. */
  readonly norm: string;
  /**
   * Says something of its own: not text addressed to the grader, not rubric words strung
   * together without substance. Only substantive sentences earn credit.
   */
  readonly substantive: boolean;
}

/**
 * The one reading of a candidate's message, shared by the live round and the scorer, so the
 * round's cut-ins and the scorecard never disagree about what was said.
 */
export function readSentences(text: string): ReadSentence[] {
  return sentences(text).map((raw) => {
    const norm = normaliseTypos(raw);
    return { text: raw, norm, substantive: !INJECTION.test(norm) && !vacuous(norm) };
  });
}

/** How well a read sentence states a hypothesis (0–4); 0 when it is not substantive. */
export function hypothesisLevelOf(sentence: ReadSentence): number {
  return sentence.substantive ? hypothesisLevel(sentence.norm) : 0;
}

/** Whether a sentence states a testable hypothesis: the scorecard's "hypothesis first stated". */
export function statesHypothesis(sentence: ReadSentence): boolean {
  return hypothesisLevelOf(sentence) >= 2;
}
