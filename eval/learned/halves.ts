// `npx tsx eval/learned/halves.ts`: the engine as it ships, its reader refitted out of sample. The
// parts of the fitting set but the development part (`seenParts`) are dealt alternately into two
// halves; the reader is fitted on the development part and one half and scores the other, then the
// other way round. What the two halves score, pooled, is printed: how to compare two versions of
// the engine with the refit each needs (a refit in-sample moves levels by the jitter of its cut
// points alone). About 2 minutes. The newest part is never loaded into a fit or scored here.
import { loadLibrary } from '../../rubric/load.js';
import { scoreHeuristically } from '../../src/scoring/heuristic/heuristic-scorer.js';
import { loadCorpus, seenParts } from '../corpus.js';
import { agreement, judgementOf } from '../evaluate.js';
import type { LabelledTranscript } from '../labelled-set.js';
import { augmented, fitReader } from './reader-fit.js';

const { rubric } = await loadLibrary();
const corpus = await loadCorpus();
const seen = seenParts(corpus);
const GAMING = new Set(['keyword-stuffing', 'padding', 'grader-note']);

const scored: {
  item: LabelledTranscript;
  overall: number;
  judgement: ReturnType<typeof judgementOf>;
}[] = [];
for (const half of [0, 1]) {
  const fitted = [
    ...corpus.development,
    ...seen.filter((_, i) => i % 2 === half).flatMap((p) => p.items),
  ];
  const reader = fitReader(
    rubric,
    augmented(fitted.map((t) => ({ transcript: t.transcript, levels: t.label.levels }))),
    'halves',
  );
  for (const item of seen.filter((_, i) => i % 2 !== half).flatMap((p) => p.items)) {
    const judgement = judgementOf(scoreHeuristically(rubric, item.transcript, reader));
    scored.push({ item, overall: judgement.overall, judgement });
  }
}
const a = agreement(
  scored.map((s) => s.item.label),
  scored.map((s) => s.judgement),
);
const gaming = scored.filter((s) => GAMING.has(s.item.label.case));
const within = gaming.filter((s) => Math.abs(s.overall - s.item.label.overall) <= 10).length;
console.log(
  `${scored.length} transcripts of ${seen.length} parts, each scored by a reader fitted without its half:`,
);
console.log(
  `Spearman ${a.spearman.toFixed(3)}, mean kappa ${a.meanKappa.toFixed(3)} (${Object.values(a.kappa)
    .map((k) => k.toFixed(3))
    .join(
      ' / ',
    )}), flag F1 ${a.flags.f1.toFixed(3)}, MAE ${a.meanAbsError.toFixed(2)}, gaming ${within} of ${gaming.length} within 10 points`,
);
