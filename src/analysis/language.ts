/**
 * Whether an answer is written in English, as far as the rule-based scorer can tell: its rules
 * (hypothesis, evidence kinds, negation) read English only, so an answer in another language
 * scores near zero, and its card says why rather than letting the levels speak.
 *
 * Two signs, either enough: most letters outside the Latin script (Chinese, Japanese, Cyrillic,
 * Arabic, ...), or more of the commonest function words of Spanish, French, German, Portuguese or
 * Italian than of English. Words both share, or that English writes too ("a", "in", "die", "per",
 * "et al.", the "non" and "un" of "non-trivial", "un-tied"), count for neither.
 * Telegraphic English notes ("H: reranker → −15% vs current. 2k Qs/arm.") have few function words
 * of either kind, and read as English.
 */

/** English's commonest function words. */
const ENGLISH = new Set(
  'the of to and is are be was were will would should can could we i it this that with by as at from our my not no if than then so what how which they you its their there these those do does did have has had for or but'.split(
    ' ',
  ),
);

/** The commonest function words of Spanish, French, German, Portuguese and Italian. */
const OTHER = new Set(
  'el la los las del que en una es por para con se su sus como más pero le les des une pour dans qui pas avec sur du aux ce cette sont être der das und ist ein eine nicht mit dem den zu von auf für sich auch wir ich werden wird não uma é são também il che di è della delle degli sono anche'.split(
    ' ',
  ),
);

/** Fewest words an answer needs before its language is judged at all. */
const MIN_WORDS = 12;

/** Fewest other-language function words that count as a sign. */
const MIN_OTHER = 4;

/** Whether `text` (a candidate's whole answer) reads as written in a language other than English. */
export function notEnglish(text: string): boolean {
  const letters = text.match(/\p{L}/gu) ?? [];
  const latin = text.match(/\p{Script=Latin}/gu) ?? [];
  if (letters.length >= MIN_WORDS * 2 && latin.length < letters.length / 2) return true;
  const all = text.match(/\p{L}+/gu) ?? [];
  if (all.length < MIN_WORDS) return false;
  // An acronym is no function word, whatever it spells: ES (Elasticsearch), CE (cross-entropy)
  // and SE (standard error) are English answers' words.
  const words = all
    .filter((w) => w.length < 2 || w !== w.toUpperCase())
    .map((w) => w.toLowerCase());
  const english = words.filter((w) => ENGLISH.has(w)).length;
  const other = words.filter((w) => OTHER.has(w)).length;
  return other >= MIN_OTHER && other > english;
}
