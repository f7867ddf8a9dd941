import type { BareRun } from './bare-queue.js';
import type { PostedEvent } from './recording-platform.js';
import type { DueEvent, StartedRound } from './round-driver.js';
import type { HandledJob } from './rounds-node.js';
import { type Summary, summarize } from './stats.js';

/** Lateness and throughput of one series (mockdesign events, or bare jobs). */
export interface SeriesFigures {
  /** Events (jobs) expected and seen. */
  readonly expected: number;
  readonly seen: number;
  /** Actual time − due time, ms. */
  readonly lateness: Summary;
  /** Seen ÷ busy window (first to last), per second. */
  readonly perSecond: number;
  /** Most seen within one wall second. */
  readonly peakPerSecond: number;
  readonly busyWindowMs: number;
  /** Most jobs due but not yet started by the worker at one instant. */
  readonly peakBacklog: number;
  /** Most jobs running at once (the worker's concurrency caps it). */
  readonly peakInFlight: number;
  /** Wall ms during which every worker slot was busy. */
  readonly saturatedMs: number;
}

/** Bare BullMQ's figures, with its lateness by the timeline event each job mirrors. */
export interface BareFigures extends SeriesFigures {
  readonly byEvent: Record<string, Summary>;
}

/** Per timer event id: how late its posts were, and how long its jobs took. */
export interface EventFigures {
  readonly lateness: Summary;
  readonly jobTime: Summary;
}

/** mockdesign's figures, with where the lateness comes from. */
export interface RoundFigures extends SeriesFigures {
  /** Worker pick-up of the job that posted the event − due time: BullMQ's share. */
  readonly pickupLateness: Summary;
  /** Post − pick-up: the core's Redis round trips and work before the platform sees it. */
  readonly coreTime: Summary;
  /** Events posted by a later event's job (it picked up first and applied earlier events). */
  readonly rodeAlong: number;
  /** Whole job handling time (pick-up → done), every timer job including scoring. */
  readonly jobTime: Summary;
  /** The same by event id (`score` included), in timeline order. */
  readonly byEvent: Record<string, EventFigures>;
  /** Scoring jobs started before the last round's `end` line was posted (inside the ends' burst). */
  readonly scoringBeforeLastEnd: number;
  /** Rounds whose thread got exactly the timeline's events, once each, in order. */
  readonly roundsInOrder: number;
  readonly duplicates: number;
  readonly missing: number;
}

/**
 * A record and the process that made it (`BENCH_PROCESSES` > 1: 0 is the bench process), so a
 * post is tied to a job of its own process; none means one process made them all.
 */
export type Sourced<T> = T & { readonly process?: number };

/** A worker's view of a job: when it was due, started and finished (0: never). */
interface Run {
  readonly dueAt: number;
  readonly startedAt: number;
  readonly finishedAt: number;
}

/** Lateness of every interviewer event posted, against its due wall time. */
export function roundFigures(
  rounds: readonly StartedRound[],
  due: readonly DueEvent[],
  posted: readonly Sourced<PostedEvent>[],
  handled: readonly Sourced<HandledJob>[],
  concurrency: number,
): RoundFigures {
  const sessionOf = new Map(rounds.map((r) => [r.thread, r.id]));
  const dueAt = new Map(due.map((d) => [`${d.sessionId}-${d.event}`, d.dueAt]));
  const expectedOrder = new Map<string, string[]>();
  for (const d of due) {
    const list = expectedOrder.get(d.sessionId) ?? [];
    list.push(d.event);
    expectedOrder.set(d.sessionId, list);
  }
  const lateness: number[] = [];
  const pickup: number[] = [];
  const core: number[] = [];
  const latenessByEvent = new Map<string, number[]>();
  const seenBySession = new Map<string, string[]>();
  const times: number[] = [];
  let rodeAlong = 0;
  const jobs = jobsBySession(handled);
  for (const p of posted) {
    const session = sessionOf.get(p.thread);
    if (!session) continue;
    const list = seenBySession.get(session) ?? [];
    list.push(p.event);
    seenBySession.set(session, list);
    const id = `${session}-${p.event}`;
    const due = dueAt.get(id);
    if (due === undefined) continue;
    lateness.push(p.at - due);
    push(latenessByEvent, p.event, p.at - due);
    times.push(p.at);
    const job = jobAt(jobs.get(jobsKey(p.process, session)), p.at);
    if (job) {
      pickup.push(job.pickedUpAt - due);
      core.push(p.at - job.pickedUpAt);
      if (job.jobId !== id) rodeAlong += 1;
    }
  }
  let roundsInOrder = 0;
  let duplicates = 0;
  let missing = 0;
  for (const [session, expected] of expectedOrder) {
    const seen = seenBySession.get(session) ?? [];
    if (seen.length === expected.length && seen.every((e, i) => e === expected[i]))
      roundsInOrder += 1;
    duplicates += seen.length - new Set(seen).size;
    missing += expected.filter((e) => !seen.includes(e)).length;
  }
  const jobTimeByEvent = new Map<string, number[]>();
  for (const j of handled) if (j.doneAt > 0) push(jobTimeByEvent, j.event, j.doneAt - j.pickedUpAt);
  const order = [...new Set([...due.map((d) => d.event), ...jobTimeByEvent.keys()])];
  const byEvent: Record<string, EventFigures> = {};
  for (const event of order) {
    byEvent[event] = {
      lateness: summarize(latenessByEvent.get(event) ?? []),
      jobTime: summarize(jobTimeByEvent.get(event) ?? []),
    };
  }
  const lastEnd = posted.reduce((m, p) => (p.event === 'end' ? Math.max(m, p.at) : m), 0);
  const scoringBeforeLastEnd = handled.filter(
    (j) => j.event === 'score' && j.pickedUpAt < lastEnd,
  ).length;
  const runs = handled.map((j) => ({
    dueAt: j.dueAt,
    startedAt: j.pickedUpAt,
    finishedAt: j.doneAt,
  }));
  return {
    ...series(due.length, lateness, times, runs, concurrency),
    pickupLateness: summarize(pickup),
    coreTime: summarize(core),
    rodeAlong,
    scoringBeforeLastEnd,
    jobTime: summarize(handled.filter((j) => j.doneAt > 0).map((j) => j.doneAt - j.pickedUpAt)),
    byEvent,
    roundsInOrder,
    duplicates,
    missing,
  };
}

/** Lateness of bare jobs: worker start − (added + delay). */
export function bareFigures(
  expected: number,
  runs: readonly BareRun[],
  concurrency: number,
): BareFigures {
  const lateness: number[] = [];
  const byEvent = new Map<string, number[]>();
  for (const r of runs) {
    const late = r.startedAt - r.dueAt;
    lateness.push(late);
    push(byEvent, r.event, late);
  }
  return {
    ...series(
      expected,
      lateness,
      runs.map((r) => r.startedAt),
      runs,
      concurrency,
    ),
    byEvent: Object.fromEntries([...byEvent].map(([event, l]) => [event, summarize(l)])),
  };
}

function series(
  expected: number,
  lateness: number[],
  times: number[],
  runs: readonly Run[],
  concurrency: number,
): SeriesFigures {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  const perSecond = new Map<number, number>();
  for (const t of times) {
    first = Math.min(first, t);
    last = Math.max(last, t);
    const second = Math.floor(t / 1000);
    perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
  }
  const busyWindowMs = times.length > 1 ? last - first : 0;
  const backlog = sweep(runs.map((r) => [r.dueAt, Math.max(r.dueAt, r.startedAt)]));
  const running = sweep(
    runs.map((r) => [r.startedAt, r.finishedAt > 0 ? r.finishedAt : Number.POSITIVE_INFINITY]),
  );
  return {
    expected,
    seen: times.length,
    lateness: summarize(lateness),
    perSecond: busyWindowMs > 0 ? times.length / (busyWindowMs / 1000) : Number.NaN,
    peakPerSecond: [...perSecond.values()].reduce((m, c) => Math.max(m, c), 0),
    busyWindowMs,
    peakBacklog: backlog.peak,
    peakInFlight: running.peak,
    saturatedMs: running.msAtLeast(concurrency),
  };
}

/** Open intervals over time: the most open at once, and how long at least `k` were open. */
function sweep(intervals: readonly (readonly [number, number])[]) {
  const edges: [number, number][] = [];
  for (const [from, to] of intervals) edges.push([from, 1], [to, -1]);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let peak = 0;
  for (const [, delta] of edges) {
    open += delta;
    peak = Math.max(peak, open);
  }
  return {
    peak,
    msAtLeast(k: number): number {
      let count = 0;
      let since = 0;
      let total = 0;
      for (const [t, delta] of edges) {
        const before = count;
        count += delta;
        if (before < k && count >= k) since = t;
        if (before >= k && count < k && Number.isFinite(t)) total += t - since;
      }
      return total;
    },
  };
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The handled jobs of each round, by the process that ran them (a job id is
 * `<round id>-<event>`; round ids have no `-`).
 */
function jobsBySession(handled: readonly Sourced<HandledJob>[]): Map<string, HandledJob[]> {
  const out = new Map<string, HandledJob[]>();
  for (const j of handled) push(out, jobsKey(j.process, j.jobId.slice(0, j.jobId.indexOf('-'))), j);
  return out;
}

/** Where `jobsBySession` files a round's jobs run by a process. */
function jobsKey(process: number | undefined, session: string): string {
  return `${process ?? 0}:${session}`;
}

/**
 * The job that posted a message of a round at `at`: the latest one picked up by then that was not
 * yet done (the handler records when it is done only after its posts).
 */
function jobAt(jobs: readonly HandledJob[] | undefined, at: number): HandledJob | undefined {
  let found: HandledJob | undefined;
  for (const j of jobs ?? []) {
    const running = j.pickedUpAt <= at && (j.doneAt === 0 || j.doneAt >= at);
    if (running && (!found || j.pickedUpAt > found.pickedUpAt)) found = j;
  }
  return found;
}
