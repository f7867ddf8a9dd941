// `npx tsx eval/learned/engine-cv.ts`: the heuristic engine as it scores in the bot (the reader's
// levels within the rules' bounds, the rules' flags), with a reader fitted on the training folds
// only, cross-validated INSIDE the development part (the held-out part is never loaded). Beside it,
// the engine without a reader (the rules alone; in-sample, they were tuned on all of dev).
import { loadLibrary } from '../../rubric/load.js';
import { scoreHeuristically } from '../../src/scoring/heuristic/heuristic-scorer.js';
import type { ReaderModel } from '../../src/scoring/heuristic/reader.js';
import type { Scorecard } from '../../src/scoring/scorecard.js';
import type { Transcript } from '../../src/transcript.js';
import { FILLER, perturb, STUFFING } from '../evaluate.js';
import { GAMING } from '../labelled-set.js';
import { precisionRecall, quadraticKappa, spearman } from '../metrics.js';
import { byWriter, type Folds, loadDevelopment, stratified } from './dev.js';
import { CRITERIA } from './features.js';
import { augmented, type Example, featureRow, fitReader } from './reader-fit.js';

const { rubric } = await loadLibrary();
const dev = await loadDevelopment();
const padded = dev.map((d) => perturb(d.transcript, FILLER));
const stuffed = dev.map((d) => perturb(d.transcript, STUFFING));
const rows = dev.map((d) => featureRow(rubric, d.transcript));
const trainRows = augmented(dev).map((e) => featureRow(rubric, e.transcript));
const n = dev.length;

/** How a reader is fitted on the training rows. */
const FITS: Record<string, (train: number[]) => ReaderModel | null> = {
  'rules alone (in-sample)': () => null,
  'reader in bounds': (train) =>
    fitReader(
      rubric,
      train.map((i) => dev[i] as Example),
      'fold',
      train.map((i) => rows[i] as number[]),
    ),
  // Padded and stuffed copies of each training round (worded apart from the check's) keep its
  // labels, as in `eval/learned/fit.ts`: the engine as shipped.
  'reader in bounds, trained with padded and stuffed copies': (train) => withCopies(train),
  'the same, the hypothesis left to the rules': (train) =>
    withCopies(
      train,
      CRITERIA.filter((c) => c !== 'hypothesis'),
    ),
};

/** A reader fitted on the training rounds and a padded and a stuffed copy of each. */
function withCopies(train: readonly number[], read?: readonly string[]): ReaderModel {
  const copies = [0, n, 2 * n].flatMap((offset) => train.map((i) => i + offset));
  return fitReader(
    rubric,
    copies.map((i) => ({ ...(dev[i % n] as Example), copyOf: i % n })),
    'fold',
    copies.map((i) => trainRows[i] as number[]),
    read,
  );
}

const gamingRows: Record<string, string>[] = [];
const mean = (a: readonly number[]) => a.reduce((s, v) => s + v, 0) / Math.max(1, a.length);

function run(folds: Folds, fitOn: (train: number[]) => ReaderModel | null) {
  const cards: Scorecard[] = [];
  const pad: number[] = [];
  const stuff: number[] = [];
  for (const test of folds) {
    const inTest = new Set(test);
    const model = fitOn(dev.map((_, i) => i).filter((i) => !inTest.has(i)));
    // The rules' red flags: the technology flag's decider is measured by `tie-lopo.ts`.
    const score = (t: Transcript) => scoreHeuristically(rubric, t, model, null);
    for (const i of test) {
      const card = score(dev[i]?.transcript as Transcript);
      cards[i] = card;
      pad[i] = score(padded[i] as Transcript).overall - card.overall;
      stuff[i] = score(stuffed[i] as Transcript).overall - card.overall;
    }
  }
  const level = (card: Scorecard, c: string) => card.criteria.find((x) => x.id === c)?.level ?? 0;
  const kappas = CRITERIA.map((c) =>
    quadraticKappa(
      dev.map((d) => d.levels[c] as number),
      cards.map((card) => level(card, c)),
    ),
  );
  const gaming = dev.flatMap((d, i) =>
    GAMING.includes(d.style) ? [(cards[i]?.overall ?? 0) - d.overall] : [],
  );
  gamingRows.push(
    Object.fromEntries(
      dev.flatMap((d, i) =>
        GAMING.includes(d.style) ? [[d.id, `${d.overall} → ${cards[i]?.overall}`]] : [],
      ),
    ),
  );
  return {
    Spearman: spearman(
      dev.map((d) => d.overall),
      cards.map((c) => c.overall),
    ).toFixed(3),
    'mean QWK': mean(kappas).toFixed(3),
    'QWK hyp / exp / scale / risk / comm': kappas.map((k) => k.toFixed(2)).join(' / '),
    'flag F1': precisionRecall(
      dev.map((d) => d.flags),
      cards.map((c) => c.flags.map((f) => f.id)),
    ).f1.toFixed(3),
    MAE: mean(cards.map((c, i) => Math.abs(c.overall - (dev[i]?.overall ?? 0)))).toFixed(1),
    'gaming worst |err|': Math.max(...gaming.map(Math.abs)).toFixed(0),
    'padding Δ': mean(pad).toFixed(1),
    'stuffing Δ': mean(stuff).toFixed(1),
  };
}

console.log(`development part only: ${dev.length} transcripts; held-out part not loaded`);
for (const [scheme, folds] of Object.entries({
  'stratified 5-fold (by style)': stratified(dev),
  'leave-one-writer-out': byWriter(dev),
})) {
  console.log(`\n=== ${scheme}`);
  gamingRows.length = 0;
  console.table(
    Object.fromEntries(Object.entries(FITS).map(([name, fitOn]) => [name, run(folds, fitOn)])),
  );
  console.log('  gaming transcripts of dev (label → overall), one row per reader above:');
  console.table(gamingRows);
}
