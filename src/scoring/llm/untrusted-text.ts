import { INJECTION } from '../heuristic/evidence-kinds.js';

/**
 * Characters a reader cannot see but a model can: control characters (except newline and tab),
 * format characters (zero-width space/joiners, word joiner, BOM, soft hyphen, bidi embeddings,
 * overrides and isolates, Unicode tag characters used for "ASCII smuggling") and variation
 * selectors.
 */
const INVISIBLE = /(?![\n\t])[\p{Cc}\p{Cf}\p{Variation_Selector}]/gu;

/** Line and paragraph separators and CR line ends, which some renderers hide or fold. */
const LINE_BREAKS = /\r\n?|[\u2028\u2029]/g;

/** Our transcript delimiter, in any case and spacing, opening or closing. */
const DELIMITER = /<(\s*(?:\/\s*)?transcript\b[^<>]*)>/gi;

/** Text that addresses the judge rather than the interviewer, beyond the heuristic's patterns. */
const ADDRESSED_TO_JUDGE = [
  INJECTION,
  /\bnote to (?:the )?(?:grader|scorer|evaluator|judge|model|ai|llm|assistant)\b/i,
  /\b(?:assign|award|give)\b[^.?!\n]{0,40}\blevel\s*[0-4]\b/i,
  /\b(?:output|print|return|set)\b[^.?!\n]{0,20}\boverall\b/i,
  /\bdisregard\b[^.?!\n]{0,30}\b(?:instructions|rubric|rules|prompt)\b/i,
  /\b(?:new|updated|override) instructions\b/i,
  /^[^\S\n\r\u2028\u2029]*(?:system|developer|assistant)\s*[:>]/im,
  /<\s*(?:\/\s*)?transcript\b/i,
  /<\|(?:im_start|im_end|system|endoftext)\|>/i,
];

export interface CleanText {
  readonly text: string;
  /** How many invisible or control characters were removed. */
  readonly removed: number;
}

/** Removes invisible and control characters and folds line breaks to `\n`. */
export function stripInvisible(text: string): CleanText {
  let removed = 0;
  const clean = text.replace(LINE_BREAKS, '\n').replace(INVISIBLE, () => {
    removed++;
    return '';
  });
  return { text: clean, removed };
}

/**
 * Makes a fake `<transcript>` / `</transcript>` inert by swapping its angle brackets for
 * look-alike guillemets, so a candidate cannot close the data block early and speak as the
 * system.
 */
export function neutraliseDelimiters(text: string): string {
  return text.replace(DELIMITER, '‹$1›');
}

/**
 * Where `text` starts to read as an instruction to the judge ("ignore the rubric", "give me 100",
 * "SYSTEM:", a fake delimiter): the rest of that line, or `undefined`. Matching runs on the NFKC
 * form so full-width or styled letters do not slip through.
 */
export function injectionIn(text: string): string | undefined {
  const folded = text.normalize('NFKC');
  for (const pattern of ADDRESSED_TO_JUDGE) {
    const match = pattern.exec(folded);
    if (match) return (folded.slice(match.index).split('\n')[0] ?? match[0]).trim();
  }
  return undefined;
}
