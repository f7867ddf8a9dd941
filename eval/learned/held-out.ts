// ONE pre-registered look at the held-out part, for reporting (not for tuning): the model chosen in
// advance from dev-only cross-validation. Primary: "generic: fitted cuts→formula" (32 generic
// features of the current analysis code; per-criterion ridge, λ nested on dev; cut points fitted on
// dev's own predictions; overall by the rubric's formula); flags are the heuristic's rules.
// Secondary: "generic: direct overall" (ridge on the overall label), Spearman and MAE only.
// Decision rule fixed before running: if the primary reaches held-out Spearman ≥ 0.85 and mean QWK
// ≥ 0.65 with every criterion ≥ 0.5, the next step is to build it into the heuristic engine.
import { loadLibrary } from '../../rubric/load.js';
import { overallScore } from '../../src/scoring/scorecard.js';
import { loadCorpus } from '../corpus.js';
import { precisionRecall, quadraticKappa, spearman } from '../metrics.js';
import { CRITERIA, featuresOf } from './features.js';
import { fitCuts, fitRidge, levelAt, nestedLambda, predictLinear, type Row } from './models.js';

const { rubric } = await loadLibrary();
const corpus = await loadCorpus();
const weightOf = Object.fromEntries(rubric.criteria.map((c) => [c.id, c.weight]));
const dev = corpus.development;
const held = corpus.heldOut;
const featsDev = dev.map((d) => featuresOf(rubric, d.transcript));
const names = Object.keys(featsDev[0]?.generic ?? {});
const row = (g: Record<string, number>) => names.map((n) => g[n] ?? 0);
const X = featsDev.map((f) => row(f.generic));

const models = CRITERIA.map((c) => {
  const y = dev.map((d) => d.label.levels[c] as number);
  const m = fitRidge(X, y, nestedLambda(X, y));
  const cuts = fitCuts(
    X.map((x) => predictLinear(m, x)),
    y,
  );
  return { m, cuts };
});
const yo = dev.map((d) => d.label.overall);
const direct = fitRidge(X, yo, nestedLambda(X, yo));

const featsHeld = held.map((d) => featuresOf(rubric, d.transcript));
const levels = featsHeld.map((f) =>
  models.map(({ m, cuts }) => levelAt(cuts, predictLinear(m, row(f.generic) as Row))),
);
const overall = levels.map((lv) =>
  overallScore(CRITERIA.map((c, k) => ({ weight: weightOf[c] as number, level: lv[k] as number }))),
);
const overallDirect = featsHeld.map((f) =>
  Math.max(0, Math.min(100, predictLinear(direct, row(f.generic)))),
);
const truth = held.map((d) => d.label.overall);
const mean = (a: readonly number[]) => a.reduce((s, v) => s + v, 0) / a.length;
const kappas = CRITERIA.map((c, k) =>
  quadraticKappa(
    held.map((d) => d.label.levels[c] as number),
    levels.map((l) => l[k] as number),
  ),
);
const heurOverall = featsHeld.map((f) => f.card.overall);
const flags = precisionRecall(
  held.map((d) => d.label.flags),
  featsHeld.map((f) => f.card.flags.map((x) => x.id)),
);
console.log(`held-out: ${held.length} transcripts; fitted on dev: ${dev.length}`);
console.table({
  'primary (fitted cuts→formula)': {
    Spearman: spearman(truth, overall).toFixed(3),
    'mean QWK': mean(kappas).toFixed(3),
    kappas: kappas.map((k) => k.toFixed(2)).join(' / '),
    'flag F1 (rules)': flags.f1.toFixed(3),
    MAE: mean(overall.map((v, i) => Math.abs(v - (truth[i] as number)))).toFixed(1),
  },
  'secondary (direct overall)': {
    Spearman: spearman(truth, overallDirect).toFixed(3),
    MAE: mean(overallDirect.map((v, i) => Math.abs(v - (truth[i] as number)))).toFixed(1),
  },
  'heuristic rules': {
    Spearman: spearman(truth, heurOverall).toFixed(3),
    MAE: mean(heurOverall.map((v, i) => Math.abs(v - (truth[i] as number)))).toFixed(1),
  },
});
const gaming = held.flatMap((d, i) =>
  ['keyword-stuffing', 'padding', 'grader-note'].includes(d.label.case)
    ? [
        {
          case: d.label.case,
          label: d.label.overall,
          primary: overall[i],
          direct: Math.round(overallDirect[i] as number),
          heuristic: heurOverall[i],
        },
      ]
    : [],
);
console.table(gaming);
