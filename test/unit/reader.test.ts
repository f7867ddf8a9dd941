import { describe, expect, it } from 'vitest';
import { fittingSet, loadCorpus } from '../../eval/corpus.js';
import { augmented, fitReader } from '../../eval/learned/reader-fit.js';
import { READER } from '../../src/scoring/heuristic/reader.js';
import { FEATURES } from '../../src/scoring/heuristic/reader-features.js';
import { shippedLibrary, WHOLE_CORPUS_MS } from './harness.js';

describe("the heuristic engine's reader", () => {
  it(
    'is the one eval/learned/fit.ts fits on the fitting set (all but the newest held-out part), over the features the engine computes',
    async () => {
      const { rubric } = await shippedLibrary();
      const corpus = await loadCorpus();
      const dev = fittingSet(corpus);
      expect(dev.some((t) => corpus.parts.at(-1)?.items.includes(t))).toBe(false);
      expect(READER.features).toEqual(Object.keys(FEATURES));
      const refitted = fitReader(
        rubric,
        augmented(dev.map((d) => ({ transcript: d.transcript, levels: d.label.levels }))),
        READER.fitted,
      );
      // Through JSON, as the committed file is read.
      expect(JSON.parse(JSON.stringify(refitted))).toEqual(READER);
    },
    WHOLE_CORPUS_MS,
  );
});
