/**
 * mockdesign benchmarks. `npm run bench` runs every section; `npm run bench -- timers` only the
 * named ones; `--quick` shrinks each to a smoke run; `--list` names the sections.
 * Environment: REDIS_URL, BENCH_ROUNDS (e.g. `1000,10000`), BENCH_CONCURRENCY, BENCH_TIMEOUT_S,
 * BENCH_PROCESSES (processes per timers series), BENCH_CPU_PROFILE=1 (a CPU profile of each event
 * window, next to the results).
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { eventCostSection } from './event-cost-section.js';
import { parseOptions } from './options.js';
import { benchRedis, deleteKeys } from './redis-info.js';
import { scorerSection } from './scorer-section.js';
import type { BenchContext, BenchSection } from './section.js';
import { slackSection } from './slack-section.js';
import { timersSection } from './timers-section.js';
import { wakeupSection } from './wakeup-section.js';

/** Every benchmark, in the order a full run goes through them. */
const SECTIONS: readonly BenchSection[] = [
  timersSection,
  wakeupSection,
  eventCostSection,
  scorerSection,
  slackSection,
];

/** Clean-up gets this long when the run is interrupted or times out. */
const CLEANUP_MS = 15_000;
/** After a finished run, the process must have exited by itself within this long. */
const EXIT_GRACE_MS = 15_000;

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(argv: string[]): Promise<number> {
  const flags = argv.filter((a) => a.startsWith('--'));
  const names = argv.filter((a) => !a.startsWith('--'));
  if (flags.includes('--list')) {
    for (const s of SECTIONS) log(`${s.name.padEnd(10)} ${s.summary}`);
    return 0;
  }
  const unknownFlag = flags.find((f) => f !== '--quick');
  const unknown = names.filter((n) => !SECTIONS.some((s) => s.name === n));
  if (unknownFlag || unknown.length > 0) {
    process.stderr.write(
      `bench: unknown ${unknownFlag ? `flag ${unknownFlag}` : `section ${unknown.join(', ')}`}; sections: ${SECTIONS.map((s) => s.name).join(', ')}; flags: --quick, --list\n`,
    );
    return 2;
  }
  const selected = names.length > 0 ? SECTIONS.filter((s) => names.includes(s.name)) : SECTIONS;
  const options = parseOptions(
    flags,
    process.env,
    fileURLToPath(new URL('./results/', import.meta.url)),
  );
  const runId = `mdb${randomBytes(5).toString('hex')}`;
  const admin = benchRedis(options.redisUrl, 'admin');
  const cleanups: (() => Promise<void>)[] = [];
  const cleanUp = async () => {
    for (const task of cleanups.splice(0).reverse()) await task().catch(() => {});
    await deleteKeys(admin, runId).catch(() => {});
  };
  const abort = (reason: string, code: number) => {
    process.stderr.write(`bench: ${reason}; deleting this run's keys and stopping\n`);
    setTimeout(() => process.exit(code), CLEANUP_MS).unref();
    cleanUp().finally(() => process.exit(code));
  };
  const watchdog = setTimeout(
    () => abort(`still running after ${options.timeoutMs / 1000} s (BENCH_TIMEOUT_S)`, 3),
    options.timeoutMs,
  );
  watchdog.unref();
  process.once('SIGINT', () => abort('interrupted', 130));
  log(
    `mockdesign bench ${options.quick ? '(quick) ' : ''}run ${runId}: ${selected.map((s) => s.name).join(', ')}; rounds ${options.sizes.join(', ')}`,
  );
  try {
    await admin.ping();
    const ctx: BenchContext = {
      options,
      runId,
      admin,
      log,
      onCleanup: (task) => {
        let ran: Promise<void> | undefined;
        const once = () => {
          ran ??= task();
          return ran;
        };
        cleanups.push(once);
        return once;
      },
    };
    for (const section of selected) {
      log(`\n== ${section.name}: ${section.summary}`);
      await section.run(ctx);
    }
    return 0;
  } finally {
    await cleanUp();
    clearTimeout(watchdog);
    await admin.quit().catch(() => admin.disconnect());
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    setTimeout(() => {
      process.stderr.write('bench: something kept the process alive after the run; exiting\n');
      process.exit(code || 1);
    }, EXIT_GRACE_MS).unref();
  },
  (error: unknown) => {
    process.stderr.write(
      `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
    setTimeout(() => process.exit(1), EXIT_GRACE_MS).unref();
  },
);
