/** What a benchmark run was asked to do, from the command line and the environment. */
export interface BenchOptions {
  /** `--quick`: a smoke run with small sizes. */
  readonly quick: boolean;
  /** Sizes came from `BENCH_ROUNDS` rather than the defaults. */
  readonly custom: boolean;
  /** Concurrent rounds per measurement (`BENCH_ROUNDS=1000,10000`; default 1,000 and 10,000; quick 200). */
  readonly sizes: readonly number[];
  /** Redis for sessions and BullMQ (`REDIS_URL`, default `redis://127.0.0.1:6379`). */
  readonly redisUrl: string;
  /** Worker concurrency, as in production (`BENCH_CONCURRENCY`, default 100). */
  readonly concurrency: number;
  /** Where JSON results go (default `bench/results`). */
  readonly resultsDir: string;
  /** `BENCH_CPU_PROFILE=1`: write a CPU profile of each event window next to the results. */
  readonly cpuProfile: boolean;
  /** The whole run is stopped after this long (`BENCH_TIMEOUT_S`; default 20 min, quick 3 min). */
  readonly timeoutMs: number;
  /**
   * Rounds started per second (`BENCH_START_RATE`), so each kind of interviewer event falls due
   * about this many times a second; default: as fast as the rounds can be started.
   */
  readonly startRate?: number;
  /**
   * How the bare BullMQ baseline shares the machine (`BENCH_BASELINE`): `after` (default) runs it
   * alone once every round is scored, with the same due pattern; `together` runs it at the same
   * instants as the rounds, so each carries the other's load as well as its own.
   */
  readonly baseline: 'after' | 'together';
  /**
   * Processes the timers section runs each series in (`BENCH_PROCESSES`, 1–8, default 1): the
   * bench process and `processes − 1` children, every one working timer jobs (and, for the
   * baseline, bare jobs) on the same Redis, as bot and `mockdesign worker` processes share one.
   */
  readonly processes: number;
}

const DEFAULT_SIZES = [1000, 10_000];
const QUICK_SIZES = [200];
/** More processes than this would only share the same cores more thinly. */
const MAX_PROCESSES = 8;

/** Parses `--quick` and the `BENCH_*` and `REDIS_URL` variables; throws on a bad value. */
export function parseOptions(
  flags: readonly string[],
  env: NodeJS.ProcessEnv,
  resultsDir: string,
): BenchOptions {
  const quick = flags.includes('--quick');
  const sizes = env.BENCH_ROUNDS
    ? env.BENCH_ROUNDS.split(',').map((v) => positiveInt('BENCH_ROUNDS', v, 100_000))
    : quick
      ? QUICK_SIZES
      : DEFAULT_SIZES;
  const concurrency = env.BENCH_CONCURRENCY
    ? positiveInt('BENCH_CONCURRENCY', env.BENCH_CONCURRENCY, 1000)
    : 100;
  const timeoutS = env.BENCH_TIMEOUT_S
    ? positiveInt('BENCH_TIMEOUT_S', env.BENCH_TIMEOUT_S, 24 * 3600)
    : quick
      ? 180
      : 1200;
  const startRate = env.BENCH_START_RATE
    ? positiveInt('BENCH_START_RATE', env.BENCH_START_RATE, 100_000)
    : undefined;
  const processes = env.BENCH_PROCESSES
    ? positiveInt('BENCH_PROCESSES', env.BENCH_PROCESSES, MAX_PROCESSES)
    : 1;
  const baseline = env.BENCH_BASELINE ?? 'after';
  if (baseline !== 'after' && baseline !== 'together') {
    throw new Error(`BENCH_BASELINE: expected "after" or "together", got "${baseline}"`);
  }
  return {
    quick,
    baseline,
    processes,
    custom: Boolean(env.BENCH_ROUNDS) || startRate !== undefined,
    ...(startRate === undefined ? {} : { startRate }),
    cpuProfile: env.BENCH_CPU_PROFILE === '1',
    sizes,
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    concurrency,
    resultsDir,
    timeoutMs: timeoutS * 1000,
  };
}

function positiveInt(name: string, value: string, max: number): number {
  const n = Number(value.trim());
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new Error(`${name}: expected whole numbers from 1 to ${max}, got "${value}"`);
  }
  return n;
}
