// `npx tsx eval/learned/halves.ts`: the engine as it ships, its reader refitted out of sample. The
// parts of the fitting set but the development part (`seenParts`) are dealt alternately into two
// halves; the reader and the technology flag's decider are fitted on the development part and one
// half and score the other, then the other way round. What the two halves score, pooled, is
// printed: how to compare two versions of the engine with the refit each needs (a refit in-sample
// moves levels by the jitter of its cut points alone). About 3 minutes. The newest part is never
// loaded into a fit or scored here.
import { loadLibrary } from '../../rubric/load.js';
import { scoreHeuristically } from '../../src/scoring/heuristic/heuristic-scorer.js';
import { loadCorpus, seenParts } from '../corpus.js';
import { agreement, type Judgement, judgementOf } from '../evaluate.js';
import { GAMING, type LabelledTranscript } from '../labelled-set.js';
import { fitReaderOn } from './reader-fit.js';
import { fitTie, tieRows } from './tie-fit.js';

const { rubric } = await loadLibrary();
const corpus = await loadCorpus();
const seen = seenParts(corpus);

const scored: { item: LabelledTranscript; judgement: Judgement }[] = [];
for (const half of [0, 1]) {
  const fitOn = [
    ...corpus.development,
    ...seen.filter((_, i) => i % 2 === half).flatMap((p) => p.items),
  ];
  const reader = fitReaderOn(rubric, fitOn, 'halves');
  const tie = fitTie(tieRows(rubric, fitOn), 'halves');
  for (const item of seen.filter((_, i) => i % 2 !== half).flatMap((p) => p.items)) {
    scored.push({
      item,
      judgement: judgementOf(scoreHeuristically(rubric, item.transcript, reader, tie)),
    });
  }
}
const a = agreement(
  scored.map((s) => s.item.label),
  scored.map((s) => s.judgement),
);
const gaming = scored.filter((s) => GAMING.includes(s.item.label.case));
const within = gaming.filter(
  (s) => Math.abs(s.judgement.overall - s.item.label.overall) <= 10,
).length;
const kappas = Object.values(a.kappa).map((k) => k.toFixed(3));
console.log(
  `${scored.length} transcripts of ${seen.length} parts, each scored by a reader fitted without its half:`,
);
console.log(
  `Spearman ${a.spearman.toFixed(3)}, mean kappa ${a.meanKappa.toFixed(3)} (${kappas.join(' / ')}), flag F1 ${a.flags.f1.toFixed(3)}, MAE ${a.meanAbsError.toFixed(2)}, gaming ${within} of ${gaming.length} within 10 points`,
);
