import { Worker } from 'node:worker_threads';
import type { Rubric } from '../rubric/schema.js';
import { MockdesignError } from '../src/errors.js';
import { SCORING_INTERRUPTED, type Scorer } from '../src/ports/scorer.js';
import type { Scorecard } from '../src/scoring/scorecard.js';
import type { Transcript } from '../src/transcript.js';

/** The thread's code, loaded through tsx like the rest of the TypeScript. */
const THREAD = new URL('./scoring-thread.ts', import.meta.url);
const TSX = import.meta.resolve('tsx/esm/api');

/**
 * The longest the thread may work without answering before it is taken for stuck: some 75 times
 * what the longest round a person can write takes alone (about 4 s), room for a machine so busy
 * that the thread, at the lowest CPU priority, waits its turn for minutes.
 */
export const SCORING_STALL_MS = 5 * 60_000;

export interface ThreadedScorerOptions {
  /** See {@link SCORING_STALL_MS}. */
  readonly stallMs?: number;
  /** The thread's code (default `scoring-thread.ts`); a test gives one that can be made to hang. */
  readonly thread?: URL;
}

interface Pending {
  readonly worker: Worker;
  readonly resolve: (scorecard: Scorecard) => void;
  readonly reject: (error: Error) => void;
}

/**
 * The heuristic engine on a thread of its own: scoring a long transcript (up to 200 replies of
 * 20,000 characters) takes a while, and on the main thread it would hold up every round's timers,
 * posts and replies meanwhile. The thread starts on first use; if it dies, what it was scoring
 * fails (the scoring job is tried again) and the next score starts a new one. A thread that works
 * on for `stallMs` without an answer is stopped the same way, so one transcript that the engine
 * cannot finish never holds up the scorecards of every round after it.
 */
export class ThreadedScorer implements Scorer {
  readonly name = 'heuristic';
  /** One transcript on the thread, the next one read and waiting. */
  readonly concurrency = 2;
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private next = 0;
  /** Threads stopped by `close`: what they held is not to blame. */
  private readonly closed = new WeakSet<Worker>();
  /** Runs out when the thread has had work for `stallMs` without answering. */
  private watchdog: NodeJS.Timeout | undefined;

  constructor(
    private readonly rubric: Rubric,
    private readonly options: ThreadedScorerOptions = {},
  ) {}

  score(transcript: Transcript): Promise<Scorecard> {
    const worker = this.thread();
    const id = this.next++;
    return new Promise<Scorecard>((resolve, reject) => {
      this.pending.set(id, { worker, resolve, reject });
      worker.ref(); // held open while it scores, let go when idle
      worker.postMessage({ id, transcript });
      this.watchdog ??= this.watch(worker);
    });
  }

  /**
   * Starts the thread now: loading it takes a moment of CPU, better spent when the process starts
   * than when the first round ends (alongside every other round's events).
   */
  warm(): this {
    this.thread().unref();
    return this;
  }

  /** Stops the thread; what it held fails, counted against none of it (a process stopping). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.rest();
    if (!worker) return;
    this.closed.add(worker);
    await worker.terminate();
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const thread = (this.options.thread ?? THREAD).href;
    const worker = new Worker(
      `import(${JSON.stringify(TSX)}).then(({ register }) => { register(); return import(${JSON.stringify(thread)}); });`,
      { eval: true, workerData: { rubric: this.rubric } },
    );
    const busy = () => [...this.pending.values()].some((p) => p.worker === worker);
    worker.on('message', (reply: { id: number; scorecard?: Scorecard; error?: string }) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      // An answer is progress: the next transcript gets the whole time again. (A thread already
      // replaced answers nothing that the watchdog of its successor should hear.)
      if (this.worker === worker) {
        this.rest();
        if (busy()) this.watchdog = this.watch(worker);
      }
      if (!busy()) worker.unref();
      if (reply.scorecard) waiting?.resolve(reply.scorecard);
      else waiting?.reject(new MockdesignError('scoring_failed', reply.error ?? 'no scorecard'));
    });
    const failed = (reason: string) => {
      if (this.worker === worker) {
        this.worker = undefined;
        this.rest();
      }
      this.release(worker, reason, !this.closed.has(worker));
    };
    worker.on('error', (error) => failed(`failed: ${error.message}`));
    worker.on('exit', (code) => failed(`stopped (exit code ${code})`));
    this.worker = worker;
    return worker;
  }

  /** Stops `worker` if it has not answered within `stallMs`; what it held fails and is retried. */
  private watch(worker: Worker): NodeJS.Timeout {
    const stallMs = this.options.stallMs ?? SCORING_STALL_MS;
    const timer = setTimeout(() => {
      this.watchdog = undefined;
      if (this.worker === worker) this.worker = undefined;
      this.release(worker, `gave no answer in ${Math.round(stallMs / 1000)} s`, true);
      void worker.terminate();
    }, stallMs);
    // The thread itself holds the process open while it has work; this only watches it.
    timer.unref();
    return timer;
  }

  /**
   * Fails what `worker` held. With `blame`, the transcript it was working on (the oldest sent)
   * fails as `scoring_failed`, which counts against that round; those waiting behind it fail as
   * `scoring_interrupted`, which does not: they are only scored again.
   */
  private release(worker: Worker, reason: string, blame: boolean): void {
    let first = blame;
    for (const [id, waiting] of this.pending) {
      if (waiting.worker !== worker) continue;
      this.pending.delete(id);
      const code = first ? 'scoring_failed' : SCORING_INTERRUPTED;
      const what = first ? '' : ' before it reached this transcript';
      waiting.reject(new MockdesignError(code, `the scoring thread ${reason}${what}`));
      first = false;
    }
  }

  private rest(): void {
    clearTimeout(this.watchdog);
    this.watchdog = undefined;
  }
}
