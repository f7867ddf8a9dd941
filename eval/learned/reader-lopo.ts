// `npx tsx eval/learned/reader-lopo.ts`: the engine's reader fitted on every part of the fitting set
// but one (`fittingSet`: the development part and the held-out parts but the newest) and scored on
// the held-out part left out, in turn, beside the reader fitted on the development part alone.
// What chose to fit the shipped reader on the whole fitting set (README of this folder,
// 2026-12-05). The newest part is never loaded into a fit or scored here.
import { loadLibrary } from '../../rubric/load.js';
import { scoreHeuristically } from '../../src/scoring/heuristic/heuristic-scorer.js';
import type { ReaderModel } from '../../src/scoring/heuristic/reader.js';
import { loadCorpus, seenParts } from '../corpus.js';
import { agreement, judgementOf } from '../evaluate.js';
import type { LabelledTranscript } from '../labelled-set.js';
import { fitReaderOn } from './reader-fit.js';

const { rubric } = await loadLibrary();
const corpus = await loadCorpus();
const seen = seenParts(corpus);
const fitOn = (items: readonly LabelledTranscript[]) => fitReaderOn(rubric, items, 'reader-lopo');
const judged = (items: readonly LabelledTranscript[], reader: ReaderModel) => {
  const a = agreement(
    items.map((t) => t.label),
    items.map((t) => judgementOf(scoreHeuristically(rubric, t.transcript, reader))),
  );
  return `Spearman ${a.spearman.toFixed(3)}, mean kappa ${a.meanKappa.toFixed(3)}, MAE ${a.meanAbsError.toFixed(1)}`;
};
const devOnly = fitOn(corpus.development);
for (const part of seen) {
  const others = [
    ...corpus.development,
    ...seen.filter((p) => p.name !== part.name).flatMap((p) => p.items),
  ];
  console.log(
    `${part.name}: development alone ${judged(part.items, devOnly)} | every other part ${judged(part.items, fitOn(others))}`,
  );
}
