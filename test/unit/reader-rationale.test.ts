import { describe, expect, it } from 'vitest';
import { everyTranscript, loadCorpus } from '../../eval/corpus.js';
import { scoreHeuristically } from '../../src/scoring/heuristic/heuristic-scorer.js';
import { shippedLibrary, WHOLE_CORPUS_MS } from './harness.js';

/** A point a rationale makes, and the reader's name for the same point as a weight. */
const SAME_POINT: readonly (readonly [RegExp, RegExp])[] = [
  [/no estimate is derived from what the experiment/i, /weighed [^;.]*no estimate sized/i],
  [/no number sizes|missing [^;]*quantity/, /weighed up by [^;]*numbers of your own/i],
  [/came late/, /weighed down by [^;.]*a late hypothesis/i],
];

describe("the heuristic engine's reader over the whole corpus", () => {
  it(
    'says what moved a level off the rules and never a point twice, keeps the hypothesis within a level of its descriptor, and leaves flags to the rules',
    async () => {
      const { rubric } = await shippedLibrary();
      const corpus = await loadCorpus();
      let moved = 0;
      // Every transcript of the corpus as input (its labels play no part here).
      for (const { file, transcript } of everyTranscript(corpus)) {
        const engine = scoreHeuristically(rubric, transcript);
        const rules = scoreHeuristically(rubric, transcript, null);
        expect(engine.flags, file).toEqual(rules.flags);
        // Every answer of the corpus is in English, non-native and telegraphic ones too.
        expect(engine.warnings?.filter((w) => /reads English only/.test(w)) ?? [], file).toEqual(
          [],
        );
        engine.criteria.forEach((c, i) => {
          // A bound or shortfall the rationale states is not named again as what weighed the level.
          for (const [said, again] of SAME_POINT)
            if (said.test(c.rationale)) expect(c.rationale, `${file} ${c.id}`).not.toMatch(again);
          const ruled = rules.criteria[i]?.level ?? 0;
          if (c.level === ruled) return;
          moved++;
          expect(c.rationale, `${file} ${c.id}`).toMatch(
            c.level > ruled ? /weighed up by \w/ : /^(?:weighed down by \w|held at \d)/i,
          );
        });
        // Advice names each thing to add once ("scale derived from what the experiment must
        // detect" not beside "scale derived from the experiment").
        for (const { text } of engine.improvements) {
          const adds = /: add ([^;.]*)/.exec(text)?.[1]?.split(', ') ?? [];
          expect(new Set(adds.map((a) => a.split(' ').slice(0, 2).join(' '))).size, text).toBe(
            adds.length,
          );
        }
        // The hypothesis is the guide's descriptor as the rules read it, or one level above; one
        // below only where the claim names no size (its metric may be a word like "quality").
        const hypothesis = (engine.criteria[0]?.level ?? 0) - (rules.criteria[0]?.level ?? 0);
        expect([-1, 0, 1], file).toContain(hypothesis);
        if (hypothesis === -1)
          expect(rules.criteria[0]?.rationale, file).toMatch(/missing [^;]*quantity/);
      }
      expect(moved).toBeGreaterThan(0);
    },
    WHOLE_CORPUS_MS,
  );
});
