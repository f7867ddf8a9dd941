import { loadavg } from 'node:os';
import type { Redis } from 'ioredis';
import type { Library } from '../rubric/load.js';
import { eventKey } from '../src/round/events.js';
import { timeline } from '../src/round/timeline.js';
import { startBareQueue } from './bare-queue.js';
import type { ChildReport } from './child-messages.js';
import type { CommandCounts } from './command-counter.js';
import { startCpuProfile } from './cpu-profile.js';
import {
  type BareFigures,
  bareFigures,
  type RoundFigures,
  roundFigures,
} from './lateness-analysis.js';
import { type ProcessLoad, sampleLoad } from './load-sampler.js';
import { type MemoryBreakdown, memoryBreakdown } from './memory-breakdown.js';
import { sleep } from './pool.js';
import { childRecords, mergeProcesses, ownRecords, type ProcessShare } from './process-merge.js';
import { countKeys, redisCpuSeconds, totalKeys, usedMemory } from './redis-info.js';
import { addMirrorJobs, dueEvents, readRounds, startRounds } from './round-driver.js';
import { type RoundsChildren, startChildren } from './rounds-children.js';
import { startRoundsNode } from './rounds-node.js';
import type { BenchContext } from './section.js';
import { round } from './stats.js';
import { planFor, SETUP_COST_MS, type TimerPlan } from './timer-plan.js';

/** Everything measured for one number of concurrent rounds. */
export interface SizeResult {
  readonly rounds: number;
  /** Worker concurrency of both queues. */
  readonly concurrency: number;
  readonly plan: TimerPlan;
  /** All events posted, all rounds scored and all bare jobs run before the deadline. */
  readonly complete: boolean;
  readonly setup: {
    readonly startMs: number;
    readonly startsPerSecond: number;
    readonly setupMs: number;
    /** Time left between the end of set-up and the first due event (negative: overlapped). */
    readonly slackBeforeFirstDueMs: number;
    /** Interviewer events already posted when memory was sampled (should be 0). */
    readonly eventsBeforeMemorySample: number;
  };
  readonly memory: {
    readonly usedBefore: number;
    readonly usedWithRounds: number;
    readonly usedWithBareJobs: number;
    /** (used with rounds − used before) ÷ N ÷ 1024. */
    readonly kbPerRound: number;
    /** The bare queue's jobs for the same rounds (6 per round), ÷ N ÷ 1024. */
    readonly bareKbPerRound: number;
    /** `MEMORY USAGE` by kind of key, bytes per round. */
    readonly breakdownBytes: MemoryBreakdown;
    /**
     * Keys other clients added (or that expired) between the two samples; not 0 means someone
     * else was using this Redis and the `INFO` difference is not all ours.
     */
    readonly foreignKeyChange: number;
  };
  readonly mockdesign: RoundFigures;
  readonly bare: BareFigures;
  /** Commands the client sent during the event window. */
  readonly redisCommands: {
    readonly perInterviewerEvent: CommandCounts;
    readonly perBareJob: CommandCounts;
  };
  /** How busy the machine was during the event window. */
  readonly load: {
    /** 1-minute load average when the size began (other processes count too). */
    readonly loadAverageBefore: number;
    readonly windowMs: number;
    /** This process: both workers, the core and the recording platform (children: `byProcess`). */
    readonly node: ProcessLoad;
    /** This process while the bare baseline ran alone after the rounds (none when together). */
    readonly bare: ProcessLoad | null;
    /**
     * Main-thread busy time per event, µs: the rounds' window (events, their posts, and the main
     * thread's share of scoring) ÷ interviewer events, beside the bare window ÷ bare jobs; with
     * several processes, their main threads' busy time added up.
     */
    readonly busyUsPerEvent: { readonly mockdesign: number | null; readonly bare: number | null };
    /** Redis CPU time ÷ wall time, percent. */
    readonly redisCpuPercent: number | null;
  };
  /** Warnings and errors the core logged (e.g. failed timer jobs), with a few examples. */
  readonly problems: { readonly count: number; readonly examples: string[] };
  /**
   * With `BENCH_PROCESSES` > 1: what each process did (the bench process first); every figure
   * above covers them all.
   */
  readonly byProcess?: readonly ProcessShare[];
}

export interface SizeContext {
  readonly library: Library;
  readonly redisUrl: string;
  readonly admin: Redis;
  /** Key prefix of this measurement; every key it creates contains it. */
  readonly prefix: string;
  readonly concurrency: number;
  /** Where to write a CPU profile of the event window, if one is wanted. */
  readonly cpuProfileFile?: string;
  /** Rounds started per second (paced starts); as fast as possible when undefined. */
  readonly startRate?: number;
  /** Whether the bare baseline runs alone after the rounds, or at the same instants. */
  readonly baseline: 'after' | 'together';
  /** Processes each series runs in: this one and `processes − 1` children. */
  readonly processes: number;
  readonly log: (line: string) => void;
  /** Registers clean-up for an interrupted run (the children are killed). */
  readonly onCleanup: BenchContext['onCleanup'];
}

/** How often the run checks whether everything has arrived. */
const POLL_MS = 250;

/** Time left, after adding the baseline's jobs, before the first of them is due. */
const BARE_LEAD_MS = 2000;

/**
 * Runs N real rounds (Redis store, BullMQ scheduler, one worker) and N rounds' worth of bare no-op
 * BullMQ jobs with the same due pattern (alone afterwards, or at the same instants), and measures
 * how late each fires. With `processes` > 1, that many processes share both series' jobs: this
 * one, which also starts the rounds and adds the bare jobs, and children (`rounds-child.ts`).
 */
export async function measureSize(ctx: SizeContext, n: number): Promise<SizeResult> {
  const { library, admin, prefix } = ctx;
  const plan = planFor(library, n, ctx.startRate);
  ctx.log(
    `${n} rounds${ctx.startRate ? `, started ${ctx.startRate}/s` : ''}: ${(plan.roundWallMs / 1000).toFixed(1)} s each (time scale ${plan.timeScale.toFixed(5)}), first event ${(plan.firstEventMs / 1000).toFixed(1)} s after start`,
  );
  const node = await startRoundsNode({
    library,
    redisUrl: ctx.redisUrl,
    prefix,
    timeScale: plan.timeScale,
    concurrency: ctx.concurrency,
  });
  const barePrefix = `{${prefix}bare}`;
  const bare = await startBareQueue({
    redisUrl: ctx.redisUrl,
    prefix: barePrefix,
    concurrency: ctx.concurrency,
  });
  const children = startChildren(ctx.processes - 1, {
    redisUrl: ctx.redisUrl,
    prefix,
    timeScale: plan.timeScale,
    barePrefix,
    concurrency: ctx.concurrency,
  });
  ctx.onCleanup(() => children.kill());
  let finished = false;
  try {
    // Every child up (its bare worker idle) before the first round starts or bare job is added.
    await children.ready;
    await sleep(200);
    const loadAverageBefore = round(loadavg()[0] ?? 0, 2) ?? 0;
    const keys0 = { total: await totalKeys(admin), own: await countKeys(admin, prefix) };
    const usedBefore = await usedMemory(admin);
    const t0 = Date.now();
    await startRounds(node, n, plan.minutes, ctx.startRate);
    const startMs = Date.now() - t0;
    const usedWithRounds = await usedMemory(admin);
    const keys1 = { total: await totalKeys(admin), own: await countKeys(admin, prefix) };
    const posted = () => node.platform.events.length + children.events();
    const scorecards = () => node.platform.scorecards + children.scorecards();
    const bareRuns = () => bare.runs.length + children.bareRuns();
    const eventsBeforeMemorySample = posted();
    const rounds = await readRounds(node);
    const due = dueEvents(library.rubric, rounds);
    const breakdownBytes = await memoryBreakdown(
      admin,
      { storePrefix: prefix, queuePrefix: `{${prefix}}`, queueName: 'timers', platform: 'bench' },
      rounds,
      timeline(library.rubric, plan.minutes).map((e) => eventKey(e.event)),
    );
    const together = ctx.baseline === 'together';
    let usedBeforeBare = usedWithRounds;
    let usedWithBareJobs = usedWithRounds;
    if (together) {
      await addMirrorJobs(bare, due);
      usedWithBareJobs = await usedMemory(admin);
    }
    const setupMs = Date.now() - t0;
    const firstDue = due.reduce((m, d) => Math.min(m, d.dueAt), Number.POSITIVE_INFINITY);
    const lastDue = due.reduce((m, d) => Math.max(m, d.dueAt), 0);
    const slack = firstDue - Date.now();
    ctx.log(
      `  started in ${(startMs / 1000).toFixed(1)} s; set-up done ${(slack / 1000).toFixed(1)} s before the first event; waiting ${((lastDue - Date.now()) / 1000).toFixed(0)} s for the last`,
    );

    node.commands.reset();
    bare.commands.reset();
    children.measure('rounds');
    const redisCpu0 = await redisCpuSeconds(admin);
    const w0 = Date.now();
    const sampler = sampleLoad();
    const profile = ctx.cpuProfileFile ? await startCpuProfile() : undefined;
    const deadline = lastDue + 30_000 + n * 3;
    const roundsDone = () => posted() >= due.length && scorecards() >= n;
    const bareDone = () => bareRuns() >= due.length;
    const done = () => roundsDone() && bareDone();
    await waitUntil(together ? done : roundsDone, deadline, children);
    const nodeLoad = sampler.stop();
    const roundsReports = await children.report();
    if (profile && ctx.cpuProfileFile) {
      await profile.stop(ctx.cpuProfileFile);
      ctx.log(`  wrote ${ctx.cpuProfileFile}`);
    }
    const windowMs = Date.now() - w0;
    const redisCpu = (await redisCpuSeconds(admin)) - redisCpu0;
    let bareLoad: ProcessLoad | null = null;
    let bareReports: ChildReport[] | null = null;
    if (!together) {
      // The baseline alone: the same due pattern, shifted to start once its jobs are added.
      const addMs = due.length * SETUP_COST_MS.perBareJob;
      const shift = Date.now() + addMs + BARE_LEAD_MS - firstDue;
      usedBeforeBare = await usedMemory(admin);
      await addMirrorJobs(
        bare,
        due.map((d) => ({ ...d, dueAt: d.dueAt + shift })),
      );
      usedWithBareJobs = await usedMemory(admin);
      bare.commands.reset();
      children.measure('bare');
      const bareDeadline = lastDue + shift + 30_000 + n * 3;
      const bareSampler = sampleLoad();
      await waitUntil(bareDone, bareDeadline, children);
      bareLoad = bareSampler.stop();
      bareReports = await children.report();
    }
    const complete = done();
    if (!complete) {
      ctx.log(
        `  deadline passed: ${posted()}/${due.length} events, ${scorecards()}/${n} scorecards, ${bareRuns()}/${due.length} bare jobs`,
      );
    }
    const merged = mergeProcesses([
      ownRecords(node, bare, nodeLoad, bareLoad),
      ...children
        .records()
        .map((r, i) => childRecords(r, roundsReports[i] as ChildReport, bareReports?.[i] ?? null)),
    ]);
    // Every process's worker slots: "all slots busy" means busy in every process.
    const slots = ctx.concurrency * ctx.processes;
    const mockdesign = roundFigures(rounds, due, merged.posted, merged.handled, slots);
    const result: SizeResult = {
      rounds: n,
      concurrency: ctx.concurrency,
      plan,
      complete,
      setup: {
        startMs,
        startsPerSecond: round(n / (startMs / 1000)) ?? 0,
        setupMs,
        slackBeforeFirstDueMs: slack,
        eventsBeforeMemorySample,
      },
      memory: {
        usedBefore,
        usedWithRounds,
        usedWithBareJobs,
        kbPerRound: (usedWithRounds - usedBefore) / n / 1024,
        bareKbPerRound: (usedWithBareJobs - usedBeforeBare) / n / 1024,
        breakdownBytes,
        foreignKeyChange: keys1.total - keys0.total - (keys1.own - keys0.own),
      },
      mockdesign,
      bare: bareFigures(due.length, merged.bareRuns, slots),
      redisCommands: {
        perInterviewerEvent: merged.commands.rounds.perUnit(Math.max(1, mockdesign.seen)),
        perBareJob: merged.commands.bare.perUnit(Math.max(1, merged.bareRuns.length)),
      },
      load: {
        loadAverageBefore,
        windowMs,
        node: nodeLoad,
        bare: bareLoad,
        busyUsPerEvent: {
          mockdesign: perEvent(merged.busyMs.rounds, mockdesign.seen),
          bare: perEvent(merged.busyMs.bare, merged.bareRuns.length),
        },
        redisCpuPercent: round(((redisCpu * 1000) / windowMs) * 100),
      },
      problems: { count: merged.problems.length, examples: merged.problems.slice(0, 5) },
      ...(ctx.processes > 1 ? { byProcess: merged.shares } : {}),
    };
    finished = true;
    return result;
  } finally {
    await (finished ? children.stop() : children.kill());
    await node.close();
    await bare.close();
  }
}

/**
 * Polls until `done()` or the deadline; throws if a child process is gone, as its share of the
 * jobs would be neither run nor reported.
 */
async function waitUntil(
  done: () => boolean,
  deadline: number,
  children: RoundsChildren,
): Promise<void> {
  while (!done() && Date.now() < deadline) {
    const lost = children.lost();
    if (lost) throw new Error(`timers: ${lost}`);
    await sleep(POLL_MS);
  }
}

/** Busy milliseconds ÷ count, in µs; none when either is missing. */
function perEvent(busyMs: number | null, count: number): number | null {
  return busyMs === null || count === 0 ? null : round((busyMs * 1000) / count);
}
