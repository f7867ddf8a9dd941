import {
  createTerminalPlatform,
  TERMINAL_CHANNEL,
  TERMINAL_USER,
} from '../adapters/terminal/index.js';
import type { RoundArchive } from '../adapters/terminal/round-archive.js';
import type { Library } from '../rubric/load.js';
import { systemClock } from '../src/clock.js';
import { causeOf, MockdesignError, UserError } from '../src/errors.js';
import type { Logger } from '../src/logger.js';
import { MemoryScheduler } from '../src/memory/memory-scheduler.js';
import { MemorySessionStore } from '../src/memory/memory-session-store.js';
import { Platforms } from '../src/platforms.js';
import type { Scorer } from '../src/ports/scorer.js';
import { cardText } from '../src/presentation/card.js';
import { drillCard, scorecardCard } from '../src/presentation/scorecard-card.js';
import { keptRounds } from '../src/progress/kept-round.js';
import type { KeptRounds } from '../src/progress/progress-commands.js';
import { DRILLS, type DrillKind } from '../src/round/drills.js';
import { Rounds } from '../src/rounds.js';
import { candidateSpoke } from '../src/transcript.js';
import { terminalRoundHandler } from './round-lines.js';

export interface PracticeOptions {
  readonly library: Library;
  readonly scorer: Scorer;
  readonly timeScale: number;
  readonly logger: Logger;
  readonly promptId?: string;
  readonly minutes?: number;
  readonly input: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly output: NodeJS.WritableStream;
  /** A second Ctrl-C: quit at once (the CLI exits with 130). */
  readonly onQuit: () => void;
  /** A drill instead of a full round. */
  readonly drill?: DrillKind;
  /** Where the finished round is kept (`MOCKDESIGN_HOME`); not kept without one. */
  readonly archive?: RoundArchive;
}

/** The rounds kept in `archive`, newest first (files that cannot be read are left out). */
function keptIn(archive: RoundArchive): KeptRounds {
  return async (_person, limit) => (await archive.list()).rounds.slice(0, limit);
}

/** A kept round: where it was kept, and its scorecard's headline, repeated under the card. */
export interface KeptPractice {
  readonly file: string;
  readonly headline: string;
}

/**
 * Runs one round in the terminal with in-memory ports; resolves after the scorecard is shown and
 * the round is kept (with `archive`). End of input or Ctrl-C ends the round and scores what was
 * said; a line being typed as time runs out, or at Ctrl-C, is the round's last reply. Resolves
 * with the kept round's file and headline, if it was kept.
 */
export async function practice(o: PracticeOptions): Promise<KeptPractice | undefined> {
  const terminal = createTerminalPlatform({
    input: o.input,
    output: o.output,
    onQuit: o.onQuit,
  });
  const platforms = new Platforms();
  platforms.add(terminal);
  const scheduler = new MemoryScheduler(systemClock, (error, timer) =>
    o.logger.error('timer failed', { event: timer.event, error }),
  );
  const store = new MemorySessionStore();
  const rounds = new Rounds({
    library: o.library,
    store,
    scheduler,
    scorer: o.scorer,
    platforms,
    clock: systemClock,
    timeScale: o.timeScale,
    logger: o.logger,
    // `--prompt adaptive` aims at the weakest criterion of the rounds kept in MOCKDESIGN_HOME.
    ...(o.archive ? { kept: keptIn(o.archive) } : {}),
  });
  const origin = { platform: 'terminal', user: TERMINAL_USER, channel: TERMINAL_CHANNEL };
  const result = await rounds.handle(
    o.drill
      ? { kind: 'drill', origin, drill: o.drill }
      : { kind: 'start', origin, promptId: o.promptId, minutes: o.minutes, mode: 'live' },
  );
  if (!(await store.findActive('terminal', TERMINAL_USER))) {
    throw new UserError(result.card ? cardText(result.card) : 'The round did not start.');
  }
  // Ctrl-C outside readline's reach (piped input) ends the round the same way.
  const interrupt = () => terminal.interrupt();
  process.on('SIGINT', interrupt);
  try {
    await scheduler.start(async (timer) => {
      // The line being typed as time runs out was written in time: it is the round's last reply.
      if (timer.event.kind === 'end') await terminal.giveTyped();
      await rounds.onTimer(timer);
    });
    await terminal.start(terminalRoundHandler((command) => rounds.handle(command)));
    await terminal.finished;
  } finally {
    process.off('SIGINT', interrupt);
    await scheduler.stop();
    await terminal.stop();
  }
  const [round] = await keptRounds(
    { store, library: o.library },
    'terminal',
    TERMINAL_USER,
    1,
    true,
  );
  if (!round?.scorecard || !o.archive) return undefined;
  // A round with nothing said would only pull the trends down (and has nothing to score again).
  if (!round.transcript || !candidateSpoke(round.transcript)) {
    o.output.write('Nothing was said, so this round is not kept.\n');
    return undefined;
  }
  const card = round.scorecard;
  const headline = (o.drill ? drillCard(card, DRILLS[o.drill]) : scorecardCard(card)).title;
  try {
    return { file: await o.archive.save(round), headline: headline ?? '' };
  } catch (error) {
    throw new MockdesignError(
      'home',
      `MOCKDESIGN_HOME: cannot keep this round in ${o.archive.dir} (${causeOf(error)}), so the scorecard above is not kept; set MOCKDESIGN_HOME to a folder you can write.`,
    );
  }
}
