// `npx tsx eval/learned/validation.ts`: chooses between designs of the heuristic engine on the
// first held-out part, which has served as the validation part since the fresh held-out part was
// added (2026-12-04): it had been scored in five reports, so its figures were no longer a clean
// test. Each design's reader is fitted on the whole development part (with padded and stuffed
// copies, as `fit.ts` does); the fresh part is never loaded here.
import { loadLibrary } from '../../rubric/load.js';
import { scoreHeuristically } from '../../src/scoring/heuristic/heuristic-scorer.js';
import type { ReaderModel } from '../../src/scoring/heuristic/reader.js';
import type { Scorecard } from '../../src/scoring/scorecard.js';
import { heldOutPart, loadCorpus } from '../corpus.js';
import { evaluate } from '../evaluate.js';
import { GAMING } from '../labelled-set.js';
import { CRITERIA } from './features.js';
import { augmented, fitReader } from './reader-fit.js';

const { rubric } = await loadLibrary();
const corpus = await loadCorpus();
const validation = heldOutPart(corpus, 'validation');
const examples = augmented(
  corpus.development.map((d) => ({ transcript: d.transcript, levels: d.label.levels })),
);

/** The designs compared: how each fits its reader on the development part. */
const DESIGNS: Record<string, () => ReaderModel | null> = {
  'rules alone': () => null,
  'reader in bounds; hypothesis by the rules (shipped until 2026-12-04)': () =>
    fitReader(
      rubric,
      examples,
      'validation',
      undefined,
      CRITERIA.filter((c) => c !== 'hypothesis'),
    ),
  'reader in bounds, the hypothesis at its descriptor or one above (shipped)': () =>
    fitReader(rubric, examples, 'validation'),
};

const fmt = (n: number) => n.toFixed(3);
const rows: Record<string, Record<string, string>> = {};
const gaming: Record<string, Record<string, string>> = {};
for (const [name, fitted] of Object.entries(DESIGNS)) {
  const model = fitted();
  const scorer = {
    name: 'heuristic',
    score: async (t: Parameters<typeof scoreHeuristically>[1]): Promise<Scorecard> =>
      // The rules' red flags: the technology flag's decider is measured by `tie-lopo.ts`.
      scoreHeuristically(rubric, t, model, null),
  };
  const e = await evaluate(scorer, validation);
  rows[name] = {
    Spearman: fmt(e.spearman),
    'mean QWK': fmt(e.meanKappa),
    'QWK hyp / exp / scale / risk / comm': CRITERIA.map((c) => (e.kappa[c] ?? 0).toFixed(2)).join(
      ' / ',
    ),
    'flag F1': fmt(e.flags.f1),
    MAE: e.meanAbsError.toFixed(1),
    'padding Δ': e.paddingDelta.toFixed(1),
    'stuffing Δ': e.stuffingDelta.toFixed(1),
  };
  gaming[name] = Object.fromEntries(
    e.rows
      .filter((r) => GAMING.includes(r.style ?? ''))
      .map((r) => [r.file, `${r.label} → ${r.predicted}`]),
  );
}
console.log(`validation part (the first held-out part, ${validation.length} transcripts)`);
console.table(rows);
console.log('gaming transcripts (label → overall):');
console.table(gaming);
