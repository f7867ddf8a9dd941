import { ALL_KINDS } from '../scoring/heuristic/evidence-kinds.js';

/** Common words, and generic qualifiers, that carry no content of their own. */
const STOPWORDS = new Set(
  'a an the and or but if then so to of in on at by for with from as is are was were be been it its this that these those we i you they our my your their will would should can could do does did not no yes all any each every some more most much many also just very really there here what which who how when where why than into over about up down out per via proper sufficient statistical statistically full good robust appropriate relevant various needed approach layer throughout first'.split(
    ' ',
  ),
);

/** Every evidence pattern as one global expression, to find which words are rubric vocabulary. */
const VOCABULARY = new RegExp(
  [
    ...ALL_KINDS.map((k) => k.pattern.source),
    '\\b(hypothe\\w*|falsifi\\w*|data-driven|evidence|signal|impact|triad|reproducible|experiment\\w*|design|dashboards?|slos?|power|tests?|baselines?|metrics?|controls?)\\b',
  ]
    .map((source) => `(?:${source})`)
    .join('|'),
  'gi',
);

/** A concrete quantity (15%, 3k, 2 GPU-hours), not a p-value threshold or a name like p99. */
const CONCRETE_QUANTITY = /(?<![<>=]\s?)(?<![a-z\d.])\d+(?:[.,]\d+)?/i;
/**
 * A significance threshold ("p < 0.05", "the p-value is above 0.05", "alpha of 0.01"): a
 * convention, not a quantity the candidate worked out (nor an expected effect).
 */
export const P_VALUE =
  /\b(?:p(?:[- ]values?)?(?: is)?\s*(?:[<=≤>≥]|above|below|under|over|less than|greater than)|alpha|α|significance level)\s*(?:(?:of|=|at)\s*)?0?\.\d+/gi;

/**
 * Rubric words with little else around them ("hypothesis baseline ablation p99 rollback"): no
 * concrete quantity, at least half of the content words inside matches of the rubric's
 * vocabulary, and at most three content words of its own.
 */
export function vacuous(text: string): boolean {
  const lower = text.toLowerCase().replace(P_VALUE, 'significance');
  if (CONCRETE_QUANTITY.test(lower)) return false;
  const covered = new Array<boolean>(lower.length).fill(false);
  for (const m of lower.matchAll(VOCABULARY)) covered.fill(true, m.index, m.index + m[0].length);
  const content = [...lower.matchAll(/[a-z0-9][a-z0-9%/'-]*/g)].filter((m) => !STOPWORDS.has(m[0]));
  if (content.length < 3) return false;
  const own = content.filter((m) => covered[m.index] !== true).length;
  return own <= 3 && (content.length - own) / content.length >= 0.5;
}

/** A number standing on its own (15%, 4k, 2 GPU-hours), not part of a name like p99 or H100. */
const NUMBER = /(?<![a-z\d.])\d+(?:[.,]\d+)?/i;

/** Whether a sentence carries a concrete quantity (not a p-value threshold, not a name like p99). */
export function quantified(text: string): boolean {
  return NUMBER.test(text.toLowerCase().replace(P_VALUE, ''));
}
