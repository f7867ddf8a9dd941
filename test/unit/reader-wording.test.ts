import { describe, expect, it } from 'vitest';
import { type ReaderModel, readLevel } from '../../src/scoring/heuristic/reader.js';
import {
  FEATURES,
  type FeatureName,
  type FeatureVector,
} from '../../src/scoring/heuristic/reader-features.js';

const NAMES = Object.keys(FEATURES) as FeatureName[];

/** A reader in which `name` alone weighs, by `weight`, on one criterion. */
function readerOf(name: FeatureName, weight: number): ReaderModel {
  return {
    fitted: 'test',
    features: NAMES,
    mean: NAMES.map(() => 0),
    sd: NAMES.map(() => 1),
    criteria: {
      x: {
        weights: NAMES.map((n) => (n === name ? weight : 0)),
        bias: 0,
        cuts: [1, 2, 3, 4],
        lambda: 0,
      },
    },
  };
}

/** Every way a feature may raise a level, as its sign allows: above most answers, or below. */
const LIFTING = NAMES.flatMap((name) => {
  const sign = FEATURES[name][0];
  return [
    ...(sign >= 0 ? [{ name, above: true, weight: 1 }] : []),
    ...(sign <= 0 ? [{ name, above: false, weight: -1 }] : []),
  ];
});

describe("the reader's words for what weighed a level", () => {
  it.each(LIFTING)(
    'names $name as a lift without "few" (above most answers: $above)',
    ({ name, above, weight }) => {
      const features = Object.fromEntries(
        NAMES.map((n) => [n, n === name ? (above ? 1 : -1) : 0]),
      ) as FeatureVector;
      const read = readLevel(readerOf(name, weight), features, 'x');
      expect(read?.lowers).toEqual([]);
      // A factor that raises a level is something the answer did, never a shortfall.
      for (const { text } of read?.lifts ?? []) expect(text).not.toMatch(/\b(few|fewer|little)\b/);
    },
  );
});
