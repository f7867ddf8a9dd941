// Small, dependency-free learners: standardisation, ridge regression, L2 logistic regression,
// a one-feature decision stump, ordinal cut points. All fitted on the rows they are given.
import { quadraticKappa } from '../metrics.js';

export type Row = readonly number[];

const at = (a: readonly number[], i: number): number => a[i] as number;
const rowAt = (m: number[][], i: number): number[] => m[i] as number[];

export interface Scaler {
  readonly mean: number[];
  readonly sd: number[];
}

export function fitScaler(X: readonly Row[]): Scaler {
  const d = X[0]?.length ?? 0;
  const mean = new Array<number>(d).fill(0);
  const sd = new Array<number>(d).fill(0);
  for (const x of X) for (let j = 0; j < d; j++) mean[j] = at(mean, j) + at(x, j) / X.length;
  for (const x of X) {
    for (let j = 0; j < d; j++) sd[j] = at(sd, j) + (at(x, j) - at(mean, j)) ** 2 / X.length;
  }
  return { mean, sd: sd.map((v) => (v > 1e-12 ? Math.sqrt(v) : 1)) };
}

export const scale = (s: Scaler, x: Row): number[] =>
  x.map((v, j) => (v - at(s.mean, j)) / at(s.sd, j));

/** Solves A w = b (A symmetric positive definite) by Gaussian elimination with pivoting. */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((r, i) => [...r, at(b, i)]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++)
      if (Math.abs(at(rowAt(M, r), c)) > Math.abs(at(rowAt(M, p), c))) p = r;
    [M[c], M[p]] = [rowAt(M, p), rowAt(M, c)];
    const pivot = rowAt(M, c);
    for (let r = c + 1; r < n; r++) {
      const row = rowAt(M, r);
      const f = at(row, c) / at(pivot, c);
      for (let k = c; k <= n; k++) row[k] = at(row, k) - f * at(pivot, k);
    }
  }
  const w = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    const row = rowAt(M, r);
    let s = at(row, n);
    for (let k = r + 1; k < n; k++) s -= at(row, k) * at(w, k);
    w[r] = s / at(row, r);
  }
  return w;
}

export interface Linear {
  readonly scaler: Scaler;
  readonly w: number[];
  readonly b: number;
}

export const predictLinear = (m: Linear, x: Row) =>
  scale(m.scaler, x).reduce((s, v, j) => s + v * (m.w[j] as number), m.b);

/** Ridge on standardised features; the intercept is not penalised. */
export function fitRidge(X: readonly Row[], y: readonly number[], lambda: number): Linear {
  const scaler = fitScaler(X);
  const Z = X.map((x) => scale(scaler, x));
  const d = scaler.mean.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  const A = Array.from({ length: d }, (_, i) =>
    Array.from({ length: d }, (_, j) => (i === j ? lambda : 0)),
  );
  const rhs = new Array<number>(d).fill(0);
  Z.forEach((z, n) => {
    for (let i = 0; i < d; i++) {
      rhs[i] = at(rhs, i) + at(z, i) * (at(y, n) - my);
      const Ai = rowAt(A, i);
      for (let j = 0; j < d; j++) Ai[j] = at(Ai, j) + at(z, i) * at(z, j);
    }
  });
  return { scaler, w: solve(A, rhs), b: my };
}

/**
 * Ridge whose weights keep given signs (`signs[j]` 1: w ≥ 0, -1: w ≤ 0, 0: free), by projected
 * coordinate descent on standardised features (the problem is convex, so it reaches the optimum).
 */
export function fitSignedRidge(
  X: readonly Row[],
  y: readonly number[],
  lambda: number,
  signs: readonly number[],
): Linear {
  const scaler = fitScaler(X);
  const d = scaler.mean.length;
  const n = X.length;
  // Column by column: each step of the descent reads one feature over every row.
  const columns = Array.from({ length: d }, () => new Float64Array(n));
  X.forEach((x, i) => {
    scale(scaler, x).forEach((v, j) => {
      (columns[j] as Float64Array)[i] = v;
    });
  });
  const b = y.reduce((a, v) => a + v, 0) / y.length;
  const w = new Array<number>(d).fill(0);
  const residual = Float64Array.from(y, (v) => v - b);
  const norms = columns.map((z) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += (z[i] as number) ** 2;
    return s;
  });
  for (let pass = 0; pass < 500; pass++) {
    let moved = 0;
    for (let j = 0; j < d; j++) {
      const z = columns[j] as Float64Array;
      const old = at(w, j);
      let rho = 0;
      for (let i = 0; i < n; i++) rho += (z[i] as number) * (residual[i] as number);
      rho += at(norms, j) * old;
      let next = rho / (at(norms, j) + lambda);
      const sign = signs[j] ?? 0;
      if (sign * next < 0) next = 0;
      if (next === old) continue;
      const step = next - old;
      for (let i = 0; i < n; i++) residual[i] = (residual[i] as number) - (z[i] as number) * step;
      w[j] = next;
      moved = Math.max(moved, Math.abs(step));
    }
    if (moved < 1e-8) break;
  }
  return { scaler, w, b };
}

export const LAMBDAS = [0.3, 1, 3, 10, 30, 100, 300];

/**
 * λ chosen inside the training rows only: inner 5-fold CV (rows by `group` mod 5, a row's group
 * its index unless given: copies of one round share a group, so none is judged by its own copy),
 * least squared error. Never looks at the outer fold.
 */
export function nestedLambda(
  X: readonly Row[],
  y: readonly number[],
  group: readonly number[] = X.map((_, i) => i),
  fitter: (X: readonly Row[], y: readonly number[], lambda: number) => Linear = fitRidge,
): number {
  let best = LAMBDAS[0] as number;
  let bestErr = Number.POSITIVE_INFINITY;
  for (const l of LAMBDAS) {
    let err = 0;
    for (let f = 0; f < 5; f++) {
      const tr = X.map((_, i) => i).filter((i) => (group[i] as number) % 5 !== f);
      const te = X.map((_, i) => i).filter((i) => (group[i] as number) % 5 === f);
      if (te.length === 0) continue;
      const m = fitter(
        tr.map((i) => X[i] as Row),
        tr.map((i) => y[i] as number),
        l,
      );
      for (const i of te) err += (predictLinear(m, X[i] as Row) - (y[i] as number)) ** 2;
    }
    if (err < bestErr) {
      bestErr = err;
      best = l;
    }
  }
  return best;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** L2 logistic regression by Newton's method on standardised features. */
export function fitLogistic(X: readonly Row[], y: readonly number[], lambda: number): Linear {
  const scaler = fitScaler(X);
  const Z = X.map((x) => [1, ...scale(scaler, x)]);
  const d = Z[0]?.length ?? 1;
  let w = new Array<number>(d).fill(0);
  for (let it = 0; it < 25; it++) {
    const g = w.map((v, j) => (j === 0 ? 0 : lambda * v));
    const H = Array.from({ length: d }, (_, i) =>
      Array.from({ length: d }, (_, j) => (i === j && i > 0 ? lambda : i === j ? 1e-6 : 0)),
    );
    Z.forEach((z, n) => {
      const p = sigmoid(z.reduce((s, v, j) => s + v * (w[j] as number), 0));
      const r = p - (y[n] as number);
      const q = p * (1 - p);
      for (let i = 0; i < d; i++) {
        g[i] = at(g, i) + r * at(z, i);
        const Hi = rowAt(H, i);
        for (let j = 0; j < d; j++) Hi[j] = at(Hi, j) + q * at(z, i) * at(z, j);
      }
    });
    const step = solve(H, g);
    w = w.map((v, j) => v - (step[j] as number));
    if (Math.max(...step.map(Math.abs)) < 1e-6) break;
  }
  return { scaler, w: w.slice(1), b: w[0] as number };
}

export const predictProb = (m: Linear, x: Row) => sigmoid(predictLinear(m, x));

export interface Stump {
  readonly j: number;
  readonly cut: number;
  readonly above: boolean;
}

/** The one feature and cut that best separates the training rows (F1, ties to fewest positives). */
export function fitStump(X: readonly Row[], y: readonly number[]): Stump | undefined {
  if (!y.some((v) => v === 1)) return undefined;
  let best: { s: Stump; f1: number } | undefined;
  const d = X[0]?.length ?? 0;
  for (let j = 0; j < d; j++) {
    const values = [...new Set(X.map((x) => x[j] as number))].sort((a, b) => a - b);
    for (let k = 0; k + 1 < values.length; k++) {
      const cut = ((values[k] as number) + (values[k + 1] as number)) / 2;
      for (const above of [true, false]) {
        let tp = 0;
        let fp = 0;
        let fn = 0;
        X.forEach((x, n) => {
          const p = above ? (x[j] as number) > cut : (x[j] as number) < cut;
          if (p && y[n] === 1) tp++;
          else if (p) fp++;
          else if (y[n] === 1) fn++;
        });
        const f1 = (2 * tp) / Math.max(1, 2 * tp + fp + fn);
        if (!best || f1 > best.f1 + 1e-9) best = { s: { j, cut, above }, f1 };
      }
    }
  }
  return best?.s;
}

export const predictStump = (s: Stump | undefined, x: Row) =>
  s === undefined ? false : s.above ? (x[s.j] as number) > s.cut : (x[s.j] as number) < s.cut;

/**
 * Cut points for the ordinal levels fitted on the training rows' own predictions, to maximise
 * QWK there (coordinate search from .5/1.5/2.5/3.5, step .05, three passes).
 */
export function fitCuts(pred: readonly number[], y: readonly number[]): number[] {
  const cuts = [0.5, 1.5, 2.5, 3.5];
  const q = (c: readonly number[]) =>
    quadraticKappa(
      y,
      pred.map((v) => levelAt(c, v)),
    );
  for (let pass = 0; pass < 3; pass++) {
    for (let k = 0; k < 4; k++) {
      const lo = k === 0 ? -0.5 : (cuts[k - 1] as number) + 0.05;
      const hi = k === 3 ? 4.5 : (cuts[k + 1] as number) - 0.05;
      let best = cuts[k] as number;
      let bestQ = q(cuts);
      for (let t = lo; t <= hi + 1e-9; t += 0.05) {
        const c = [...cuts];
        c[k] = t;
        const v = q(c);
        if (v > bestQ + 1e-9) {
          bestQ = v;
          best = t;
        }
      }
      cuts[k] = best;
    }
  }
  return cuts;
}

/** The ordinal level of a continuous prediction `v`: how many of the cut points it reaches. */
export const levelAt = (cuts: readonly number[], v: number): number =>
  cuts.filter((t) => v >= t).length;
