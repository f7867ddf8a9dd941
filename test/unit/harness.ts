import { type Library, loadLibrary } from '../../rubric/load.js';
import type { Command } from '../../src/commands/command.js';
import { createLogger } from '../../src/logger.js';
import { MemoryScheduler } from '../../src/memory/memory-scheduler.js';
import { MemorySessionStore } from '../../src/memory/memory-session-store.js';
import { Platforms } from '../../src/platforms.js';
import type { Scorer } from '../../src/ports/scorer.js';
import type { SessionStore } from '../../src/ports/session-store.js';
import { cardText } from '../../src/presentation/card.js';
import { type RoundLimits, Rounds } from '../../src/rounds.js';
import { HeuristicScorer } from '../../src/scoring/heuristic/heuristic-scorer.js';
import type { Transcript } from '../../src/transcript.js';
import { FakeClock } from '../fakes/fake-clock.js';
import { RecordingPlatform } from '../fakes/recording-platform.js';

let library: Promise<Library> | undefined;
/** A sized, falsifiable hypothesis with metric and baseline: a strong framing's claim. */
export const HYPOTHESIS =
  'I hypothesize that a two-stage retriever reduces hallucination rate by 15% on HaluEval compared with the single-stage baseline.';

export const shippedLibrary = () => {
  library ??= loadLibrary();
  return library;
};

/** A candidate's message `at` round seconds. */
export const candidate = (at: number, text: string) => ({ role: 'candidate' as const, at, text });

/** A 45-minute round of the alignment-feedback prompt made of `messages`. */
export const round = (...messages: Transcript['messages']): Transcript => ({
  prompt: 'Design a platform for evaluating alignment-feedback loops in LLMs.',
  minutes: 45,
  messages,
});

/** The core wired to memory ports (or the given session store), a fake clock and a recording platform. */
export async function harness(
  options: { timeScale?: number; limits?: RoundLimits; store?: SessionStore; scorer?: Scorer } = {},
) {
  const clock = new FakeClock();
  const platform = new RecordingPlatform(clock, options.timeScale ?? 1);
  const platforms = new Platforms();
  platforms.add(platform);
  const store = options.store ?? new MemorySessionStore();
  const errors: unknown[] = [];
  /** What the core logged, one parsed entry each. */
  const logs: { level: string; message: string }[] = [];
  const scheduler = new MemoryScheduler(clock, (error) => errors.push(error));
  const lib = await shippedLibrary();
  const rounds = new Rounds({
    library: lib,
    store,
    scheduler,
    scorer: options.scorer ?? new HeuristicScorer(lib.rubric),
    platforms,
    clock,
    timeScale: options.timeScale ?? 1,
    logger: createLogger({ write: (line) => logs.push(JSON.parse(line)) }),
    random: () => 0,
    limits: options.limits,
  });
  await scheduler.start((t) => rounds.onTimer(t));
  const origin = { platform: 'test', user: 'U1', channel: 'test:C1' };
  /** Sends a command; the answer comes with its card's plain text. */
  const send = async (command: Command) => {
    const result = await rounds.handle(command);
    return { ...result, text: result.card ? cardText(result.card) : undefined };
  };
  return {
    clock,
    platform,
    platforms,
    store,
    scheduler,
    rounds,
    errors,
    logs,
    origin,
    send,
    /** Starts a round and returns its thread address. */
    async start(
      extra: {
        minutes?: number;
        promptId?: string;
        mode?: 'live' | 'async';
        timeZone?: string;
      } = {},
    ) {
      const result = await send({ kind: 'start', origin, mode: extra.mode ?? 'live', ...extra });
      const session = await store.findActive('test', 'U1');
      if (!session) throw new Error(`round did not start: ${result.text}`);
      return session.thread;
    },
    reply(thread: string, text: string, messageId = `m${Math.random()}`, user = 'U1') {
      return send({ kind: 'reply', origin: { ...origin, user, thread }, messageId, text });
    },
  };
}

/**
 * A test that scores or refits the whole labelled corpus (about 1,270 transcripts; a refit also
 * pads and stuffs each) takes one to two minutes alone on two cores, and up to twice that beside
 * the other test files; this only bounds a hang.
 */
export const WHOLE_CORPUS_MS = 480_000;
