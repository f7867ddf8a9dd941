/** Agreement statistics for the scorer evaluation. Pure functions over plain arrays. */

/** Ranks with ties averaged (1-based). */
function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const out = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]?.v === order[start]?.v) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) out[(order[k] as { i: number }).i] = rank;
    start = end + 1;
  }
  return out;
}

function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy);
}

/** Spearman's rank correlation. */
export function spearman(x: readonly number[], y: readonly number[]): number {
  return pearson(ranks(x), ranks(y));
}

/**
 * Share of pairs whose labels differ by at least `gap` that the predictions order the same way
 * (a predicted tie counts as wrong).
 */
export function pairwiseAccuracy(
  labels: readonly number[],
  predicted: readonly number[],
  gap = 15,
): number {
  let pairs = 0;
  let right = 0;
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) {
      const dl = (labels[i] as number) - (labels[j] as number);
      if (Math.abs(dl) < gap) continue;
      pairs++;
      const dp = (predicted[i] as number) - (predicted[j] as number);
      if (Math.sign(dp) === Math.sign(dl)) right++;
    }
  }
  return pairs === 0 ? 1 : right / pairs;
}

/** Quadratic weighted kappa for integer ratings in [min, max]. */
export function quadraticKappa(
  a: readonly number[],
  b: readonly number[],
  min = 0,
  max = 4,
): number {
  const k = max - min + 1;
  const observed = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const histA = new Array<number>(k).fill(0);
  const histB = new Array<number>(k).fill(0);
  for (let i = 0; i < a.length; i++) {
    const x = (a[i] as number) - min;
    const y = (b[i] as number) - min;
    (observed[x] as number[])[y] = ((observed[x] as number[])[y] as number) + 1;
    histA[x] = (histA[x] as number) + 1;
    histB[y] = (histB[y] as number) + 1;
  }
  let num = 0;
  let den = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const w = ((i - j) * (i - j)) / ((k - 1) * (k - 1));
      const expected = ((histA[i] as number) * (histB[j] as number)) / a.length;
      num += w * ((observed[i] as number[])[j] as number);
      den += w * expected;
    }
  }
  return den === 0 ? 1 : 1 - num / den;
}

export interface PrecisionRecall {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
}

/** Precision, recall and F1 of predicted label sets against true ones (micro-averaged). */
export function precisionRecall(
  truth: readonly (readonly string[])[],
  predicted: readonly (readonly string[])[],
): PrecisionRecall {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  truth.forEach((t, i) => {
    const p = new Set(predicted[i] ?? []);
    const tt = new Set(t);
    for (const x of p) (tt.has(x) ? () => tp++ : () => fp++)();
    for (const x of tt) if (!p.has(x)) fn++;
  });
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, truePositives: tp, falsePositives: fp, falseNegatives: fn };
}
