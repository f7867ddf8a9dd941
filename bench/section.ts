import type { Redis } from 'ioredis';
import type { BenchOptions } from './options.js';

/** What every benchmark section gets from the entry point. */
export interface BenchContext {
  readonly options: BenchOptions;
  /** Random id of this run; every Redis key a section creates must contain it. */
  readonly runId: string;
  /** A connection for bookkeeping (INFO, SCAN, DEL); the entry point closes it. */
  readonly admin: Redis;
  /** Prints a line of the report. */
  readonly log: (line: string) => void;
  /**
   * Registers clean-up that also runs when the run is interrupted or times out; returns it as a
   * function the section calls when it is done, which runs it at most once either way.
   */
  readonly onCleanup: (task: () => Promise<void>) => () => Promise<void>;
}

/** A named benchmark; `npm run bench -- <name>` runs only the named ones. */
export interface BenchSection {
  readonly name: string;
  /** One line for `--list`. */
  readonly summary: string;
  run(ctx: BenchContext): Promise<void>;
}
