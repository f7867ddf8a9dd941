// The development part of the labelled corpus as the learned reader's scripts use it, and the two
// ways they split it for cross-validation. The held-out part is never loaded here.
import type { Transcript } from '../../src/transcript.js';
import { loadCorpus } from '../corpus.js';

/** A development transcript with its writer (`w1`…`w4`, from its id) and writing style. */
export interface DevItem {
  readonly id: string;
  readonly writer: string;
  readonly style: string;
  readonly transcript: Transcript;
  readonly levels: Record<string, number>;
  readonly flags: readonly string[];
  readonly overall: number;
}

export async function loadDevelopment(): Promise<DevItem[]> {
  return (await loadCorpus()).development.map(({ file, transcript, label }) => ({
    id: file,
    writer: `w${/-w(\d+)\d\d$/.exec(file)?.[1]}`,
    style: label.case,
    transcript,
    levels: label.levels,
    flags: label.flags,
    overall: label.overall,
  }));
}

/** Test indices per fold. */
export type Folds = number[][];

/** `k` folds, each with an even share of every writing style. */
export function stratified(items: readonly DevItem[], k = 5): Folds {
  const folds: Folds = Array.from({ length: k }, () => []);
  const order = items
    .map((d, i) => ({ d, i }))
    .sort((a, b) => a.d.style.localeCompare(b.d.style) || a.d.id.localeCompare(b.d.id));
  order.forEach(({ i }, n) => {
    folds[n % k]?.push(i);
  });
  return folds;
}

/** One fold per writer: each writer's transcripts scored by a reader fitted on the others'. */
export function byWriter(items: readonly DevItem[]): Folds {
  const ws = [...new Set(items.map((d) => d.writer))].sort();
  return ws.map((w) => items.flatMap((d, i) => (d.writer === w ? [i] : [])));
}
