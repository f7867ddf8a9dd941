import { TO_GRADER } from '../scoring/heuristic/evidence-kinds.js';
import { maskGiven } from './given-quantities.js';
import { type HypothesisSignals, passageSignals, statesClaim } from './hypothesis.js';
import { normaliseTypos } from './normalise.js';
import { sentenceClauses } from './sentences.js';
import { vacuous } from './vacuity.js';

/** A sentence of a candidate's message as every reader of it sees it. */
export interface ReadSentence {
  /** As written. */
  readonly text: string;
  /** With research terms' typos corrected: what the patterns read. */
  readonly norm: string;
  /**
   * Says something of its own, not rubric words strung together without substance (text
   * addressed to the grader is never read at all). Only substantive sentences earn credit.
   */
  readonly substantive: boolean;
  /**
   * `norm` with the quantities the interviewer gave masked (`readSentences`' `given`): a claim
   * sized only by the prompt's own numbers ("if the sandbox can sustain 100k episodes a day, ...")
   * states no effect of the candidate's.
   */
  readonly own: string;
}

/** No quantities given: `own` is `norm`. */
const NONE: ReadonlySet<string> = new Set();

const TO_GRADER_ALL = new RegExp(TO_GRADER.source, 'gim');

/**
 * The stretches of a message that address the grader: from each marker (`TO_GRADER`), or the
 * bracket it stands in, to that bracket's close, else to the end of its line. A note often runs
 * over several sentences ("(Note to whoever is scoring this: that's my hypothesis ... so please
 * count it.)"), and only its first names the grader.
 */
function graderSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  for (const m of text.matchAll(TO_GRADER_ALL)) {
    const at = m.index;
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    const lineEnd = text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at);
    const open = Math.max(text.lastIndexOf('(', at), text.lastIndexOf('[', at));
    const inBracket = open >= lineStart && !/[)\]]/.test(text.slice(open, at));
    const close = inBracket ? text.slice(at).search(/[)\]]/) : -1;
    spans.push([inBracket ? open : at, close >= 0 ? at + close + 1 : lineEnd]);
  }
  return spans.sort((a, b) => a[0] - b[0]);
}

/**
 * A message with every note to the grader taken out (guide, section 1: set aside, it earns and
 * costs nothing), a line break in each one's place so the text around it stays apart; and the
 * notes, for the scorecard to say so.
 */
export function setAsideNotes(text: string): { text: string; notes: string[] } {
  const notes: string[] = [];
  let kept = '';
  let from = 0;
  for (const [start, end] of graderSpans(text)) {
    if (end <= from) continue;
    kept += `${text.slice(from, Math.max(from, start))}\n`;
    notes.push(text.slice(Math.max(from, start), end).trim());
    from = end;
  }
  return notes.length === 0 ? { text, notes } : { text: kept + text.slice(from), notes };
}

/**
 * The one reading of a candidate's message, shared by the live round and the scorer, so the
 * round's cut-ins and the scorecard never disagree about what was said: its sentences, with every
 * note to the grader set aside, and the interviewer's quantities (`given`) masked in `own`.
 */
export function readSentences(text: string, given: ReadonlySet<string> = NONE): ReadSentence[] {
  return sentenceClauses(setAsideNotes(text).text).flatMap((clauses) => {
    // A short clause ("Threats to validity: judge bias;") is judged with the rest of its
    // sentence: its rubric words are empty only when the whole sentence says nothing else.
    const whole = normaliseTypos(clauses.join(' '));
    const sentenceEmpty = clauses.length === 1 || vacuous(whole);
    return clauses.map((raw) => {
      const norm = normaliseTypos(raw);
      return {
        text: raw,
        norm,
        own: maskGiven(norm, given),
        substantive: !(vacuous(norm) && sentenceEmpty),
      };
    });
  });
}

/** Sentences after a claim that may still be part of it (its numbers, its baseline). */
export const HYPOTHESIS_PASSAGE = 3;

/**
 * What the passage that opens with sentence `i` of one message carries of a hypothesis: the
 * sentence with the next ones of the same message (see `passageSignals`); nothing when the
 * sentence is not substantive.
 */
export function hypothesisSignalsAt(
  message: readonly ReadSentence[],
  i: number,
  answersCutIn = false,
): HypothesisSignals | undefined {
  const at = message[i];
  // A claim's head ("Claim:", "So the belief, in a form we can check:") stands over the list
  // that states it: the passage runs on over the list.
  const head = at !== undefined && isClaimHead(at.norm);
  if (!at?.substantive && !head) return undefined;
  const rest = message.slice(i + 1, i + (head ? HEADED_PASSAGE : HYPOTHESIS_PASSAGE));
  return passageSignals(
    [at, ...rest.filter((s) => s.substantive)].map((s) => s.own),
    answersCutIn,
  );
}

/** The lines under a claim's head that may still be part of it. */
const HEADED_PASSAGE = 6;

/**
 * A short line that heads a claim: ends in a colon ("Claim:", "My hypothesis:"), or numbers it
 * ("Hypothesis 1.", "Hypothesis 2"), the claim in the lines after it.
 */
function isClaimHead(sentence: string): boolean {
  return (
    (/^[^.!?]{0,60}:\s*$/.test(sentence) || /^\W*hypothesis\s+\d+\.?\s*$/i.test(sentence)) &&
    (passageSignals([sentence])?.claim ?? false)
  );
}

/**
 * Whether the passage at `i` states a hypothesis: a claim with a direction and something
 * measurable, not a question (see `statesClaim`; the scorecard's "hypothesis first stated", the
 * round's cut-in).
 */
export function statesHypothesisAt(message: readonly ReadSentence[], i: number): boolean {
  const signals = hypothesisSignalsAt(message, i);
  return signals !== undefined && statesClaim(signals);
}

/** Whether a message states a testable hypothesis anywhere. */
export function statesHypothesis(message: readonly ReadSentence[]): boolean {
  return message.some((_, i) => statesHypothesisAt(message, i));
}
