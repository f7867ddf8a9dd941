/**
 * Fixes the common misspellings of research vocabulary ("hypothesiz", "basline", "abalation",
 * "thruput") so typos are scored on substance. Only long words are corrected, and only within a
 * small edit distance of a known term, so ordinary words are left alone.
 */
const TERMS = [
  'hypothesis',
  'hypothesize',
  'hypothesise',
  'baseline',
  'baselines',
  'ablation',
  'ablations',
  'control',
  'significance',
  'significant',
  'statistically',
  'throughput',
  'generalisation',
  'generalization',
  'embedding',
  'embeddings',
  'classifier',
  'confounder',
  'confounders',
  'contamination',
  'independent',
  'dependent',
  'variable',
  'variables',
  'randomised',
  'randomized',
  'treatment',
  'holdout',
  'benchmark',
  'evaluation',
  'hallucination',
  'rollback',
  'monitoring',
  'latency',
  'accuracy',
  'precision',
  'variance',
  'experiment',
  'experiments',
  'measurement',
  'correlated',
  'confidence',
  'interval',
  'leakage',
  'distribution',
  'bottleneck',
  'registry',
  'success',
  'sample',
  'samples',
  'metric',
  'metrics',
  'feedback',
  'iteration',
  'regression',
];
const KNOWN = new Set(TERMS);
const ALIASES: Record<string, string> = {
  thruput: 'throughput',
  sampel: 'sample',
  sampels: 'samples',
  sucess: 'success',
  metic: 'metric',
  metircs: 'metrics',
  hypothsis: 'hypothesis',
  contorl: 'control',
  basline: 'baseline',
  baslines: 'baselines',
  controll: 'control',
  latancy: 'latency',
  leakge: 'leakage',
};
/** Fuzzy matching only between long words: short ones collide with ordinary English. */
const FUZZY = TERMS.filter((t) => t.length >= 8);

/**
 * English words within the fuzzy match's reach of a term that mean something else ("throughout"
 * is not "throughput", "integration" not "iteration", "internal" not "interval"): a word spelled
 * right is never a typo. These are every word of eight letters or more in Debian's American and
 * British word lists that the match would change into a term other than its own inflection.
 */
const REAL_WORDS = new Set(
  `ablatives ablution ablutions abolition abortions abrasions adulation coincidence conference
  confidante confluence continence corrected corrugated defendant dependant dependants depending
  descendent despondent distributor embodying evacuation evacuations evolution exaltation expedient
  expedients integration interaction internal internals mentoring preclusion provision recession
  repression repressions sadistically stylistically throughout valuables variances veritable`.split(
    /\s+/,
  ),
);

/** Optimal-string-alignment distance (edits with adjacent transpositions), stopping past `limit`. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [
    i,
    ...new Array<number>(b.length).fill(0),
  ]);
  for (let j = 1; j <= b.length; j++) (rows[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    const prev = rows[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j] as number, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/** Corrections already worked out; words repeat a lot across a transcript and between rounds. */
const memo = new Map<string, string>();
const MEMO_LIMIT = 50_000;

function correct(word: string): string {
  const known = memo.get(word);
  if (known !== undefined) return known;
  const corrected = correctUncached(word);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(word, corrected);
  return corrected;
}

function correctUncached(word: string): string {
  const lower = word.toLowerCase();
  if (KNOWN.has(lower) || REAL_WORDS.has(lower)) return word;
  // Own keys only: "constructor" is no alias.
  if (Object.hasOwn(ALIASES, lower)) return ALIASES[lower] as string;
  if (lower.length < 8) return word;
  const limit = lower.length >= 9 ? 2 : 1;
  for (const term of FUZZY) {
    if (term[0] === lower[0] && distance(lower, term, limit) <= limit) return term;
  }
  return word;
}

/** The text with misspelled research terms corrected. */
export function normaliseTypos(text: string): string {
  return text.replace(/[A-Za-z]{5,}/g, correct);
}
