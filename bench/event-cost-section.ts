import { loadLibrary } from '../rubric/load.js';
import { timerFor } from '../src/ports/scheduler.js';
import { eventKey, type RoundEvent } from '../src/round/events.js';
import { timeline } from '../src/round/timeline.js';
import { startBareQueue } from './bare-queue.js';
import { inPool, sleep } from './pool.js';
import { deleteKeys } from './redis-info.js';
import { writeResults } from './report.js';
import { readRounds, type StartedRound, startRounds } from './round-driver.js';
import { startRoundsNode } from './rounds-node.js';
import type { BenchSection } from './section.js';
import { round } from './stats.js';

/** Core calls in flight at once, like the interviewer lane's slots. */
const IN_FLIGHT = 100;
/** Rounds (and bare jobs) run first and not measured, so the code is compiled when measured. */
const WARM_UP = 300;
/** Bare jobs measured per round measured: enough that the worker's fixed costs do not count. */
const BARE_JOBS_PER_ROUND = 3;
/** How long after they are added the bare jobs fall due, ms. */
const BARE_DUE_MS = 1500;

/** CPU time (user + system, µs) this process spends running `work`. */
async function cpuOf(work: () => Promise<void>): Promise<{ user: number; system: number }> {
  const before = process.cpuUsage();
  await work();
  return process.cpuUsage(before);
}

/**
 * What one interviewer event costs the process, in CPU, beside what a bare BullMQ job costs: the
 * core (`Rounds.onTimer`, its Redis writes and its post) called directly for every timeline event
 * of N rounds, 100 at a time, without BullMQ; then 3N no-op BullMQ jobs falling due at once on a
 * worker of 100 slots, measured from the first job's start. The timers section's lateness is queueing behind this work, so this is
 * where a cheaper event shows first, without the timers section's noise.
 */
export const eventCostSection: BenchSection = {
  name: 'cost',
  summary: 'CPU per interviewer event in the core, beside CPU per bare BullMQ job',
  async run(ctx) {
    const { options, admin, runId, log } = ctx;
    const n = options.quick ? 300 : 3000;
    const library = await loadLibrary();
    const prefix = `${runId}cost`;
    const node = await startRoundsNode({
      library,
      redisUrl: options.redisUrl,
      prefix,
      // Real-time rounds: none of their own timers falls due while they are measured.
      timeScale: 1,
      concurrency: options.concurrency,
      work: false,
    });
    const bare = await startBareQueue({
      redisUrl: options.redisUrl,
      prefix: `{${runId}costbare}`,
      concurrency: options.concurrency,
    });
    const stop = ctx.onCleanup(async () => {
      await node.close();
      await bare.close();
      await deleteKeys(admin, prefix);
    });
    try {
      await startRounds(node, WARM_UP + n, 45);
      const rounds = await readRounds(node);
      const events = timeline(library.rubric, 45).map((e) => e.event);
      const fireAll = (some: readonly StartedRound[], event: RoundEvent) =>
        inPool(some.length, IN_FLIGHT, async (i) => {
          const r = some[i] as StartedRound;
          await node.rounds.onTimer(timerFor(r.id, event, Date.now()));
        });
      const warm = rounds.slice(0, WARM_UP);
      const measured = rounds.slice(WARM_UP);
      for (const event of events) await fireAll(warm, event);
      const perEvent: Record<string, { user: number; system: number; total: number }> = {};
      for (const event of events) {
        const cpu = await cpuOf(() => fireAll(measured, event));
        perEvent[eventKey(event)] = {
          user: round(cpu.user / n, 0) ?? 0,
          system: round(cpu.system / n, 0) ?? 0,
          total: round((cpu.user + cpu.system) / n, 0) ?? 0,
        };
      }
      if (node.platform.events.length !== events.length * (WARM_UP + n)) {
        throw new Error(
          `cost: ${node.platform.events.length} lines posted, ${events.length * (WARM_UP + n)} expected`,
        );
      }
      const bareBatch = async (count: number, tag: string) => {
        const seen = bare.runs.length;
        await bare.addBulk(
          Array.from({ length: count }, (_, i) => ({
            id: `${tag}${i}`,
            event: 'noop',
            delayMs: BARE_DUE_MS,
          })),
        );
        // Measured from the first job's start, so the wait before it does not count.
        while (bare.runs.length === seen) await sleep(1);
        return cpuOf(async () => {
          while (bare.runs.length < seen + count) await sleep(1);
        });
      };
      await bareBatch(WARM_UP, 'warm');
      const bareJobs = BARE_JOBS_PER_ROUND * n;
      const bareCpu = await bareBatch(bareJobs, 'job');
      const bareTotal = round((bareCpu.user + bareCpu.system) / bareJobs, 0) ?? 0;
      log('');
      log(
        `cost: CPU per interviewer event of the core (${n} rounds, ${IN_FLIGHT} in flight, no BullMQ), beside a bare BullMQ job (${BARE_JOBS_PER_ROUND * n} due at once, concurrency ${options.concurrency})`,
      );
      for (const [event, c] of Object.entries(perEvent)) {
        log(
          `  ${event.padEnd(22)} ${String(c.total).padStart(5)} µs (user ${c.user}, system ${c.system})`,
        );
      }
      log(`  ${'bare BullMQ job'.padEnd(22)} ${String(bareTotal).padStart(5)} µs`);
      const kind = options.quick ? 'quick' : 'full';
      for (const path of await writeResults(options.resultsDir, 'cost', kind, {
        benchmark: 'cost',
        date: new Date().toISOString(),
        kind,
        rounds: n,
        inFlight: IN_FLIGHT,
        cpuMicrosecondsPerEvent: perEvent,
        bareJobs: BARE_JOBS_PER_ROUND * n,
        cpuMicrosecondsPerBareJob: bareTotal,
      })) {
        log(`  wrote ${path}`);
      }
    } finally {
      await stop();
    }
  },
};
