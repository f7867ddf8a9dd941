/**
 * What a person's scored rounds say about their progress: each criterion's trend (the last three
 * rounds against the three before) and the weakest criterion, which `adaptive` aims a prompt at.
 */
import type { Criterion, Rubric } from '../../rubric/schema.js';
import type { Scorecard } from '../scoring/scorecard.js';

/** Rounds on each side of a trend. */
export const TREND_WINDOW = 3;
/** Recent rounds the weakest criterion is judged on. */
export const WEAKEST_WINDOW = 5;
/**
 * A person's newest rounds that trends, `adaptive` and reminders read, drills and rounds where
 * nothing was said among them (left out once read): one window for all three, so a reminder names
 * the weakest criterion `adaptive` aims at, with the same mean.
 */
export const RECENT_ROUNDS = 30;
/** A change in mean level smaller than this is "steady". */
const STEADY = 0.25;

/** One criterion's trend. */
export interface Trend {
  readonly criterion: Criterion;
  /** Mean level over the last `TREND_WINDOW` rounds. */
  readonly recent: number;
  /** Mean level over the `TREND_WINDOW` rounds before them; undefined with too few rounds. */
  readonly before?: number;
  readonly direction: 'up' | 'down' | 'steady' | 'new';
  /** How many rounds each mean is over. */
  readonly rounds: { readonly recent: number; readonly before: number };
}

/** Each criterion's trend over `cards`, newest first. */
export function trends(rubric: Rubric, cards: readonly Scorecard[]): Trend[] {
  const recent = cards.slice(0, TREND_WINDOW);
  const before = cards.slice(TREND_WINDOW, TREND_WINDOW * 2);
  if (recent.length === 0) return [];
  const rounds = { recent: recent.length, before: before.length };
  return rubric.criteria.map((criterion) => {
    const now = meanLevel(recent, criterion.id);
    if (before.length === 0) return { criterion, recent: now, direction: 'new' as const, rounds };
    const then = meanLevel(before, criterion.id);
    const change = now - then;
    const direction = Math.abs(change) < STEADY ? 'steady' : change > 0 ? 'up' : 'down';
    return { criterion, recent: now, before: then, direction, rounds };
  });
}

/** The weakest criterion over the last `WEAKEST_WINDOW` of `cards` (newest first), if any. */
export function weakestCriterion(
  rubric: Rubric,
  cards: readonly Scorecard[],
): { readonly criterion: Criterion; readonly mean: number; readonly rounds: number } | undefined {
  const window = cards.slice(0, WEAKEST_WINDOW);
  if (window.length === 0) return undefined;
  // Lowest mean first; between equals, the heavier criterion (it costs more).
  const [weakest] = [...rubric.criteria]
    .map((criterion) => ({ criterion, mean: meanLevel(window, criterion.id) }))
    .sort((a, b) => a.mean - b.mean || b.criterion.weight - a.criterion.weight);
  return weakest && { ...weakest, rounds: window.length };
}

function meanLevel(cards: readonly Scorecard[], id: string): number {
  const levels = cards.map((c) => c.criteria.find((x) => x.id === id)?.level ?? 0);
  return levels.reduce((a, b) => a + b, 0) / levels.length;
}
