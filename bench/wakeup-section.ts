import { startBareQueue } from './bare-queue.js';
import { sleep } from './pool.js';
import { deleteKeys, serverFacts } from './redis-info.js';
import { writeResults } from './report.js';
import type { BenchSection } from './section.js';
import { summarize } from './stats.js';

/**
 * Idle time before each job is added, ms; up to as much again is added at random, so due times
 * fall anywhere between two of Redis's timer checks.
 */
const IDLE_MS = 200;
/** How long after it is added each job is due, ms. */
const DUE_IN_MS = 300;
/** A job not picked up this long after it is due stops the section with an error. */
const GIVE_UP_MS = 5000;

/**
 * How late an idle BullMQ worker picks up a delayed job: the worker waits in a blocking Redis
 * command whose timeout Redis checks `hz` times a second, so this is the floor of every timer's
 * lateness on a quiet Redis (and why the compose file runs Redis at `hz 100`). Runs before the
 * timers section, on a Redis that has nothing else to do.
 */
export const wakeupSection: BenchSection = {
  name: 'wakeup',
  summary: 'pick-up lateness of one delayed job at a time by an idle BullMQ worker, with Redis hz',
  async run(ctx) {
    const { options, admin, runId, log } = ctx;
    const samples = options.quick ? 20 : 200;
    const prefix = `{${runId}wake}`;
    const bare = await startBareQueue({ redisUrl: options.redisUrl, prefix, concurrency: 1 });
    // Set when the run is interrupted too, so the loop below stops waiting for jobs.
    let stopped = false;
    const stop = ctx.onCleanup(async () => {
      stopped = true;
      await bare.close();
      await deleteKeys(admin, prefix);
    });
    try {
      const { hz } = await serverFacts(admin);
      for (let i = 0; i < samples && !stopped; i++) {
        await sleep(IDLE_MS * (1 + Math.random()));
        await bare.addBulk([{ id: `w${i}`, event: 'wake', delayMs: DUE_IN_MS }]);
        const giveUp = Date.now() + DUE_IN_MS + GIVE_UP_MS;
        while (bare.runs.length <= i && Date.now() < giveUp && !stopped) await sleep(1);
        if (bare.runs.length <= i && !stopped) {
          throw new Error(
            `wakeup: job w${i} was not picked up within ${GIVE_UP_MS} ms of its due time${bare.errors.length > 0 ? ` (${bare.errors.join('; ')})` : ''}`,
          );
        }
      }
      const s = summarize(bare.runs.map((r) => r.startedAt - r.dueAt));
      log('');
      log(
        `wakeup: ${samples} delayed jobs, one at a time, each due ${DUE_IN_MS} ms after it is added to an idle worker; Redis hz ${hz}`,
      );
      log(
        `  pick-up lateness p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms, max ${s.max.toFixed(1)} ms`,
      );
      const kind = options.quick ? 'quick' : 'full';
      for (const path of await writeResults(options.resultsDir, 'wakeup', kind, {
        benchmark: 'wakeup',
        date: new Date().toISOString(),
        kind,
        redisHz: hz,
        samples,
        dueInMs: DUE_IN_MS,
        lateness: s,
      })) {
        log(`  wrote ${path}`);
      }
    } finally {
      await stop();
    }
  },
};
