// The criteria the rules read by the evidence kinds the answer shows (experimental design and risk;
// scalability builds on them in `scalability-criterion.ts`): how many kinds, tied to a number or a
// decision or only named, under the guide's bounds (nothing sized, nothing compared, keyword
// stuffing).
import { statesComparison } from '../../analysis/comparator.js';
import { levelOf } from '../../analysis/hypothesis.js';
import { quantified } from '../../analysis/vacuity.js';
import type { Cap, Scored } from './criterion-level.js';
import {
  ALL_KINDS,
  type EvidenceKind,
  SELF_NAMING,
  STATISTICAL_NEED,
  shows,
  UNASKED,
} from './evidence-kinds.js';
import { grounded, type Sentence } from './sentence.js';

/** Criteria whose upper levels need a quantity in their evidence (see `byKinds`). */
const QUANTITATIVE = new Set(['experimental_design', 'scalability']);

/**
 * Criteria judged by their kinds alone, where a kind only named (no number, no decision) counts
 * half; experimental design is held by its own quantity rule instead (see `byKinds`).
 */
const GROUNDED_CRITERIA = new Set(['scalability', 'risk']);

/** The most kinds of one criterion a single sentence can show (see `byKinds`). */
const KINDS_PER_SENTENCE = 2;

/**
 * Levels 0..4 by number of distinct evidence kinds found, per criterion: the kinds needed for
 * levels 1, 2, 3 and 4 (from level 2 on, a kind only named counts half; see `byKinds`). Fitted on
 * the development part of the labelled corpus (eval/labelled), strictly increasing, maximising
 * quadratic weighted kappa with the labels (experimental design 0.79, scalability 0.79, risk 0.70
 * there). Two steps are held away from the fit: scalability's last at 6 of its 8 kinds (the fit
 * put it at 8, out of reach, because the counts of levels 3 and 4 overlap), and the first of each
 * at 1 (a kind named is a mention in passing). Risk was fitted again once named-only kinds counted
 * half (3 and 4.5 for levels 3 and 4, from 4 and 6); the new steps also won on each half of the
 * development part when fitted on the other.
 */
const THRESHOLDS: Record<string, readonly number[]> = {
  experimental_design: [1, 3, 4, 5],
  scalability: [1, 2, 3, 6],
  risk: [1, 2, 3, 4.5],
};

/** What a rationale says of a criterion none of whose kinds was found. */
export const NOT_ADDRESSED = 'Not addressed';

/** A criterion read by how many of its evidence kinds the answer shows, and how. */
export function byKinds(
  criterion: string,
  kinds: readonly EvidenceKind[],
  list: readonly Sentence[],
  /** Replies to a probe: quoted after every sentence offered unprompted. */
  echoes: ReadonlySet<Sentence>,
  cap: number,
  sceptical = false,
  shownElsewhere: ReadonlySet<string> = new Set(),
): Scored {
  const hits = new Map<string, Sentence>();
  // A sentence vouches for at most KINDS_PER_SENTENCE kinds: a string of rubric words ("shard,
  // cache, autoscale, p95 SLO") names many and explains none.
  const used = new Map<Sentence, number>();
  // A kind named but never connected to a number or a decision counts half (guide, section 2:
  // "substance, not vocabulary"), where the criterion is judged by its kinds alone; in an answer
  // read strictly (`sceptical`), it counts nothing in every criterion.
  const unattachedWeight = sceptical ? 0 : GROUNDED_CRITERIA.has(criterion) ? 0.5 : 1;
  let unattached = 0;
  let weight = 0;
  for (const k of kinds) {
    const open = list.filter((x) => (used.get(x) ?? 0) < KINDS_PER_SENTENCE && shows(k, x.own));
    const s = open.find(grounded) ?? open[0];
    if (!s) continue;
    hits.set(k.id, s);
    const attached = grounded(s);
    if (!attached) unattached++;
    weight += attached ? 1 : unattachedWeight;
    used.set(s, (used.get(s) ?? 0) + 1);
  }
  const thresholds = THRESHOLDS[criterion] ?? [1, 2, 3, 4];
  // Level 1 is a mention in passing: any kind named earns it; the levels above count weight.
  const byCount = thresholds.filter((t, i) => (i === 0 ? hits.size : weight) >= t).length;
  // The upper levels of the quantitative criteria need a number somewhere in their evidence:
  // a design or a scale argument with no quantity in it names ideas without sizing them.
  const sized =
    !QUANTITATIVE.has(criterion) ||
    list.some((s) => quantified(s.own) && kinds.some((k) => shows(k, s.own)));
  // Guide 3.2, level 1: "no control, no baseline and no notion of what is varied".
  const compares =
    criterion !== 'experimental_design' ||
    ['control', 'variables', 'randomisation'].some((k) => hits.has(k)) ||
    list.some((s) => statesComparison(s.own) || /\barms?\b/i.test(s.own));
  // A kind named with nothing attached is said as named, not as its label claims it.
  const found = kinds.flatMap((k) => {
    const s = hits.get(k.id);
    return s ? [k.bare && !grounded(s) ? k.bare : k.label] : [];
  });
  // A kind the criterion reads its own way, and found so, is not missing (the caller counts it);
  // nor is one named only in sentences already counted for other kinds ("Risks: drift, leakage,
  // position bias"): it was said, and the card says why it did not count.
  const uncounted = kinds.filter(
    (k) => !hits.has(k.id) && !shownElsewhere.has(k.id) && !UNASKED.has(k.id),
  );
  const listed = uncounted.filter((k) => list.some((x) => shows(k, x.own))).map((k) => k.label);
  const missing = uncounted.map((k) => k.label).filter((label) => !listed.includes(label));
  const caps: Cap[] = [
    [hits.size === 0 ? 0 : 4, ''],
    [cap, 'no hypothesis for the design to test'],
    // Nothing named, there is nothing to size: the first bound says it all.
    [sized || hits.size === 0 ? 4 : 2, 'no number sizes any of it', ['quantified_sentences']],
    [compares ? 4 : 1, 'nothing is compared with anything (no control, baseline or arms)'],
    // Read strictly, kinds only named earn nothing, whatever else was said around them.
    [sceptical ? byCount : 4, 'ideas named with no number or decision attached earn nothing'],
  ];
  const text =
    found.length === 0
      ? NOT_ADDRESSED
      : `Covers ${found.slice(0, 4).join(', ')}${found.length > 4 ? ` and ${found.length - 4} more` : ''}${sceptical && unattached > 0 ? `; ${unattached} of them named with no number or decision attached` : ''}`;
  // Most telling first: the sentences that show the most of the criterion's kinds, tied to a
  // number or a decision, earliest first among equals ("Threats to validity: (a) classifier drift
  // …, so 1% of unflagged outputs go to humans" before a passing "dedup against the index"). A
  // sentence headed as another criterion's ("Risks: …, under-powered comparisons") speaks of that
  // one, and counts as much less here as it would count more there. A sentence that states a
  // hypothesis speaks of the hypothesis: it comes after every other, as a reply to a probe does.
  const heads = ALL_KINDS.filter((k) => SELF_NAMING.has(k.id));
  const telling = (s: Sentence) =>
    kinds.filter((k) => shows(k, s.own)).length +
    heads.reduce((n, k) => n + (shows(k, s.own) ? (kinds.includes(k) ? 1 : -2) : 0), 0) +
    (grounded(s) ? 1 : 0);
  const evidence = list
    .filter((s) => kinds.some((k) => shows(k, s.own)))
    .map((s) => ({ s, weight: telling(s), claim: +claimsHypothesis(s) }))
    .sort(
      (a, b) =>
        +echoes.has(a.s) - +echoes.has(b.s) ||
        a.claim - b.claim ||
        b.weight - a.weight ||
        a.s.at - b.s.at,
    )
    .map(({ s }) => s);
  const lacking =
    found.length === 0
      ? undefined
      : [
          missing.length ? `missing ${missing.slice(0, 2).join(', ')}` : '',
          listed.length
            ? `${listed.slice(0, 2).join(', ')} only listed beside others (one sentence earns at most ${KINDS_PER_SENTENCE}: say each on its own)`
            : '',
        ]
          .filter(Boolean)
          .join('; ') || undefined;
  return {
    counted: byCount,
    caps,
    found: text,
    ...(lacking ? { lacking } : {}),
    evidence,
    missing,
  };
}

/**
 * The design's kinds the engine reads elsewhere in the answer, never named missing (see
 * `byKinds`): a control where a sentence compares with something named ("the new model against
 * the current production model", what the comparison bound reads), and sample size and
 * significance where an estimate is sized from what the experiment must detect ("to detect a
 * 4-point drop at 80% power we need 880 queries per arm", what the scale criterion reads).
 */
export function readElsewhere(list: readonly Sentence[]): Set<string> {
  const compared = list.some((s) => statesComparison(s.own));
  const derived = list.some((s) => quantified(s.own) && STATISTICAL_NEED.test(s.norm));
  return new Set([...(compared ? ['control'] : []), ...(derived ? ['power', 'significance'] : [])]);
}

/**
 * A sentence that states a hypothesis of its own ("I'd expect red-team violations to drop ~10% per
 * round"): the hypothesis criterion's evidence. Quoted for another criterion only after what
 * speaks of that criterion.
 */
export function claimsHypothesis(s: Sentence): boolean {
  return s.signals.claim && levelOf(s.signals) >= 2;
}
