import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadLibrary } from '../rubric/load.js';
import { machineFacts } from './machine.js';
import { deleteKeys } from './redis-info.js';
import { details, TARGETS, table, verdicts, writeResults } from './report.js';
import type { BenchContext, BenchSection } from './section.js';
import { measureSize, type SizeResult } from './timer-lateness.js';
import { SETUP_COST_MS } from './timer-plan.js';

/**
 * Timer lateness: interviewer events of N concurrent real rounds against their due times, side by
 * side with bare BullMQ delayed jobs under the same load; events/s; Redis memory per round.
 */
export const timersSection: BenchSection = {
  name: 'timers',
  summary: 'interviewer-event lateness vs bare BullMQ, events/s, Redis KB per round',
  async run(ctx: BenchContext) {
    const { options, admin, log } = ctx;
    const library = await loadLibrary();
    const machine = await machineFacts(admin);
    log(
      `machine: ${machine.cpus} cpus, node ${machine.node}, redis ${machine.redis.version} (hz ${machine.redis.hz}), load average ${machine.loadAverage1m}; worker concurrency ${options.concurrency}; processes ${options.processes}; bare BullMQ baseline ${options.baseline === 'after' ? 'alone, after the rounds' : 'together with the rounds'}`,
    );
    if (options.cpuProfile) await mkdir(options.resultsDir, { recursive: true });
    const results: SizeResult[] = [];
    for (const n of options.sizes) {
      const prefix = `${ctx.runId}n${n}r`;
      ctx.onCleanup(() => deleteKeys(admin, prefix).then(() => {}));
      try {
        results.push(
          await measureSize(
            {
              library,
              redisUrl: options.redisUrl,
              admin,
              prefix,
              concurrency: options.concurrency,
              baseline: options.baseline,
              processes: options.processes,
              ...(options.startRate ? { startRate: options.startRate } : {}),
              ...(options.cpuProfile
                ? {
                    cpuProfileFile: join(options.resultsDir, `timers-${n}-${ctx.runId}.cpuprofile`),
                  }
                : {}),
              log,
              onCleanup: ctx.onCleanup,
            },
            n,
          ),
        );
      } finally {
        await deleteKeys(admin, prefix);
      }
    }
    const checks = verdicts(results);
    log('');
    log(table(results, checks));
    log('');
    log(details(results));
    const kind = options.custom ? 'custom' : options.quick ? 'quick' : 'full';
    const written = await writeResults(options.resultsDir, 'timers', kind, {
      benchmark: 'timers',
      date: new Date().toISOString(),
      kind,
      options: {
        sizes: options.sizes,
        concurrency: options.concurrency,
        baseline: options.baseline,
        processes: options.processes,
      },
      machine,
      setupCostAssumedMs: SETUP_COST_MS,
      targets: TARGETS,
      verdicts: checks,
      results,
    });
    log('');
    for (const file of written) log(`wrote ${file}`);
  },
};
