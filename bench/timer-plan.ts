import type { Library } from '../rubric/load.js';
import { timeline } from '../src/round/timeline.js';

/**
 * What set-up is assumed to cost, in wall ms, on the 2-core machine this was written on, with
 * room for a busy neighbour (measured: ~3 ms per start, ~0.15 ms per bare add, ~0.05 ms per
 * read-back). Fixed rather than measured per run, so every run of a size offers the same load
 * and runs are comparable; a slower machine shows up as a set-up overlap warning in the report.
 */
export const SETUP_COST_MS = {
  perRoundStart: 4.5,
  perRoundRead: 0.1,
  perBareJob: 0.25,
  /** Added once, for the memory samples and the `MEMORY USAGE` breakdown. */
  fixed: 3000,
} as const;

/** Shortest round, in wall ms, even for tiny sizes. */
const MIN_ROUND_MS = 8000;

/** How one size is run: the round length and time scale that make its events due after set-up. */
export interface TimerPlan {
  readonly rounds: number;
  /** Round length in round minutes (the rubric's). */
  readonly minutes: number;
  /** Wall ms per round ms. */
  readonly timeScale: number;
  /** A round's wall length in ms. */
  readonly roundWallMs: number;
  /** Wall ms from a round's start to its first interviewer event. */
  readonly firstEventMs: number;
  /** Set-up time allowed (starts, read-back, bare adds, samples) before the first event is due. */
  readonly setupBudgetMs: number;
  /** Rounds started per second, when the starts are paced (`BENCH_START_RATE`). */
  readonly startRate?: number;
}

/**
 * Chooses the time scale of an N-round run so that set-up (starting every round, reading them
 * back, adding the bare jobs, sampling memory) ends before the first round's first event is due:
 * all N rounds are active, with all their timers pending, when memory is sampled.
 */
export function planFor(library: Library, rounds: number, startRate?: number): TimerPlan {
  const { rubric } = library;
  const minutes = rubric.minutes;
  const line = timeline(rubric, minutes);
  const firstFraction = (line[0]?.at ?? minutes * 60) / (minutes * 60);
  const c = SETUP_COST_MS;
  // Paced starts take their own time: one round every 1000 / rate ms at the least.
  const perStart = Math.max(c.perRoundStart, startRate ? 1000 / startRate : 0);
  const setupBudgetMs = rounds * (perStart + c.perRoundRead + line.length * c.perBareJob) + c.fixed;
  const roundWallMs = Math.max(MIN_ROUND_MS, setupBudgetMs / firstFraction);
  return {
    rounds,
    minutes,
    timeScale: roundWallMs / (minutes * 60 * 1000),
    roundWallMs,
    firstEventMs: roundWallMs * firstFraction,
    setupBudgetMs,
    ...(startRate ? { startRate } : {}),
  };
}
