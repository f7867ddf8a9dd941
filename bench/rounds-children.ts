import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BareRun } from './bare-queue.js';
import {
  type ChildReport,
  type ChildSetup,
  type FromChild,
  SETUP_VARIABLE,
  type Series,
  type ToChild,
} from './child-messages.js';
import type { PostedEvent } from './recording-platform.js';
import type { HandledJob } from './rounds-node.js';

/** The child's entry point, run as the bench itself is run (`npm run bench`'s node flags). */
const CHILD_FILE = fileURLToPath(new URL('./rounds-child.ts', import.meta.url));
const NODE_FLAGS = ['--max-semi-space-size=64', '--import', 'tsx'];
/** A child must be ready (its library loaded, its node and bare worker started) within this. */
const READY_MS = 60_000;
/** A child must answer a report within this. */
const REPORT_MS = 30_000;
/** A stopped child must have exited within this (its node drains for up to 5 s), else it is killed. */
const STOP_MS = 20_000;
/** A killed (SIGTERM) child must have exited within this, else SIGKILL. */
const KILL_MS = 5000;

/** What one child streamed back: its share of the figures. */
export interface ChildRecords {
  readonly events: PostedEvent[];
  readonly handled: HandledJob[];
  /** Timer jobs still running at its last report. */
  running: HandledJob[];
  scorecards: number;
  readonly problems: string[];
  readonly bareRuns: BareRun[];
}

/** One child process and what it streamed back. */
class Child {
  readonly records: ChildRecords = {
    events: [],
    handled: [],
    running: [],
    scorecards: 0,
    problems: [],
    bareRuns: [],
  };
  /** Why it is gone, if it exited without being told to. */
  lost: string | undefined;
  readonly ready: Promise<void>;
  private readonly exited: Promise<void>;
  private stopping = false;
  private awaiting: { resolve: (r: ChildReport) => void; reject: (e: Error) => void } | undefined;
  private readonly process: ChildProcess;

  constructor(
    readonly index: number,
    setup: ChildSetup,
  ) {
    this.process = spawn(process.execPath, [...NODE_FLAGS, CHILD_FILE], {
      env: { ...process.env, [SETUP_VARIABLE]: JSON.stringify(setup) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.exited = new Promise((resolve) => {
      this.process.once('exit', (code, signal) => {
        if (!this.stopping) this.lost = `child process ${index} exited (${signal ?? code})`;
        this.awaiting?.reject(new Error(this.lost ?? `child process ${index} stopped`));
        resolve();
      });
    });
    this.ready = new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`child process ${index} not ready after ${READY_MS / 1000} s`)),
        READY_MS,
      );
      this.process.on('message', (data) => {
        const message = data as FromChild;
        if (message.kind === 'ready') {
          clearTimeout(timer);
          resolve();
        } else this.receive(message);
      });
      void this.exited.then(() => {
        clearTimeout(timer);
        reject(new Error(this.lost ?? `child process ${index} exited before it was ready`));
      });
    });
  }

  send(message: ToChild): void {
    if (this.process.connected) this.process.send(message);
  }

  /** Ends the window: resolves with the child's report, once everything before it has arrived. */
  report(): Promise<ChildReport> {
    if (!this.running()) {
      return Promise.reject(new Error(this.lost ?? `child process ${this.index} is gone`));
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`child process ${this.index} did not report`)),
        REPORT_MS,
      );
      this.awaiting = {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.send({ kind: 'report' });
    });
  }

  /** Tells it to close and waits for it to exit; kills it if it takes too long. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.send({ kind: 'stop' });
    await this.exit(STOP_MS);
  }

  /** Kills it (the run failed) and waits for it to exit. */
  async kill(): Promise<void> {
    this.stopping = true;
    if (this.running()) this.process.kill('SIGTERM');
    await this.exit(KILL_MS);
  }

  private running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  private async exit(boundMs: number): Promise<void> {
    const timer = setTimeout(() => this.process.kill('SIGKILL'), boundMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Adds a batch to the records, or settles the pending report. */
  private receive(message: FromChild): void {
    const r = this.records;
    if (message.kind === 'batch') {
      for (const e of message.events) r.events.push(e);
      for (const j of message.handled) r.handled.push(j);
      for (const p of message.problems) r.problems.push(p);
      for (const b of message.bareRuns) r.bareRuns.push(b);
      r.scorecards = message.scorecards;
    } else if (message.kind === 'report') {
      r.running = message.running;
      const awaiting = this.awaiting;
      this.awaiting = undefined;
      awaiting?.resolve(message);
    }
  }
}

/**
 * Starts `count` child processes of the timers bench (`rounds-child.ts`), each a rounds node that
 * works timer jobs and a bare worker on `setup`'s keys; they stream back what they record. Spawned
 * at once; `ready` resolves once all are ready. `stop()` them at the end, `kill()` them on failure.
 */
export function startChildren(count: number, setup: ChildSetup) {
  const children = Array.from({ length: count }, (_, i) => new Child(i + 1, setup));
  const sum = (of: (r: ChildRecords) => number) =>
    children.reduce((total, c) => total + of(c.records), 0);
  return {
    ready: Promise.all(children.map((c) => c.ready)).then(() => {}),
    /** Each child's records, in process order (child 1 first). */
    records: (): ChildRecords[] => children.map((c) => c.records),
    /** Interviewer events, scorecards and bare jobs the children have reported so far. */
    events: () => sum((r) => r.events.length),
    scorecards: () => sum((r) => r.scorecards),
    bareRuns: () => sum((r) => r.bareRuns.length),
    /** Why a child is gone, if one exited without being told to. */
    lost: (): string | undefined => children.find((c) => c.lost)?.lost,
    /** Starts a measured window in every child. */
    measure(series: Series): void {
      for (const c of children) c.send({ kind: 'measure', series });
    },
    /** Ends the window in every child; resolves once each has flushed and reported. */
    report: (): Promise<ChildReport[]> => Promise.all(children.map((c) => c.report())),
    stop: async (): Promise<void> => {
      await Promise.all(children.map((c) => c.stop()));
    },
    kill: async (): Promise<void> => {
      await Promise.all(children.map((c) => c.kill()));
    },
  };
}

export type RoundsChildren = ReturnType<typeof startChildren>;
