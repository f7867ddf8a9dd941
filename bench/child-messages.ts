/**
 * What the timers bench and its child processes (`BENCH_PROCESSES` > 1) say to each other over
 * the IPC channel: plain data only, as the channel carries JSON.
 */
import type { BareRun } from './bare-queue.js';
import type { CommandSnapshot } from './command-counter.js';
import type { ProcessLoad } from './load-sampler.js';
import type { PostedEvent } from './recording-platform.js';
import type { HandledJob } from './rounds-node.js';

/** The environment variable that hands a child its `ChildSetup`, as JSON. */
export const SETUP_VARIABLE = 'BENCH_CHILD_SETUP';

/** What a child runs: the bench process's rounds node and bare worker, on the same keys. */
export interface ChildSetup {
  readonly redisUrl: string;
  /** Session key prefix of the rounds node; its BullMQ prefix is `{prefix}`. */
  readonly prefix: string;
  readonly timeScale: number;
  /** BullMQ prefix of the bare queue. */
  readonly barePrefix: string;
  /** Worker concurrency of both, per process. */
  readonly concurrency: number;
}

/** A measured window: the rounds' events (with the bare jobs, when together), or the bare jobs alone. */
export type Series = 'rounds' | 'bare';

/** From the bench process to a child. */
export type ToChild =
  /** A window starts: reset the command counts of the series and start sampling load. */
  | { readonly kind: 'measure'; readonly series: Series }
  /** The window is over: send everything recorded, then a `ChildReport`. */
  | { readonly kind: 'report' }
  /** Stop taking jobs, close and exit. */
  | { readonly kind: 'stop' };

/** What a child recorded since its last batch; sent every `FLUSH_MS` when there is news. */
export interface ChildBatch {
  readonly kind: 'batch';
  /** Interviewer events its recording platform received. */
  readonly events: PostedEvent[];
  /** Timer jobs its workers finished (a job is sent once, when done). */
  readonly handled: HandledJob[];
  /** Scorecards its platform received so far (a total). */
  readonly scorecards: number;
  /** Warnings and errors its core logged, and its bare worker's errors. */
  readonly problems: string[];
  /** Bare jobs its bare worker ran. */
  readonly bareRuns: BareRun[];
}

/** A child's answer to `report`, sent after the batch that flushed everything. */
export interface ChildReport {
  readonly kind: 'report';
  /** The child's load since the window's `measure`. */
  readonly load: ProcessLoad;
  /** Timer jobs still running at the end of the window (not in any batch yet). */
  readonly running: HandledJob[];
  /** Commands sent since each series' counts were last reset, as the bench process counts. */
  readonly commands: { readonly rounds: CommandSnapshot; readonly bare: CommandSnapshot };
}

/** From a child to the bench process. */
export type FromChild = { readonly kind: 'ready' } | ChildBatch | ChildReport;
