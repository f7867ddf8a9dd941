import type { BareQueue, BareRun } from './bare-queue.js';
import type { ChildReport } from './child-messages.js';
import { CommandCounter, type CommandSnapshot } from './command-counter.js';
import type { Sourced } from './lateness-analysis.js';
import type { ProcessLoad } from './load-sampler.js';
import type { PostedEvent } from './recording-platform.js';
import type { ChildRecords } from './rounds-children.js';
import type { HandledJob, RoundsNode } from './rounds-node.js';

/** Everything one process of the system under test and of the baseline recorded. */
export interface ProcessRecords {
  readonly posted: readonly PostedEvent[];
  /** Timer jobs its workers picked up (done or, at the window's end, still running). */
  readonly handled: readonly HandledJob[];
  readonly scorecards: number;
  readonly problems: readonly string[];
  readonly bareRuns: readonly BareRun[];
  /** Commands since each series' counts were last reset. */
  readonly commands: { readonly rounds: CommandSnapshot; readonly bare: CommandSnapshot };
  /** Its load over the rounds' window, and over the bare window (none when together). */
  readonly load: ProcessLoad;
  readonly bareLoad: ProcessLoad | null;
}

/** What one process did, in the result of a run of `BENCH_PROCESSES` > 1. */
export interface ProcessShare {
  /** 0: the bench process (it starts the rounds and adds the bare jobs); 1…: its children. */
  readonly process: number;
  /** Timer jobs its workers handled: interviewer events and scoring. */
  readonly timerJobs: number;
  /** Interviewer events and scorecards its platform received. */
  readonly events: number;
  readonly scorecards: number;
  /** Bare jobs its bare worker ran. */
  readonly bareJobs: number;
  readonly load: ProcessLoad;
  readonly bareLoad: ProcessLoad | null;
}

/** Every process's records, merged as if one process had made them all. */
export interface MergedRecords {
  /** Every interviewer event posted, in time order, each with the process that posted it. */
  readonly posted: Sourced<PostedEvent>[];
  readonly handled: Sourced<HandledJob>[];
  readonly bareRuns: BareRun[];
  readonly scorecards: number;
  readonly problems: string[];
  readonly commands: { readonly rounds: CommandCounter; readonly bare: CommandCounter };
  /** Main-thread busy ms of all processes over the rounds' window and the bare one. */
  readonly busyMs: { readonly rounds: number | null; readonly bare: number | null };
  readonly shares: ProcessShare[];
}

/** The bench process's own records, read when the last window is over. */
export function ownRecords(
  node: RoundsNode,
  bare: BareQueue,
  load: ProcessLoad,
  bareLoad: ProcessLoad | null,
): ProcessRecords {
  return {
    posted: node.platform.events,
    handled: node.handled,
    scorecards: node.platform.scorecards,
    problems: [...node.problems, ...bare.errors],
    bareRuns: bare.runs,
    commands: { rounds: node.commands.snapshot(), bare: bare.commands.snapshot() },
    load,
    bareLoad,
  };
}

/**
 * A child's records, from what it streamed and its reports at the end of the rounds' window and,
 * when the baseline runs after, of the bare window (the last report has the latest counts).
 */
export function childRecords(
  records: ChildRecords,
  rounds: ChildReport,
  bare: ChildReport | null,
): ProcessRecords {
  return {
    posted: records.events,
    handled: [...records.handled, ...records.running],
    scorecards: records.scorecards,
    problems: records.problems,
    bareRuns: records.bareRuns,
    commands: (bare ?? rounds).commands,
    load: rounds.load,
    bareLoad: bare?.load ?? null,
  };
}

/**
 * Merges the records of every process (the bench process first): posts in time order, tagged
 * with their process so each is tied to a job of its own process; jobs, bare runs, problems,
 * scorecards, command counts and busy time added up.
 */
export function mergeProcesses(processes: readonly ProcessRecords[]): MergedRecords {
  const posted: Sourced<PostedEvent>[] = [];
  const handled: Sourced<HandledJob>[] = [];
  const commands = { rounds: new CommandCounter(), bare: new CommandCounter() };
  for (const [i, p] of processes.entries()) {
    for (const e of p.posted) posted.push({ ...e, process: i });
    for (const j of p.handled) handled.push({ ...j, process: i });
    commands.rounds.add(p.commands.rounds);
    commands.bare.add(p.commands.bare);
  }
  // Stable: posts of one process made in the same millisecond keep their order.
  posted.sort((a, b) => a.at - b.at);
  return {
    posted,
    handled,
    bareRuns: processes.flatMap((p) => p.bareRuns),
    scorecards: processes.reduce((n, p) => n + p.scorecards, 0),
    problems: processes.flatMap((p) => p.problems),
    commands,
    busyMs: {
      rounds: sumOrNull(processes.map((p) => p.load.busyMs)),
      bare: sumOrNull(processes.map((p) => p.bareLoad?.busyMs ?? null)),
    },
    shares: processes.map((p, i) => ({
      process: i,
      timerJobs: p.handled.length,
      events: p.posted.length,
      scorecards: p.scorecards,
      bareJobs: p.bareRuns.length,
      load: p.load,
      bareLoad: p.bareLoad,
    })),
  };
}

/** The sum, or none if any is missing. */
function sumOrNull(values: readonly (number | null)[]): number | null {
  let total = 0;
  for (const v of values) {
    if (v === null) return null;
    total += v;
  }
  return total;
}
