import { Queue, Worker } from 'bullmq';
import { benchRedis, deleteKeys } from './redis-info.js';
import { writeResults } from './report.js';
import type { BenchSection } from './section.js';
import { summarize } from './stats.js';

/**
 * Idle time before each job is added (plus up to as much again at random, so due times fall
 * anywhere between two of Redis's timer checks), and how far ahead it is due, ms.
 */
const IDLE_MS = 200;
const DUE_IN_MS = 300;

/**
 * How late an idle BullMQ worker picks up a delayed job: the worker waits in a blocking Redis
 * command whose timeout Redis checks `hz` times a second, so this is the floor of every timer's
 * lateness on a quiet Redis (and why the compose file runs Redis at `hz 100`).
 */
export const wakeupSection: BenchSection = {
  name: 'wakeup',
  summary: 'pick-up lateness of one delayed job at a time by an idle BullMQ worker, with Redis hz',
  async run(ctx) {
    const { options, admin, runId, log } = ctx;
    const samples = options.quick ? 10 : 40;
    const prefix = `{${runId}wake}`;
    ctx.onCleanup(() => deleteKeys(admin, prefix).then(() => {}));
    const connection = benchRedis(options.redisUrl, 'wakeup');
    const workerConnection = benchRedis(options.redisUrl, 'wakeup-worker');
    const queue = new Queue('wakeup', { connection, prefix });
    const due = new Map<string, number>();
    const late: number[] = [];
    let picked: (() => void) | undefined;
    const worker = new Worker(
      'wakeup',
      async (job) => {
        late.push(Date.now() - (due.get(job.id ?? '') ?? Number.NaN));
        picked?.();
      },
      { connection: workerConnection, prefix },
    );
    try {
      await worker.waitUntilReady();
      const info = await admin.info('server');
      const hz = /^hz:(\d+)/m.exec(info)?.[1] ?? '?';
      for (let i = 0; i < samples; i++) {
        await new Promise((go) => setTimeout(go, IDLE_MS * (1 + Math.random())));
        const id = `w${i}`;
        const done = new Promise<void>((go) => {
          picked = go;
        });
        due.set(id, Date.now() + DUE_IN_MS);
        await queue.add('wake', {}, { jobId: id, delay: DUE_IN_MS, removeOnComplete: true });
        await done;
      }
      const s = summarize(late);
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
        redisHz: Number(hz),
        samples,
        dueInMs: DUE_IN_MS,
        lateness: s,
      })) {
        log(`  wrote ${path}`);
      }
    } finally {
      await worker.close();
      await queue.close();
      await Promise.allSettled([connection.quit(), workerConnection.quit()]);
      await deleteKeys(admin, prefix);
    }
  },
};
