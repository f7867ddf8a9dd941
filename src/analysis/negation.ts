/**
 * Negation: whether a pattern is said, or only said not to be ("no baseline", "doesn't change the
 * metric").
 */

/** A negation shortly before a match: "no baseline", "we won't need a control", "without ablations". */
const NEGATED =
  /(?:\b(?:no|not|without|never|skip(?:ping)?|nor|instead of)\b|n't\b)[^.,;:!?]{0,25}$/i;

/** Whether `pattern` occurs in `text` other than negated. */
export function affirms(pattern: RegExp, text: string): boolean {
  if (!pattern.test(text)) return false;
  let global = GLOBAL.get(pattern);
  if (!global) {
    global = new RegExp(pattern.source, 'gi');
    GLOBAL.set(pattern, global);
  }
  for (const m of text.matchAll(global)) if (!NEGATED.test(text.slice(0, m.index))) return true;
  return false;
}

/** Global copies of the evidence patterns, made once. */
const GLOBAL = new Map<RegExp, RegExp>();
