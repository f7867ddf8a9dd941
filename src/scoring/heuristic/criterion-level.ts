// How a criterion's level is decided: the rules' reading of it (`Scored`) and the reader's level,
// under the bounds the guide's rules set (`Cap`), with a rationale from the same reading.
import type { Read, Weight } from './reader.js';
import type { FeatureName } from './reader-features.js';
import type { Sentence } from './sentence.js';

/**
 * A bound the guide's rules put on a level, with why (empty when what was found says it), and the
 * reader's features whose point that why makes: where the rationale says it, the reader does not
 * name them again as what weighed the level.
 */
export type Cap = readonly [most: number, why: string, says?: readonly FeatureName[]];

/** A criterion as the rules read it, before its level is decided and the card picks its quotes. */
export interface Scored {
  /** The level by the rules' own count, used where there is no reader for the criterion. */
  readonly counted: number;
  /** The guide's bounds on the level, whatever reads it. */
  readonly caps: readonly Cap[];
  /** The lowest level a reader may give (the caps still apply below it); none when absent. */
  readonly floor?: number;
  /** What was found, said without a level, so no level can contradict it. */
  readonly found: string;
  /** The reader's features whose point `found` makes (see `Cap`). */
  readonly foundSays?: readonly FeatureName[];
  /**
   * What the rules did not find, as the rationale says it ("missing quantity, baseline"): shown
   * below the top level only, where "4/4 ... missing a baseline" would contradict the level.
   */
  readonly lacking?: string;
  /** The reader's features whose point `lacking` makes (see `Cap`). */
  readonly lackingSays?: readonly FeatureName[];
  /** Sentences that earned the level, most telling first (the card quotes up to two unused). */
  readonly evidence: readonly Sentence[];
  /**
   * Where the quote of an evidence sentence runs on to: a claim opened by a lead-in or a head
   * ("I'll start with what I think is going on.", "Hypothesis:") is quoted with the sentences of
   * its message that carry what earned its level.
   */
  readonly through?: ReadonlyMap<Sentence, Sentence>;
  /** What the answer lacks for this criterion, as a reader would name it. */
  readonly missing: readonly string[];
}

/** What weighed a level where none of the features that speak of its criterion did. */
export const AS_A_WHOLE = 'how the answer as a whole compares with graded rounds';

/**
 * A criterion's level and rationale: the reader's level where it reads the criterion (else the
 * rules' count), under every bound of the guide's rules. The rationale says what was found, each
 * shortfall the rules see ("held at N" where it binds) and, where the reader's level differs from
 * the rules' count, the two features that weighed most that way: level and rationale come from one
 * reading and cannot disagree. The reader's levels were chosen over the rules' on the held-out
 * part's first look (Spearman 0.890 against 0.786; see eval/learned/README.md); on the development
 * part, where the rules are in-sample, bounding the reader to one level of them read the same.
 */
export function decide(
  scored: Scored,
  read: Read | undefined,
  /** Features whose shortfall the card shows untrue elsewhere: never named as weighing down. */
  refuted: ReadonlySet<FeatureName> = new Set(),
): { level: number; rationale: string } {
  const base = Math.max(read?.level ?? scored.counted, scored.floor ?? 0);
  const atBase = capped(base, scored.caps);
  const { level } = atBase;
  // Where a bound holds the rules' count as low as the reader's level, the bound says why ("held
  // at 2: ..."), not the reader; otherwise what moved the level off the rules' count is named.
  const bound = capped(Math.max(base, scored.counted), scored.caps);
  const byBound = base < scored.counted && bound.level === level;
  const { held, says } = byBound ? bound : atBase;
  const lacking = level < 4 && scored.lacking ? [scored.lacking] : [];
  const said = new Set([
    ...(scored.foundSays ?? []),
    ...says,
    ...(lacking.length > 0 ? (scored.lackingSays ?? []) : []),
  ]);
  // The two that weighed most, of those whose point the rationale does not make already.
  const named = (weights: readonly Weight[]) =>
    weights
      .filter((w) => !said.has(w.feature) && !(weights === read?.lowers && refuted.has(w.feature)))
      .slice(0, 2)
      .map((w) => w.text)
      .join(' and ') || AS_A_WHOLE;
  const lifted = read !== undefined && level > scored.counted;
  const lowered = read !== undefined && base < scored.counted && !byBound;
  if (lifted) {
    const weighed = `weighed up by ${named(read.lifts)}`;
    const said = [scored.found, ...lacking, ...held.map((h) => h.text), weighed];
    return { level, rationale: `${said.join('; ')}.` };
  }
  // What set the level below what was found comes first, so a list of strengths never reads as
  // the level's reason: "Held at 1: nothing is compared. Otherwise covers ablation toggles, ...".
  const why = [
    ...held.filter((h) => h.binds).map((h) => h.text),
    ...(lowered ? [`weighed down by ${named(read.lowers)}`] : []),
  ];
  const shortfalls = [...lacking, ...held.filter((h) => !h.binds).map((h) => h.text)];
  if (why.length === 0) return { level, rationale: `${[scored.found, ...shortfalls].join('; ')}.` };
  const otherwise = `Otherwise ${scored.found.charAt(0).toLowerCase()}${scored.found.slice(1)}`;
  const reason = why.join('; ');
  return {
    level,
    rationale: `${reason.charAt(0).toUpperCase()}${reason.slice(1)}. ${[otherwise, ...shortfalls].join('; ')}.`,
  };
}

/** What a cap says in the rationale, and whether it set the level ("held at N: why"). */
interface Held {
  readonly text: string;
  readonly binds: boolean;
}

/**
 * `level` under each cap, in order, with what each says: "held at N: why" where it binds, and
 * `why` alone where the answer falls short of it but the level is already at or below it. So the
 * rationale names every shortfall the guide's rules see, and what held the level.
 */
export function capped(
  level: number,
  caps: readonly Cap[],
): { level: number; held: Held[]; says: FeatureName[] } {
  const held: Held[] = [];
  const says: FeatureName[] = [];
  for (const [most, why, features = []] of caps) {
    if (level > most) {
      level = most;
      if (why) held.push({ text: `held at ${most}: ${why}`, binds: true });
    } else if (most < 4 && why) held.push({ text: why, binds: false });
    else continue;
    if (why) says.push(...features);
  }
  return { level, held, says };
}
