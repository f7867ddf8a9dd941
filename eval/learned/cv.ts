// `npx tsx eval/learned/cv.ts`: does a learned reader over generic features generalise better than
// the hand-written rules? Cross-validation INSIDE the development part only (held-out never scored):
// (a) 5 folds stratified by writing style, (b) leave one writer out. Heuristic beside it on the
// same rows (its rules were tuned on all of dev, so its figures are in-sample, i.e. inflated).
import { loadLibrary } from '../../rubric/load.js';
import { overallScore } from '../../src/scoring/scorecard.js';
import type { Transcript } from '../../src/transcript.js';
import { FILLER, perturb, STUFFING } from '../evaluate.js';
import { GAMING } from '../labelled-set.js';
import { precisionRecall, quadraticKappa, spearman } from '../metrics.js';
import { byWriter, type DevItem, type Folds, loadDevelopment, stratified } from './dev.js';
import { CRITERIA, type Features, FLAGS, featuresOf } from './features.js';
import {
  fitCuts,
  fitLogistic,
  fitRidge,
  fitStump,
  levelAt,
  nestedLambda,
  predictLinear,
  predictProb,
  predictStump,
  type Row,
} from './models.js';

const { rubric } = await loadLibrary();
const dev = await loadDevelopment();
const weightOf = Object.fromEntries(rubric.criteria.map((c) => [c.id, c.weight]));

const featurize = (t: Transcript): Features => featuresOf(rubric, t);
const F: Features[] = dev.map((d) => featurize(d.transcript));
const FP: Features[] = dev.map((d) => featurize(perturb(d.transcript, FILLER)));
const FS: Features[] = dev.map((d) => featurize(perturb(d.transcript, STUFFING)));
const GEN = Object.keys(F[0]?.generic ?? {});
const HEU = Object.keys(F[0]?.heuristic ?? {});
const SETS: Record<string, string[]> = {
  generic: GEN,
  stack: [...GEN, ...HEU],
  'heur-only': HEU,
};
const rowOf = (f: Features, names: readonly string[]): number[] =>
  names.map((n) => f.generic[n] ?? f.heuristic[n] ?? 0);

const SCHEMES: Record<string, Folds> = {
  'in-sample (fit and score on all 67; shows the fit, not generalisation)': [dev.map((_, i) => i)],
  'stratified 5-fold (by style)': stratified(dev),
  'leave-one-writer-out': byWriter(dev),
};

// ---- one model over one scheme: out-of-fold predictions
interface Oof {
  levelsCont: number[][];
  levels: number[][];
  levelsCut: number[][];
  overallCut: number[];
  overallRounded: number[];
  overallCont: number[];
  overallDirect: number[];
  padRounded: number[];
  stuffRounded: number[];
  flagsLogit: string[][];
  flagsStump: string[][];
  lambdas: number[];
}
const clip = (v: number) => Math.max(0, Math.min(4, v));
const formula = (lv: readonly number[]) =>
  overallScore(CRITERIA.map((c, k) => ({ weight: weightOf[c] as number, level: lv[k] as number })));
/** Overall from continuous levels: the rubric's weighted formula without rounding. */
const formulaCont = (lv: readonly number[]) => {
  const tot = CRITERIA.reduce((s, c) => s + (weightOf[c] as number), 0);
  return (
    (CRITERIA.reduce((s, c, k) => s + (weightOf[c] as number) * (lv[k] as number), 0) / tot / 4) *
    100
  );
};
const LOGIT_LAMBDA = 3; // fixed, chosen before looking at any CV figure

function runModel(
  names: readonly string[],
  folds: Folds,
  lambdaMode: 'nested' | number,
  inSample = false,
): Oof {
  const n = dev.length;
  const o: Oof = {
    levelsCont: Array.from({ length: n }, () => []),
    levels: Array.from({ length: n }, () => []),
    levelsCut: Array.from({ length: n }, () => []),
    overallCut: [],
    overallRounded: [],
    overallCont: [],
    overallDirect: [],
    padRounded: [],
    stuffRounded: [],
    flagsLogit: Array.from({ length: n }, () => []),
    flagsStump: Array.from({ length: n }, () => []),
    lambdas: [],
  };
  const X = F.map((f) => rowOf(f, names));
  const XP = FP.map((f) => rowOf(f, names));
  const XS = FS.map((f) => rowOf(f, names));
  for (const test of folds) {
    const tset = new Set(test);
    const train = dev.map((_, i) => i).filter((i) => inSample || !tset.has(i));
    const Xtr = train.map((i) => X[i] as Row);
    const ridgeFor = (y: number[]) => {
      const l = lambdaMode === 'nested' ? nestedLambda(Xtr, y) : lambdaMode;
      o.lambdas.push(l);
      return fitRidge(Xtr, y, l);
    };
    const levP: number[][] = test.map(() => []);
    const levS: number[][] = test.map(() => []);
    for (const c of CRITERIA) {
      const ytr = train.map((i) => dev[i]?.levels[c] as number);
      const m = ridgeFor(ytr);
      const cuts = fitCuts(
        train.map((i) => predictLinear(m, X[i] as Row)),
        ytr,
      );
      test.forEach((i, k) => {
        o.levelsCut[i]?.push(levelAt(cuts, predictLinear(m, X[i] as Row)));
        const v = clip(predictLinear(m, X[i] as Row));
        o.levelsCont[i]?.push(v);
        o.levels[i]?.push(Math.round(v));
        levP[k]?.push(Math.round(clip(predictLinear(m, XP[i] as Row))));
        levS[k]?.push(Math.round(clip(predictLinear(m, XS[i] as Row))));
      });
    }
    const mo = ridgeFor(train.map((i) => dev[i]?.overall as number));
    test.forEach((i, k) => {
      o.overallDirect[i] = Math.max(0, Math.min(100, predictLinear(mo, X[i] as Row)));
      o.overallRounded[i] = formula(o.levels[i] as number[]);
      o.overallCut[i] = formula(o.levelsCut[i] as number[]);
      o.overallCont[i] = formulaCont(o.levelsCont[i] as number[]);
      o.padRounded[i] = formula(levP[k] as number[]) - (o.overallRounded[i] as number);
      o.stuffRounded[i] = formula(levS[k] as number[]) - (o.overallRounded[i] as number);
    });
    for (const flag of FLAGS) {
      const y = train.map((i) => (dev[i]?.flags.includes(flag) ? 1 : 0));
      const pos = y.some((v) => v === 1);
      const lg = pos ? fitLogistic(Xtr, y, LOGIT_LAMBDA) : undefined;
      const st = pos ? fitStump(Xtr, y) : undefined;
      for (const i of test) {
        if (lg && predictProb(lg, X[i] as Row) > 0.5) o.flagsLogit[i]?.push(flag);
        if (predictStump(st, X[i] as Row)) o.flagsStump[i]?.push(flag);
      }
    }
  }
  return o;
}

// ---- metrics
const labelsOverall = dev.map((d) => d.overall);
const truthFlags = dev.map((d) => d.flags);
const heurLevels = F.map((f) => CRITERIA.map((c) => f.heuristic[`h_${c}`] as number));
const heurOverall = F.map((f) => f.card.overall);
const heurFlags = F.map((f) => f.card.flags.map((x) => x.id));
const heurPad = FP.map((f, i) => f.card.overall - (heurOverall[i] as number));
const heurStuff = FS.map((f, i) => f.card.overall - (heurOverall[i] as number));
const mean = (a: readonly number[]) => a.reduce((s, v) => s + v, 0) / Math.max(1, a.length);
const gamingIdx = dev.flatMap((d, i) => (GAMING.includes(d.style) ? [i] : []));

function metrics(
  levels: number[][],
  overall: number[],
  flags: string[][],
  folds: Folds,
  pad: number[],
  stuff: number[],
) {
  const kappa = CRITERIA.map((c, k) =>
    quadraticKappa(
      dev.map((d) => d.levels[c] as number),
      levels.map((l) => l[k] as number),
    ),
  );
  const pr = precisionRecall(truthFlags, flags);
  const gamingErr = gamingIdx.map((i) => (overall[i] as number) - (labelsOverall[i] as number));
  const r: Record<string, string> = {
    Spearman: spearman(labelsOverall, overall).toFixed(3),
    'Spearman, mean over folds': mean(
      folds.map((f) =>
        spearman(
          f.map((i) => labelsOverall[i] as number),
          f.map((i) => overall[i] as number),
        ),
      ),
    ).toFixed(3),
    'mean QWK': mean(kappa).toFixed(3),
  };
  CRITERIA.forEach((c, k) => {
    r[`  QWK ${c}`] = (kappa[k] as number).toFixed(3);
  });
  r['flag P / R'] = `${pr.precision.toFixed(2)} / ${pr.recall.toFixed(2)}`;
  r['flag F1'] = pr.f1.toFixed(3);
  r['MAE (points)'] = mean(
    overall.map((v, i) => Math.abs(v - (labelsOverall[i] as number))),
  ).toFixed(1);
  r['gaming (6 dev): mean |err|'] = mean(gamingErr.map(Math.abs)).toFixed(1);
  r['gaming (6 dev): max err'] = Math.max(...gamingErr).toFixed(0);
  r['padding Δ overall'] = mean(pad).toFixed(1);
  r['stuffing Δ overall'] = mean(stuff).toFixed(1);
  return r;
}

const lambdaArg = process.argv.includes('--fixed-lambda') ? 10 : 'nested';
console.log(
  `development part only: ${dev.length} transcripts; features: ${GEN.length} generic + ${HEU.length} heuristic; ridge λ ${lambdaArg === 'nested' ? `nested (inner 5-fold on the training rows, least squares, grid ${[0.3, 1, 3, 10, 30, 100, 300]})` : lambdaArg}; logistic λ ${LOGIT_LAMBDA} fixed`,
);
const gamingTables: Record<string, Record<string, number | string>>[] = [];
for (const [scheme, folds] of Object.entries(SCHEMES)) {
  console.log(`\n=== ${scheme} (${folds.map((f) => f.length).join('/')} per fold)`);
  const cols: Record<string, Record<string, string>> = {
    heuristic: metrics(heurLevels, heurOverall, heurFlags, folds, heurPad, heurStuff),
  };
  const gaming: Record<string, Record<string, number | string>> = {};
  for (const i of gamingIdx) {
    const d = dev[i] as DevItem;
    gaming[d.id] = { style: d.style, label: d.overall, heuristic: heurOverall[i] as number };
  }
  for (const [set, names] of Object.entries(SETS)) {
    const o = runModel(names, folds, lambdaArg, folds.length === 1);
    cols[`${set}: levels→formula`] = metrics(
      o.levels,
      o.overallRounded,
      o.flagsLogit,
      folds,
      o.padRounded,
      o.stuffRounded,
    );
    cols[`${set}: cont. levels→formula`] = {
      ...metrics(o.levels, o.overallCont, o.flagsStump, folds, o.padRounded, o.stuffRounded),
    };
    cols[`${set}: fitted cuts→formula`] = metrics(
      o.levelsCut,
      o.overallCut,
      o.flagsLogit,
      folds,
      o.padRounded,
      o.stuffRounded,
    );
    cols[`${set}: direct overall`] = metrics(
      o.levels,
      o.overallDirect,
      o.flagsLogit,
      folds,
      o.padRounded,
      o.stuffRounded,
    );
    const counts: Record<number, number> = {};
    for (const l of o.lambdas) counts[l] = (counts[l] ?? 0) + 1;
    console.log(`  λ chosen (${set}): ${JSON.stringify(counts)}`);
    for (const i of gamingIdx) {
      const g = gaming[(dev[i] as DevItem).id] as Record<string, number | string>;
      g[set] = Math.round(o.overallRounded[i] as number);
    }
  }
  console.log(
    '  columns: levels→formula = rounded ridge levels, overall by the rubric formula, flags by logistic;\n' +
      '  cont. levels→formula = same levels, overall from unrounded levels, flags by one-feature stump;\n' +
      '  fitted cuts→formula = ridge levels cut at thresholds fitted on the training rows (QWK), flags by logistic;\n' +
      '  direct overall = ridge straight on the overall label (levels as in the first), flags by logistic.',
  );
  console.table(cols);
  console.log('  gaming transcripts of dev, out-of-fold overall (levels→formula):');
  console.table(gaming);
  gamingTables.push(gaming);
}

// ---- what carries the weight: fitted on all of dev (nested λ), standardised coefficients
console.log('\n=== standardised ridge weights, fitted on all of dev (generic set), top 6 by |w|');
const X = F.map((f) => rowOf(f, GEN));
for (const target of [...CRITERIA, 'overall']) {
  const y = dev.map((d) => (target === 'overall' ? d.overall : (d.levels[target] as number)));
  const l = nestedLambda(X, y);
  const m = fitRidge(X, y, l);
  const top = m.w
    .map((w, j) => ({ w, n: GEN[j] as string }))
    .sort((a, b) => Math.abs(b.w) - Math.abs(a.w))
    .slice(0, 6)
    .map((t) => `${t.n} ${t.w >= 0 ? '+' : ''}${t.w.toFixed(2)}`);
  console.log(`  ${target} (λ ${l}): ${top.join(', ')}`);
}
console.log('\n=== flag stumps fitted on all of dev (generic set)');
for (const flag of FLAGS) {
  const y = dev.map((d) => (d.flags.includes(flag) ? 1 : 0));
  const s = fitStump(X, y);
  console.log(
    `  ${flag} (${y.filter((v) => v).length} positives): ${s ? `${GEN[s.j]} ${s.above ? '>' : '<'} ${s.cut.toFixed(3)}` : '-'}`,
  );
}
