import type { Rubric } from '../rubric/schema.js';
import { cardText } from '../src/presentation/card.js';
import { eventKey } from '../src/round/events.js';
import { timeline } from '../src/round/timeline.js';
import type { BareQueue } from './bare-queue.js';
import { inPool, sleep } from './pool.js';
import type { RoundsNode } from './rounds-node.js';

/** The prompt every benchmark round uses (any prompt gives the same timeline). */
export const BENCH_PROMPT = 'alignment-feedback-loops';

/** Commands in flight while starting rounds, like many users typing `/mockdesign` at once. */
const START_CONCURRENCY = 200;

/** A started round as the store holds it: what its due times are computed from. */
export interface StartedRound {
  readonly id: string;
  readonly thread: string;
  readonly startedAt: number;
  readonly timeScale: number;
  readonly minutes: number;
}

/** An interviewer event a round should post: its timeline id and due wall time. */
export interface DueEvent {
  readonly sessionId: string;
  readonly event: string;
  readonly dueAt: number;
}

/**
 * Starts `count` live rounds through `Rounds.handle`, one per user; throws if one is refused.
 * With `startRate`, round `i` starts no earlier than `i / startRate` seconds in.
 */
export async function startRounds(
  node: RoundsNode,
  count: number,
  minutes: number,
  startRate?: number,
) {
  const t0 = Date.now();
  await inPool(count, START_CONCURRENCY, async (i) => {
    if (startRate) await sleep(t0 + (i * 1000) / startRate - Date.now());
    const result = await node.rounds.handle({
      kind: 'start',
      origin: { platform: 'bench', user: `U${i}`, channel: `bench:C${i}` },
      mode: 'live',
      minutes,
      promptId: BENCH_PROMPT,
    });
    if (result.card?.kind !== 'notice') {
      throw new Error(
        `round ${i} did not start: ${result.card ? cardText(result.card) : '(no answer)'}`,
      );
    }
  });
}

/** Reads every started round back from the store, by the threads the platform opened. */
export async function readRounds(node: RoundsNode): Promise<StartedRound[]> {
  const threads = [...node.platform.threads];
  const rounds: StartedRound[] = new Array(threads.length);
  await inPool(threads.length, START_CONCURRENCY, async (i) => {
    const thread = threads[i] as string;
    const s = await node.store.findByThread(thread);
    if (!s) throw new Error(`no session for thread ${thread}`);
    rounds[i] = {
      id: s.id,
      thread,
      startedAt: s.startedAt,
      timeScale: s.timeScale,
      minutes: s.minutes,
    };
  });
  return rounds;
}

/**
 * Every interviewer event each round will post, due at
 * `startedAt + at_seconds * 1000 * timeScale` with `at_seconds` from `timeline(rubric, minutes)`.
 */
export function dueEvents(rubric: Rubric, rounds: readonly StartedRound[]): DueEvent[] {
  const events: DueEvent[] = [];
  for (const r of rounds) {
    for (const e of timeline(rubric, r.minutes)) {
      events.push({
        sessionId: r.id,
        event: eventKey(e.event),
        dueAt: r.startedAt + e.at * 1000 * r.timeScale,
      });
    }
  }
  return events;
}

/**
 * Adds one bare job per round event, due at the same wall time as the event it mirrors, so both
 * queues fire together under one load. Added in batches of `queue.addBulk`.
 */
export async function addMirrorJobs(bare: BareQueue, due: readonly DueEvent[]): Promise<void> {
  const batch = 500;
  for (let i = 0; i < due.length; i += batch) {
    const now = Date.now();
    await bare.addBulk(
      due
        .slice(i, i + batch)
        .map((d) => ({ id: `${d.sessionId}-${d.event}`, event: d.event, delayMs: d.dueAt - now })),
    );
  }
}
