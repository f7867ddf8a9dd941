/**
 * Comparison points: whether a control or baseline is named (guide, 3.2: "a baseline must be
 * named; 'compare against a baseline' is not one"), or only its word is said.
 */

/** The words for a comparison point. */
const COMPARATOR = /\b(?:baselines?|control(?! for\b))/gi;

/** Words before a comparison point that say nothing of what it is ("a strong baseline"). */
const UNNAMING =
  /(?:^|\b(?:a|an|the|our|its|their|own|each|any|some|every|strong|proper|clear|rigorous|solid|good|reasonable|sensible|appropriate|relevant|right|robust|standard|fair|simple|with|against|vs\.?|versus|to|establish|set|have|need|and|of|or|no)\s+)$/i;

/**
 * What follows a comparison point to say what it is: "baseline: the 13-gram pass", "control arm",
 * or its value ("a baseline around 72%", "baseline ~0.6").
 */
const NAMING_AFTER =
  /^\s*(?:(?:(?:of|at|around|about|near|roughly|approx\w*|~|≈)\s*)?~?\d|[:=(—–-]|is\b|are\b|would be\b|will be\b|being\b|stays?\b|keeps?\b|gets?\b|sees?\b|uses?\b|runs?\b|of\b|arms?\b|groups?\b|conditions?\b|models?\b|checkpoints?\b|sets?\b|release\b|here\b|where\b|that\b|which\b|for (?:that|this|it|each \w+)\s*:)/i;

/**
 * A comparison point named without the words for one: the current model, the last release, a
 * held-out set, random sampling, n-1.
 */
const NAMED_COMPARATOR =
  /\b(?:holdout|held[- ]out|status quo|counterfactual|treatment|n-1|the reference|uniform(?:ly)? (?:sampled|random)|random (?:baseline|selection|sampling)|(?:current|previous|last|existing|prior|old|incumbent|shipped|production|prod)\s+(?:\w+\s+)?(?:model|system|pipeline|release|checkpoint|version|retriever|policy|one|week|cycle|prod\w*))\b/i;

/** Words that compare with something: what follows them is the comparison point. */
const COMPARING =
  /\b(?:compared? (?:to|with)|relative to|vs\.?|versus)\b|(?:\d\s*(?:x|×)|\btimes|\bfold)\s+(?:over|above)\b/i;

/**
 * `UNNAMING` read backwards from a position of the sentence (`lastIndex`), not over the whole
 * prefix again for every comparison word: a long sentence of them took quadratic time.
 */
const UNNAMING_AT = new RegExp(`(?<=${UNNAMING.source.replace(/\$$/, '')})`, 'iy');

/**
 * A comparison point named before its word: "a linear probe on the same layer as the baseline",
 * "the current model as our control".
 */
const NAMED_AS =
  /\b(?!(?:such|same|well|much|many|soon|long|far|good|high|low|big|large|small|and|or|just)\s)[\w%)'"]+\s+as\s+(?:the\s+|a\s+|an\s+|our\s+|my\s+|its\s+)?$/i;

/** Whether the comparison-point word at `index` of `sentence` is said without what it is. */
function bare(sentence: string, index: number, word: string): boolean {
  if (NAMED_AS.test(sentence.slice(Math.max(0, index - 40), index))) return false;
  UNNAMING_AT.lastIndex = index;
  return UNNAMING_AT.test(sentence) && !NAMING_AFTER.test(sentence.slice(index + word.length));
}

/**
 * Whether a sentence says what its control or baseline is: a comparator named on its own ("the
 * current model"), or the word for one with what it is ("baseline: the 13-gram pass", "the English
 * baseline", "control arm").
 */
export function namesComparator(sentence: string): boolean {
  if (NAMED_COMPARATOR.test(sentence)) return true;
  return [...sentence.matchAll(COMPARATOR)].some((m) => !bare(sentence, m.index, m[0]));
}

/**
 * `sentence` with each comparison point it does not name ("against a strong baseline", "vs
 * baseline") replaced by the word `comparator`, so it no longer reads as a baseline.
 */
export function withoutBareComparators(sentence: string): string {
  return sentence
    .replace(COMPARATOR, (word, index: number) =>
      bare(sentence, index, word) ? 'comparator' : word,
    )
    .replace(
      /\b(?:vs\.?|versus|compared (?:to|with)|relative to)\s+(?:\w+\s+){0,2}comparator/gi,
      'comparator',
    );
}

/**
 * Whether a sentence states what its claim is compared with: a named comparison point, or words
 * that compare with something other than an unnamed baseline ("vs the last release", not "vs
 * baseline").
 */
export function statesComparison(sentence: string): boolean {
  return namesComparator(sentence) || COMPARING.test(withoutBareComparators(sentence));
}
